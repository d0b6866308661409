import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { CONFIGURED_APP, portalElement, portalPanel, press, SAMPLE_DELIVERIES, type FakePortalOptions } from './fixtures/portal.ts';

/** Renders the log of an app with a fake portal API holding `options.deliveries` (stories/fixtures/portal.ts). */
const withLog =
  (options: FakePortalOptions): StoryObj['render'] =>
  () =>
    portalPanel('fs-portal-deliveries', CONFIGURED_APP, options);

const meta: Meta = {
  title: 'Portal/fs-portal-deliveries',
  component: 'fs-portal-deliveries',
  parameters: {
    docs: {
      description: {
        component:
          "The app's webhook delivery log, newest first. Inside `<fs-portal>` the panel gets the app and the API client from the page and reads the log when the app is set; these stories give it a fake API (stories/fixtures/portal.ts), so Refresh and Retry work without a companion.",
      },
    },
  },
};
export default meta;

type Story = StoryObj;

/** The log is being read. */
export const Loading: Story = { render: withLog({ hang: ['GET apps/intranet/deliveries'] }) };

/** Nothing was delivered yet. */
export const Empty: Story = { name: 'Empty log', render: withLog({ deliveries: [] }) };

/** One being retried, one delivered, one that gave up (it can be retried by hand). */
export const Log: Story = { name: 'Delivered, retrying and failed', render: withLog({ deliveries: SAMPLE_DELIVERIES }) };

/** The failed delivery was retried: it is pending again, due now. */
export const Retried: Story = {
  render: withLog({ deliveries: SAMPLE_DELIVERIES }),
  play: async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-deliveries');
    await press(panel, 'Retry delivery 41');
  },
};
