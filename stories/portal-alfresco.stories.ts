import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { PortalApp } from '../companion/portal/api.ts';
import { actionsFor, CONFIGURED_APP, DEV_APP, fill, listenTo, portalElement, portalPanel, press } from './fixtures/portal.ts';

/** Actions for the element's events. */
interface AlfrescoArgs {
  onFsPortalAppChange?: (event: Event) => void;
}

/** Renders the panel for `app`, with a fake portal API holding it (stories/fixtures/portal.ts). */
const forApp =
  (app: PortalApp): StoryObj<AlfrescoArgs>['render'] =>
  (args) => {
    const panel = portalPanel('fs-portal-alfresco', app);
    listenTo(panel, args);
    return panel;
  };

const meta: Meta<AlfrescoArgs> = {
  title: 'Portal/fs-portal-alfresco',
  component: 'fs-portal-alfresco',
  argTypes: actionsFor('fs-portal-app-change'),
  parameters: {
    docs: {
      description: {
        component:
          "The app's own Alfresco OAuth application and the callback URL to enter in it. Inside `<fs-portal>` the panel gets the app and the API client from the page; these stories give it a fake API (stories/fixtures/portal.ts), so Save and Remove work without a companion.",
      },
    },
  },
};
export default meta;

type Story = StoryObj<AlfrescoArgs>;

/** The app's own App Key, with its secret saved (never shown) and its repository and issuer. */
export const OwnAppKey: Story = { name: 'Own App Key', render: forApp(CONFIGURED_APP) };

/** No App Key: people sign in through the operator's default application. */
export const OperatorDefault: Story = { name: "Operator's default", render: forApp(DEV_APP) };

/** An App Key entered and saved: the secret field empties and says a secret is saved. */
export const Saved: Story = {
  render: forApp(DEV_APP),
  play: async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-alfresco');
    fill(panel, '#field-clientId', 'intranet-file-picker');
    fill(panel, '#field-clientSecret', 'an-app-secret-from-alfresco');
    await press(panel, 'Save');
  },
};

/** An issuer that is not a URL: the field names the error. */
export const FieldError: Story = {
  name: 'Field error',
  render: forApp(CONFIGURED_APP),
  play: async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-alfresco');
    fill(panel, '#field-issuer', 'id.example.com/auth/realms/alfresco');
    await press(panel, 'Save');
  },
};
