import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { PortalApp } from '../companion/portal/api.ts';
import { actionsFor, CONFIGURED_APP, DEV_APP, fill, listenTo, portalElement, portalPanel, press } from './fixtures/portal.ts';

/** Actions for the element's events. */
interface SourcesArgs {
  onFsPortalAppChange?: (event: Event) => void;
}

/** Renders the panel for `app`, with a fake portal API holding it (stories/fixtures/portal.ts). */
const forApp =
  (app: PortalApp): StoryObj<SourcesArgs>['render'] =>
  (args) => {
    const panel = portalPanel('fs-portal-sources', app);
    listenTo(panel, args);
    return panel;
  };

const meta: Meta<SourcesArgs> = {
  title: 'Portal/fs-portal-sources',
  component: 'fs-portal-sources',
  argTypes: actionsFor('fs-portal-app-change'),
  parameters: {
    docs: {
      description: {
        component:
          "The app's WebDAV and CMIS sources and the services its picker offers. Inside `<fs-portal>` the panel gets the app and the API client from the page; these stories give it a fake API (stories/fixtures/portal.ts), so Save works without a companion.",
      },
    },
  },
};
export default meta;

type Story = StoryObj<SourcesArgs>;

/** Neither source is on: WebDAV and CMIS cannot be offered yet, and each says why. */
export const Off: Story = { name: 'WebDAV and CMIS off', render: forApp(DEV_APP) };

/** Both on and offered; CMIS is Alfresco's own, with the Alfresco sign-in. */
export const On: Story = { name: 'WebDAV and CMIS on', render: forApp(CONFIGURED_APP) };

/** A WebDAV URL entered offers WebDAV at once; saved, it is on. */
export const TurnedOn: Story = {
  name: 'WebDAV turned on',
  render: forApp(DEV_APP),
  play: async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-sources');
    fill(panel, '#field-webdavUrl', 'https://cloud.example.com/remote.php/dav/files/');
    await press(panel, 'Save sources');
  },
};

/** URLs that are not http(s) URLs: each field names its error. */
export const FieldErrors: Story = {
  name: 'Field errors',
  render: forApp(DEV_APP),
  play: async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-sources');
    fill(panel, '#field-webdavUrl', 'cloud.example.com/remote.php/dav');
    fill(panel, '#field-cmisUrl', 'ftp://cmis.example.com/browser');
    await press(panel, 'Save sources');
  },
};
