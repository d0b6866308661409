import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import type { FsPicker } from '../src/components/fs-picker/fs-picker.ts';

interface PickerArgs {
  server: string;
  apiKey: string;
  multiple?: boolean;
  accept?: string;
  lang?: string;
  theme?: 'light' | 'dark';
  display?: 'modal' | 'inline';
  /** The manifest's row for the `api-key` attribute; the story drives the `apiKey` property instead. */
  'api-key'?: string;
  /** Read-only state from the manifest; shown, not set. */
  isOpen?: boolean;
  onFsOpen?: (event: Event) => void;
  onFsClose?: (event: Event) => void;
  onFsServiceChange?: (event: Event) => void;
  onFsError?: (event: Event) => void;
}

const meta: Meta<PickerArgs> = {
  title: 'Elements/fs-picker',
  component: 'fs-picker',
  args: { server: 'http://127.0.0.1:3020', apiKey: 'fs-dev-app-key' },
  argTypes: {
    // The `apiKey` control sets the key; the `api-key` attribute row only documents the attribute.
    'api-key': { control: false },
    isOpen: { control: false },
  },
  parameters: {
    docs: {
      description: {
        component:
          '`<fs-picker>` builds its own companion client from `server` and `api-key`, so this story talks to a real companion: run `npm start` first (companion on http://127.0.0.1:3020, dev app key `fs-dev-app-key`). The companion must also allow this page’s origin for the app; without a companion the sources list shows its error state.',
      },
    },
  },
  render: (args) => {
    const open = (event: Event): void => {
      const picker = (event.currentTarget as HTMLElement).nextElementSibling as FsPicker;
      void picker.open();
    };
    return html`<button type="button" @click=${open}>Open the file picker</button>
      <fs-picker
        server=${args.server}
        api-key=${args.apiKey}
        ?multiple=${args.multiple}
        accept=${args.accept ?? ''}
        lang=${args.lang ?? ''}
        theme=${args.theme ?? nothing}
        display=${args.display ?? 'modal'}
        @fs-open=${args.onFsOpen}
        @fs-close=${args.onFsClose}
        @fs-service-change=${args.onFsServiceChange}
        @fs-error=${args.onFsError}
      ></fs-picker>`;
  },
};
export default meta;

type Story = StoryObj<PickerArgs>;

/** The picker, opened by its play function; close it and use the button to open it again. */
export const Open: Story = {
  play: async ({ canvasElement }) => {
    await canvasElement.querySelector<FsPicker>('fs-picker')!.open();
  },
};

/** Several images at once: the title, the filter and the footer follow `multiple` and `accept`. */
export const MultipleImages: Story = { ...Open, args: { multiple: true, accept: 'image/*' } };

/** The dark theme (also what `prefers-color-scheme: dark` gives without a `theme`). */
export const Dark: Story = { ...Open, args: { theme: 'dark', multiple: true } };

/** Arabic: translated, and the whole layout mirrors right to left. */
export const RightToLeft: Story = { ...Open, args: { lang: 'ar', multiple: true } };

/** Part of the page instead of a modal dialog. */
export const Inline: Story = { ...Open, args: { display: 'inline' } };
