import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { FsPicker } from '../src/components/fs-picker/fs-picker.ts';

interface PickerArgs {
  server: string;
  apiKey: string;
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
