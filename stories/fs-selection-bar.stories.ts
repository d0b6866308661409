import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { CompanionClient } from '../src/api/transport/client.ts';
import { storeWith } from './fixtures/context.ts';
import { fakeClient, mountView, pickingFolderClient, reconnectClient, SELECTION_STATES, STORY_CONNECTION } from './fixtures/uploads.ts';

/** Actions for the element's events; Storybook fills them from the manifest's `@fires` entries. */
interface SelectionBarArgs {
  client?: CompanionClient;
  onFsPick?: (event: Event) => void;
  onFsCancel?: (event: Event) => void;
  onFsError?: (event: Event) => void;
}

type State = keyof typeof SELECTION_STATES;

/** The footer in a picker store holding `state`'s selection; `press` presses the action button once shown. */
const inState =
  (state: State, client: CompanionClient = fakeClient({}), press = false): StoryObj<SelectionBarArgs>['render'] =>
  (args) => {
    const { context, ready } = mountView('fs-selection-bar', { client, store: storeWith({ ...SELECTION_STATES[state], connection: STORY_CONNECTION }) });
    if (args.onFsPick) context.addEventListener('fs-pick', args.onFsPick);
    if (args.onFsCancel) context.addEventListener('fs-cancel', args.onFsCancel);
    if (args.onFsError) context.addEventListener('fs-error', args.onFsError);
    if (press) void ready.then((bar) => bar.shadowRoot?.querySelector<HTMLElement>('[part="select-button"]')?.click());
    return context;
  };

const meta: Meta<SelectionBarArgs> = {
  title: 'Views/fs-selection-bar',
  component: 'fs-selection-bar',
  argTypes: { client: { control: false } },
  parameters: {
    docs: {
      description: {
        component:
          'The footer under the Alfresco browser in pick mode. Inside `<fs-picker>` it reads the selection from the picker’s store; these stories put it in a test context with a store in each state (stories/fixtures/uploads.ts) and a fake companion client.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<SelectionBarArgs>;

/** Nothing selected yet: the button says why it cannot be used. */
export const Empty: Story = { render: inState('empty') };

/** One file selected. */
export const OneFile: Story = { name: 'One file', render: inState('one') };

/** Two files selected: "Select 2 files". */
export const TwoFiles: Story = { name: 'Two files', render: inState('two') };

/** `min-files="2"` with one file selected. */
export const BelowMinimum: Story = { name: 'Below min-files', render: inState('belowMinimum') };

/** A folder selected (folders allowed). */
export const Folder: Story = { render: inState('folder') };

/** The companion is expanding the folder: "Found 42 files…", Stop aborts. */
export const ExpandingFolder: Story = { name: 'Expanding a folder', render: inState('folder', pickingFolderClient, true) };

/** The connection expired while picking (the picker then shows Connect again). */
export const Reconnect: Story = { name: 'Connection expired', render: inState('two', reconnectClient, true) };
