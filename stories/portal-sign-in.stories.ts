import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { actionsFor, fill, listenTo, portalElement, portalPanel, press, STORY_PASSWORD, type FakePortalOptions } from './fixtures/portal.ts';

/** Actions for the element's events. */
interface SignInArgs {
  onFsPortalSignedIn?: (event: Event) => void;
}

/** Renders the sign-in form with a fake portal API (stories/fixtures/portal.ts). */
const withApi =
  (options: FakePortalOptions = {}): StoryObj<SignInArgs>['render'] =>
  (args) => {
    const panel = portalPanel('fs-portal-sign-in', undefined, options);
    listenTo(panel, args);
    return panel;
  };

/** Types `password` and presses Sign in. */
const signInWith =
  (password: string): StoryObj<SignInArgs>['play'] =>
  async ({ canvasElement }) => {
    const panel = await portalElement(canvasElement, 'fs-portal-sign-in');
    fill(panel, '#field-password', password);
    await press(panel, 'Sign in');
  };

const meta: Meta<SignInArgs> = {
  title: 'Portal/fs-portal-sign-in',
  component: 'fs-portal-sign-in',
  argTypes: actionsFor('fs-portal-signed-in'),
  parameters: {
    docs: {
      description: {
        component: `The developer portal's sign-in, with the admin password from the companion's configuration. These stories give it a fake portal API that accepts \`${STORY_PASSWORD}\`; nothing is sent anywhere.`,
      },
    },
  },
};
export default meta;

type Story = StoryObj<SignInArgs>;

/** Before anything was typed; the password field has focus. */
export const Empty: Story = { render: withApi() };

/** Signing in: the companion has not answered yet. */
export const SigningIn: Story = { name: 'Signing in', render: withApi({ hang: ['POST session'] }), play: signInWith(STORY_PASSWORD) };

/** A wrong password: the field is marked and names the error; focus goes back to it. */
export const WrongPassword: Story = { name: 'Wrong password', render: withApi(), play: signInWith('not the password') };

/** Too many wrong passwords from this address: the companion refuses every try for a while. */
export const LockedOut: Story = { name: 'Locked out (rate limited)', render: withApi({ lockedOut: true }), play: signInWith(STORY_PASSWORD) };
