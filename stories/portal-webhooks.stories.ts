import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { PortalApp } from '../companion/portal/api.ts';
import { actionsFor, CONFIGURED_APP, DEV_APP, fill, listenTo, portalElement, portalPanel, press } from './fixtures/portal.ts';

/** Actions for the element's events. */
interface WebhooksArgs {
  onFsPortalAppChange?: (event: Event) => void;
  onFsPortalTestSent?: (event: Event) => void;
}

/** Renders the panel for `app`, with a fake portal API holding it (stories/fixtures/portal.ts). */
const forApp =
  (app: PortalApp): StoryObj<WebhooksArgs>['render'] =>
  (args) => {
    const panel = portalPanel('fs-portal-webhooks', app);
    listenTo(panel, args);
    return panel;
  };

/** Types `url` in the form, chooses `events` ("All" when none) and presses `button`. */
const submitting =
  (url: string, events: string[] = [], button = 'Add webhook'): StoryObj<WebhooksArgs>['play'] =>
  async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-webhooks');
    fill(panel, '#field-url', url);
    if (events.length > 0) await press(panel, 'Chosen events:');
    for (const event of events) await press(panel, event);
    await press(panel, button);
  };

const meta: Meta<WebhooksArgs> = {
  title: 'Portal/fs-portal-webhooks',
  component: 'fs-portal-webhooks',
  argTypes: actionsFor('fs-portal-app-change', 'fs-portal-test-sent'),
  parameters: {
    docs: {
      description: {
        component:
          "The app's webhook URLs, each for all events or chosen ones, with a signing secret shown once. Inside `<fs-portal>` the panel gets the app and the API client from the page; these stories give it a fake API (stories/fixtures/portal.ts), so every button works without a companion.",
      },
    },
  },
};
export default meta;

type Story = StoryObj<WebhooksArgs>;

/** No webhook URLs yet: the form adds one. */
export const None: Story = { render: forApp(DEV_APP) };

/** Two URLs: one for "All" events, one for chosen events. */
export const Several: Story = { name: 'Several, "All" and chosen events', render: forApp(CONFIGURED_APP) };

/** A URL was added: its signing secret is shown this once, to be copied. */
export const NewSecret: Story = { name: 'New secret shown once', render: forApp(DEV_APP), play: submitting('https://hooks.example.com/fs-picker', ['fp.upload', 'fp.export']) };

/** Editing a URL for chosen events: the form holds its URL and events. */
export const Editing: Story = {
  render: forApp(CONFIGURED_APP),
  play: async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-webhooks');
    await press(panel, 'Edit https://crm.example.com/hooks/files');
  },
};

/** Not a URL: the field names the error. */
export const FieldError: Story = { name: 'Field error', render: forApp(DEV_APP), play: submitting('hooks.example.com/fs-picker') };

/** "Chosen events" with none chosen: the events name the error. */
export const NoEventChosen: Story = {
  name: 'No event chosen',
  render: forApp(DEV_APP),
  play: async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-webhooks');
    fill(panel, '#field-url', 'https://hooks.example.com/fs-picker');
    await press(panel, 'Chosen events:');
    await press(panel, 'Add webhook');
  },
};

/** A test event was sent to the URLs that take `fp.dialog`. */
export const TestSent: Story = {
  name: 'Test event sent',
  render: forApp(CONFIGURED_APP),
  play: async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-webhooks');
    await press(panel, 'Send test event');
  },
};
