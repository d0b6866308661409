import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { CompanionClient } from '../src/api/transport/client.ts';
import type { SaveInput } from '../src/core/call-options.ts';
import type { FsSaveForm } from '../src/components/fs-save-form/fs-save-form.ts';
import type { FolderInfo } from '../src/protocol/browse.ts';
import { storeWith } from './fixtures/context.ts';
import { AGENCY_FILES, CONTRACTS, EXPORT_CONFIG, exportClients, sampleInput, STORY_CONNECTION } from './fixtures/export.ts';

/** Actions for the element's events; Storybook fills them from the manifest's `@fires` entries. */
interface SaveFormArgs {
  /** Each story sets its own fake client; it is not an arg the controls can change. */
  client?: CompanionClient;
  onFsExport?: (event: Event) => void;
  onFsCancel?: (event: Event) => void;
  onFsError?: (event: Event) => void;
}

interface Setup {
  client: CompanionClient;
  folder?: FolderInfo;
  input?: SaveInput;
}

/**
 * Renders the form inside `<fs-test-context>` in export mode, as `<fs-picker>` would below the browser.
 * The form is added once the context provides its store (a view connected earlier would get none).
 */
const withSetup =
  ({ client, folder = AGENCY_FILES, input = sampleInput() }: Setup): StoryObj<SaveFormArgs>['render'] =>
  (args) => {
    const context = document.createElement('fs-test-context');
    context.style.cssText = 'display:block; max-inline-size:40rem';
    context.client = client;
    context.store = storeWith({ currentService: 'ALFRESCO', connection: STORY_CONNECTION, folder, config: EXPORT_CONFIG });
    void context.updateComplete.then(() => {
      const form = document.createElement('fs-save-form');
      form.input = input;
      if (args.onFsExport) form.addEventListener('fs-export', args.onFsExport);
      if (args.onFsCancel) form.addEventListener('fs-cancel', args.onFsCancel);
      if (args.onFsError) form.addEventListener('fs-error', args.onFsError);
      context.append(form);
    });
    return context;
  };

/** The form once it is rendered. */
async function formIn(canvasElement: HTMLElement): Promise<FsSaveForm> {
  for (;;) {
    const form = canvasElement.querySelector('fs-save-form');
    if (form) {
      await form.updateComplete;
      return form;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Clicks Save and waits for the form to settle into its next state. */
async function clickSave(canvasElement: HTMLElement): Promise<void> {
  const form = await formIn(canvasElement);
  form.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await form.updateComplete;
}

const meta: Meta<SaveFormArgs> = {
  title: 'Views/fs-save-form',
  component: 'fs-save-form',
  argTypes: { client: { control: false } },
  parameters: {
    docs: {
      description: {
        component:
          'Export mode: inside `<fs-picker>` the form sits below `<fs-browser>`, saves into the folder the browser shows and gets its client and store from the picker. These stories provide them with `<fs-test-context>` and fake clients (stories/fixtures/export.ts); the tests drive the same states against the real companion.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<SaveFormArgs>;

/** A writable site folder; the name is prefilled from `suggestedFilename` with the extension for the type. */
export const Ready: Story = { render: withSetup({ client: exportClients.saves }) };

/** A folder the person may read but not add to: Save is disabled and says why. */
export const ReadOnlyFolder: Story = { name: 'Read-only folder', render: withSetup({ client: exportClients.saves, folder: CONTRACTS }) };

/** A name Alfresco does not allow: the message names the characters. */
export const InvalidName: Story = {
  name: 'Invalid name',
  render: withSetup({ client: exportClients.saves }),
  play: async ({ canvasElement }) => {
    const form = await formIn(canvasElement);
    const field = form.shadowRoot!.querySelector<HTMLInputElement>('#filename')!;
    field.value = 'Q3: figures/final.pdf';
    field.dispatchEvent(new Event('input'));
  },
};

/** The name exists: keep both, replace, or cancel (the export conflict). */
export const Conflict: Story = { render: withSetup({ client: exportClients.conflict }), play: ({ canvasElement }) => clickSave(canvasElement) };

/** Saving a Blob from the page, with upload progress. */
export const Saving: Story = { render: withSetup({ client: exportClients.saving }), play: ({ canvasElement }) => clickSave(canvasElement) };

/** Saving a URL: the companion fetches it, so progress is indeterminate. */
export const SavingUrl: Story = {
  name: 'Saving a URL',
  render: withSetup({ client: exportClients.saving, input: 'https://example.com/files/Annual%20report.pdf' }),
  play: ({ canvasElement }) => clickSave(canvasElement),
};

/** Saved: the form says under which name (the picker closes and fires `fs-export`). */
export const Saved: Story = { render: withSetup({ client: exportClients.saves }), play: ({ canvasElement }) => clickSave(canvasElement) };

/** The companion could not be reached. */
export const SaveError: Story = { name: 'Error', render: withSetup({ client: exportClients.networkError }), play: ({ canvasElement }) => clickSave(canvasElement) };
