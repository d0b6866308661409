import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { appWith, CONFIGURED_APP, DEV_APP, FakePortalApi, portalPage, SAMPLE_DELIVERIES, STORY_PASSWORD, unreachable, type FakePortalOptions } from './fixtures/portal.ts';

/** Renders the whole portal page talking to a fake portal API (stories/fixtures/portal.ts). */
const withApi =
  (options: FakePortalOptions, page: { disabled?: boolean } = {}): StoryObj['render'] =>
  () =>
    portalPage(new FakePortalApi(options), page);

const meta: Meta = {
  title: 'Portal/fs-portal',
  component: 'fs-portal',
  parameters: {
    layout: 'fullscreen',
    docs: {
      description: {
        component: `The developer portal page the companion serves at /portal. It makes its own API client; these stories stand a fake in for it (stories/fixtures/portal.ts), so the whole portal works without a companion. Signed out, the password is \`${STORY_PASSWORD}\`.`,
      },
    },
  },
};
export default meta;

type Story = StoryObj;

/** Signed in, one app set up by its owner: keys, Alfresco, storage, webhooks and the delivery log. */
export const SignedIn: Story = { name: 'Signed in', render: withApi({ signedIn: true, apps: [CONFIGURED_APP], deliveries: SAMPLE_DELIVERIES }) };

/** Several apps: the header chooses which one the panels show. */
export const SeveralApps: Story = {
  name: 'Several apps',
  render: withApi({ signedIn: true, apps: [CONFIGURED_APP, appWith(DEV_APP)], deliveries: SAMPLE_DELIVERIES }),
};

/** No session: the sign-in form. */
export const SignedOut: Story = { name: 'Signed out', render: withApi({ apps: [CONFIGURED_APP], deliveries: SAMPLE_DELIVERIES }) };

/** Asking the companion for the session. */
export const Checking: Story = { name: 'Checking the session', render: withApi({ hang: ['GET session'] }) };

/** Signed in to a companion with no apps registered. */
export const NoApps: Story = { name: 'No apps', render: withApi({ signedIn: true, apps: [] }) };

/** The companion could not be reached: the page says so above the sign-in form. */
export const Unreachable: Story = { name: 'Companion unreachable', render: withApi({ refuse: { 'GET session': unreachable } }) };

/** The companion's configuration has no portal password or token. */
export const Disabled: Story = { render: withApi({}, { disabled: true }) };
