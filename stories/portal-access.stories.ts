import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { PortalApp } from '../companion/portal/api.ts';
import { actionsFor, appWith, CONFIGURED_APP, DEV_APP, fill, listenTo, portalElement, portalPanel, press } from './fixtures/portal.ts';

/** Actions for the element's events. */
interface AccessArgs {
  onFsPortalAppChange?: (event: Event) => void;
}

/** Renders the panel for `app`, with a fake portal API holding it (stories/fixtures/portal.ts). */
const forApp =
  (app: PortalApp): StoryObj<AccessArgs>['render'] =>
  (args) => {
    const panel = portalPanel('fs-portal-access', app);
    listenTo(panel, args);
    return panel;
  };

/** Presses the controls named `names`, one after the other. */
const pressing =
  (...names: string[]): StoryObj<AccessArgs>['play'] =>
  async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-access');
    for (const name of names) await press(panel, name);
  };

const meta: Meta<AccessArgs> = {
  title: 'Portal/fs-portal-access',
  component: 'fs-portal-access',
  argTypes: actionsFor('fs-portal-app-change'),
  parameters: {
    docs: {
      description: {
        component:
          "An app's API key, app secret, signed-policy switch and allowed origins. Inside `<fs-portal>` the panel gets the app and the API client from the page; these stories give it a fake API (stories/fixtures/portal.ts), so its buttons work without a companion.",
      },
    },
  },
};
export default meta;

type Story = StoryObj<AccessArgs>;

/** An app with two allowed origins, signed policies required, and an app secret set. */
export const WithOrigins: Story = { name: 'App with origins', render: forApp(CONFIGURED_APP) };

/** No app secret yet, signed policies not required. */
export const NoSecret: Story = { name: 'No app secret', render: forApp(appWith(DEV_APP, { appSecretSet: false })) };

/** Rotate asks first: the old key stops working at once. */
export const ConfirmRotate: Story = { name: 'Confirming a key rotation', render: forApp(CONFIGURED_APP), play: pressing('Rotate API key…') };

/** The key was rotated: the new one is shown, and the status line says the old one no longer works. */
export const KeyRotated: Story = { name: 'Key rotated', render: forApp(CONFIGURED_APP), play: pressing('Rotate API key…', 'Rotate now') };

/** A new app secret, shown this once to be copied. */
export const NewSecret: Story = { name: 'New app secret shown once', render: forApp(CONFIGURED_APP), play: pressing('Generate a new app secret') };

/** An origin with a path: the companion names the line. */
export const OriginError: Story = {
  name: 'Origin error',
  render: forApp(CONFIGURED_APP),
  play: async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-access');
    fill(panel, '#origins', 'https://intranet.example.com\nhttps://intranet.example.com/files');
    await press(panel, 'Save origins');
  },
};
