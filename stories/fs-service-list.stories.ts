import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { CompanionClient } from '../src/api/transport/client.ts';
import { serviceClients } from './fixtures/services.ts';

/** Actions for the element's events; Storybook fills them from the manifest's `@fires` entries. */
interface ServiceListArgs {
  /** Each story sets its own fake client; it is not an arg the controls can change. */
  client?: CompanionClient;
  onFsServiceChange?: (event: Event) => void;
  onFsError?: (event: Event) => void;
}

/** Renders the list with a fake companion client, as if the enclosing `<fs-picker>` had provided it. */
const withClient =
  (client: CompanionClient): StoryObj<ServiceListArgs>['render'] =>
  (args) =>
    html`<fs-service-list
      style="max-width: 16rem"
      .client=${client}
      @fs-service-change=${args.onFsServiceChange}
      @fs-error=${args.onFsError}
    ></fs-service-list>`;

const meta: Meta<ServiceListArgs> = {
  title: 'Views/fs-service-list',
  component: 'fs-service-list',
  // The client is an object with methods; each story sets its own, so it is not a control.
  argTypes: { client: { control: false } },
  parameters: {
    docs: {
      description: {
        component:
          'Inside `<fs-picker>` the list gets its companion client from the picker; these stories set `.client` to a fake one (stories/fixtures/services.ts) to show each state.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<ServiceListArgs>;

/** The companion reached Alfresco and lists all three sources. */
export const Loaded: Story = { render: withClient(serviceClients.loaded) };

/** Alfresco is listed but marked unusable, with the reason. */
export const AlfrescoUnavailable: Story = { name: 'Alfresco unavailable', render: withClient(serviceClients.alfrescoUnavailable) };

/** The companion has not answered yet. */
export const Loading: Story = { render: withClient(serviceClients.loading) };

/** The companion could not be reached; "Try again" asks again. */
export const LoadError: Story = { name: 'Error', render: withClient(serviceClients.error) };

/** The app has no sources enabled. */
export const Empty: Story = { render: withClient(serviceClients.empty) };
