import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { PortalApp } from '../companion/portal/api.ts';
import { actionsFor, CONFIGURED_APP, DEV_APP, fill, listenTo, portalElement, portalPanel, press } from './fixtures/portal.ts';

/** Actions for the element's events. */
interface StorageArgs {
  onFsPortalAppChange?: (event: Event) => void;
}

/** Renders the panel for `app`, with a fake portal API holding it (stories/fixtures/portal.ts). */
const forApp =
  (app: PortalApp): StoryObj<StorageArgs>['render'] =>
  (args) => {
    const panel = portalPanel('fs-portal-storage', app);
    listenTo(panel, args);
    return panel;
  };

const meta: Meta<StorageArgs> = {
  title: 'Portal/fs-portal-storage',
  component: 'fs-portal-storage',
  argTypes: actionsFor('fs-portal-app-change'),
  parameters: {
    docs: {
      description: {
        component:
          "Where the app's pickAndStore copies go. Inside `<fs-portal>` the panel gets the app and the API client from the page; these stories give it a fake API (stories/fixtures/portal.ts), so Save and Remove work without a companion.",
      },
    },
  },
};
export default meta;

type Story = StoryObj<StorageArgs>;

/** No storage of the app's own: the companion's is used. */
export const Off: Story = { name: 'S3 off', render: forApp(DEV_APP) };

/** An S3-compatible bucket with path-style addressing; the credentials are saved and never shown. */
export const On: Story = { name: 'S3 on', render: forApp(CONFIGURED_APP) };

/** A bucket name too short, and an access key id without its secret: each field names its error. */
export const FieldErrors: Story = {
  name: 'Field errors',
  render: forApp(DEV_APP),
  play: async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-storage');
    fill(panel, '#field-bucket', 'ab');
    fill(panel, '#field-accessKeyId', 'AKIAIOSFODNN7EXAMPLE');
    await press(panel, 'Save storage');
  },
};
