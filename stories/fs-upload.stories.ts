import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { CompanionClient } from '../src/api/transport/client.ts';
import type { PickerState } from '../src/core/picker-state.ts';
import { storeWith } from './fixtures/context.ts';
import { fakeClient, mountView, sampleFiles, uploadedClient, uploadFailingClient, uploadingClient } from './fixtures/uploads.ts';

interface UploadArgs {
  client?: CompanionClient;
  onFsPick?: (event: Event) => void;
  onFsUploadProgress?: (event: Event) => void;
  onFsError?: (event: Event) => void;
}

/** My Computer with `config`, and `files()` added as if chosen once it is shown. */
const inState =
  (client: CompanionClient, config: Partial<PickerState['config']>, files?: () => File[]): StoryObj<UploadArgs>['render'] =>
  (args) => {
    const { context, ready } = mountView('fs-upload', { client, store: storeWith({ currentService: 'COMPUTER', config }) });
    context.style.display = 'block';
    context.style.maxWidth = '36rem';
    if (args.onFsPick) context.addEventListener('fs-pick', args.onFsPick);
    if (args.onFsUploadProgress) context.addEventListener('fs-upload-progress', args.onFsUploadProgress);
    if (args.onFsError) context.addEventListener('fs-error', args.onFsError);
    if (files) void ready.then((view) => view.add(files()));
    return context;
  };

const several = { multiple: true, maxFiles: 5 };

const meta: Meta<UploadArgs> = {
  title: 'Views/fs-upload',
  component: 'fs-upload',
  argTypes: { client: { control: false } },
  parameters: {
    docs: {
      description: {
        component:
          'My Computer. Inside `<fs-picker>` it uploads to the companion; these stories use fake clients (stories/fixtures/uploads.ts) so each state holds still.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<UploadArgs>;

/** Nothing chosen: the drop zone and the file button. */
export const Empty: Story = { render: inState(fakeClient({}), several) };

/** One file only, images up to 5 MB: the limits are spelled out. */
export const WithLimits: Story = { name: 'With limits', render: inState(fakeClient({}), { multiple: false, accept: ['image/*', '.pdf'], maxSize: 5_000_000 }) };

/** Two files on their way, at 40 %: per-file and total progress, Cancel and Cancel all. */
export const Uploading: Story = { render: inState(uploadingClient, several, sampleFiles) };

/** Both files stored: "Use 2 files". */
export const Uploaded: Story = { render: inState(uploadedClient, several, sampleFiles) };

/** The companion could not be reached: the message and Retry. */
export const Failed: Story = { render: inState(uploadFailingClient, several, () => sampleFiles().slice(0, 1)) };

/** Files refused by `accept` and `max-size`, each named with the reason. */
export const Refused: Story = {
  render: inState(uploadedClient, { ...several, accept: ['text/*'], maxSize: 1000 }, () => [
    ...sampleFiles(),
    new File([new Uint8Array(10)], 'photo.png', { type: 'image/png' }),
  ]),
};
