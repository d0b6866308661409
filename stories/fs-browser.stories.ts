import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { CompanionClient } from '../src/api/transport/client.ts';
import type { PickerState } from '../src/core/picker-state.ts';
import type { Store } from '../src/core/store.ts';
import { browseClients, HOME_ITEMS, signedInStore } from './fixtures/browse.ts';
import './fixtures/context.ts';

/** Actions for the element's events; Storybook fills them from the manifest's `@fires` entries. */
interface BrowserArgs {
  onFsNavigate?: (event: Event) => void;
  onFsSelectionChange?: (event: Event) => void;
  onFsError?: (event: Event) => void;
}

/**
 * Renders the browser inside `<fs-test-context>` with a fake companion client and a store in the
 * story's state, as the enclosing `<fs-picker>` would provide them. The browser is added once the
 * context provides its store.
 */
const inContext =
  (client: CompanionClient, store: () => Store<PickerState>, { width = '100%', dir = 'ltr' } = {}): StoryObj<BrowserArgs>['render'] =>
  (args) => {
    const attach = (element: Element | undefined) => {
      if (!element || element.querySelector('fs-browser')) return;
      void (element as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete.then(() => {
        const browser = document.createElement('fs-browser');
        if (args.onFsNavigate) browser.addEventListener('fs-navigate', args.onFsNavigate);
        if (args.onFsSelectionChange) browser.addEventListener('fs-selection-change', args.onFsSelectionChange);
        if (args.onFsError) browser.addEventListener('fs-error', args.onFsError);
        element.append(browser);
      });
    };
    return html`<fs-test-context dir=${dir} style="display:block; max-inline-size:${width}" .client=${client} .store=${store()} ${ref(attach)}></fs-test-context>`;
  };

const meta: Meta<BrowserArgs> = {
  title: 'Views/fs-browser',
  component: 'fs-browser',
  parameters: {
    docs: {
      description: {
        component:
          'Inside `<fs-picker>` the browser gets the store and the companion client from the picker; these stories provide them with `<fs-test-context>` and fake clients (stories/fixtures/browse.ts) to show each state. Keyboard: one tab stop; arrows, Home/End, PageUp/PageDown, type-ahead, Enter opens, Backspace or Alt+Up goes up, Space selects, Shift extends, Ctrl/Cmd+A selects all.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<BrowserArgs>;

/** A folder with sub-folders and files, in the list view. */
export const List: Story = { render: inContext(browseClients.loaded, () => signedInStore()) };

/** The same folder as a grid of tiles. */
export const Grid: Story = { render: inContext(browseClients.loaded, () => signedInStore({ viewMode: 'grid' })) };

/** Several files may be chosen (up to 3, each at most 10 MB): two are selected; a third shows the limit. */
export const SelectionLimits: Story = {
  name: 'Selection limits',
  render: inContext(browseClients.loaded, () =>
    signedInStore({ config: { multiple: true, maxFiles: 3, maxSize: 10_000_000 }, selection: HOME_ITEMS.filter((item) => ['grass.jpg', 'header.png'].includes(item.name)) }),
  ),
};

/** The companion has not answered yet. */
export const Loading: Story = { render: inContext(browseClients.loading, () => signedInStore()) };

/** An empty folder. */
export const Empty: Story = { render: inContext(browseClients.empty, () => signedInStore()) };

/** Nothing in the folder matches the picker's `accept`. */
export const NoMatch: Story = { name: 'Nothing matches accept', render: inContext(browseClients.empty, () => signedInStore({ config: { accept: ['image/*'] } })) };

/** The listing failed; "Try again" asks again. */
export const LoadError: Story = { name: 'Error', render: inContext(browseClients.error, () => signedInStore()) };

/** The connection ended: the browser signs the store out (inside the picker, the connect view comes back). */
export const Reconnect: Story = { render: inContext(browseClients.reconnect, () => signedInStore()) };

/** 10,000 items, 100 a page: about a screenful of rows in the DOM, more pages as you scroll. */
export const TenThousandItems: Story = { name: '10,000 items', render: inContext(browseClients.many, () => signedInStore({ config: { multiple: true, maxFiles: 10_000 } })) };

/** Export mode: files are shown dimmed and cannot be chosen; the folder shown is the destination. */
export const ExportMode: Story = { name: 'Export mode', render: inContext(browseClients.loaded, () => signedInStore({ config: { mode: 'export' } })) };

/** At 360 px: locations scroll sideways above the items, dates are hidden. */
export const Narrow: Story = { name: '360 px', render: inContext(browseClients.loaded, () => signedInStore(), { width: '360px' }) };

/** Right-to-left: the layout mirrors, and Left/Right swap in the grid. */
export const RightToLeft: Story = { name: 'Right to left', render: inContext(browseClients.loaded, () => signedInStore({ viewMode: 'grid' }), { dir: 'rtl' }) };
