import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { CompanionClient } from '../src/api/transport/client.ts';
import type { FsLink } from '../src/components/fs-link/fs-link.ts';
import { storeWith } from './fixtures/context.ts';
import { importedClient, importingClient, mountView, urlRefusedClient } from './fixtures/uploads.ts';

interface LinkArgs {
  client?: CompanionClient;
  onFsPick?: (event: Event) => void;
  onFsError?: (event: Event) => void;
}

/** Types `address` into the field and presses Import, as a person would. */
function submit(view: FsLink, address: string): void {
  const input = view.shadowRoot?.querySelector<HTMLInputElement>('#url');
  if (!input) return;
  input.value = address;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  void view.updateComplete.then(() => view.shadowRoot?.querySelector<HTMLButtonElement>('[part="import-button"]')?.click());
}

const inState =
  (client: CompanionClient, address?: string): StoryObj<LinkArgs>['render'] =>
  (args) => {
    const { context, ready } = mountView('fs-link', { client, store: storeWith({ currentService: 'URL' }) });
    context.style.display = 'block';
    if (args.onFsPick) context.addEventListener('fs-pick', args.onFsPick);
    if (args.onFsError) context.addEventListener('fs-error', args.onFsError);
    if (address !== undefined) void ready.then((view) => submit(view, address));
    return context;
  };

const meta: Meta<LinkArgs> = {
  title: 'Views/fs-link',
  component: 'fs-link',
  argTypes: { client: { control: false } },
  parameters: {
    docs: {
      description: {
        component: 'Link (URL). Inside `<fs-picker>` the companion fetches the file; these stories use fake clients (stories/fixtures/uploads.ts).',
      },
    },
  },
};
export default meta;

type Story = StoryObj<LinkArgs>;

/** The empty field. */
export const Empty: Story = { render: inState(importedClient) };

/** What was typed is not a web address: the field's error says so. */
export const InvalidAddress: Story = { name: 'Invalid address', render: inState(importedClient, 'report.pdf') };

/** The companion is fetching the file: indeterminate progress and Cancel. */
export const Importing: Story = { render: inState(importingClient, 'https://example.com/report.pdf') };

/** The companion refuses a private address, with its own message. */
export const Refused: Story = { render: inState(urlRefusedClient, 'http://127.0.0.1:8080/report.pdf') };
