import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { mountInContext, showConnectState, storyClient, type ConnectState } from './fixtures/connect.ts';
import { storeWith } from './fixtures/context.ts';

/** Actions for the element's events; Storybook fills them from the manifest's `@fires` entries. */
interface ConnectArgs {
  onFsConnect?: (event: Event) => void;
  onFsError?: (event: Event) => void;
}

/**
 * Renders `<fs-connect>` in a picker store and brings it into `state` through its real popup controller,
 * with a stand-in for the sign-in window (stories/fixtures/connect.ts).
 */
const inState =
  (state: ConnectState): StoryObj<ConnectArgs>['render'] =>
  (args) => {
    const mount = (parent: Element | undefined): void => {
      if (!(parent instanceof HTMLElement) || parent.childElementCount > 0) return;
      const view = document.createElement('fs-connect');
      if (args.onFsConnect) view.addEventListener('fs-connect', args.onFsConnect);
      if (args.onFsError) view.addEventListener('fs-error', args.onFsError);
      void mountInContext(parent, view, storeWith({ currentService: 'ALFRESCO' }), storyClient()).then(() => showConnectState(view, state));
    };
    return html`<div style="max-width: 36rem" ${ref(mount)}></div>`;
  };

const meta: Meta<ConnectArgs> = {
  title: 'Views/fs-connect',
  component: 'fs-connect',
  parameters: {
    docs: {
      description: {
        component:
          'Inside `<fs-picker>` the view gets the store and companion client from the picker. These stories give it a store and a client for `npm start`’s companion, and a stand-in for the sign-in window, so each outcome can be shown without signing in. In the first story, Connect opens the real sign-in window (run `npm start`).',
      },
    },
  },
};
export default meta;

type Story = StoryObj<ConnectArgs>;

/** Before anything happened: what connecting means, and Connect. */
export const Idle: Story = { render: inState('idle') };

/** The sign-in window is open; the person can bring it forward or cancel. */
export const Waiting: Story = { render: inState('waiting') };

/** The browser blocked the window; the button opens it again from that click. */
export const Blocked: Story = { name: 'Popup blocked', render: inState('blocked') };

/** The person closed the window before signing in. */
export const Closed: Story = { name: 'Closed by the person', render: inState('closed') };

/** The person refused access at Alfresco. */
export const Denied: Story = { name: 'Access denied', render: inState('denied') };

/** The sign-in failed; the companion's explanation is shown. */
export const Failed: Story = { render: inState('failed') };

/** The connection was dropped because Alfresco asked to sign in again (`FS_ERR_RECONNECT`). */
export const Expired: Story = { name: 'Connection expired', render: inState('expired') };

/** Right after signing out in `<fs-account>`. */
export const SignedOut: Story = { name: 'Signed out', render: inState('signed-out') };

/** The popup handed over a session (in the picker, the browser replaces this view at once). */
export const Connected: Story = { render: inState('connected') };

/** The failure state in a right-to-left page: the layout mirrors. */
export const RightToLeft: Story = {
  name: 'Right to left',
  render: (args, context) => html`<div dir="rtl">${inState('failed')!(args, context)}</div>`,
};
