import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { CompanionClient } from '../src/api/transport/client.ts';
import type { Connection } from '../src/core/picker-state.ts';
import { hangingClient, LONG_NAME_CONNECTION, mountInContext, SAMPLE_CONNECTION, storyClient } from './fixtures/connect.ts';
import { storeWith } from './fixtures/context.ts';

interface AccountArgs {
  onFsError?: (event: Event) => void;
}

/** Renders `<fs-account>` in a picker store connected as `connection`; `signingOut` clicks Sign out on a client that never answers. */
const connectedAs =
  (connection: Connection, options: { client?: () => CompanionClient; signingOut?: boolean; dir?: 'rtl' } = {}): StoryObj<AccountArgs>['render'] =>
  (args) => {
    const mount = (parent: Element | undefined): void => {
      if (!(parent instanceof HTMLElement) || parent.childElementCount > 0) return;
      const view = document.createElement('fs-account');
      if (args.onFsError) view.addEventListener('fs-error', args.onFsError);
      const store = storeWith({ currentService: 'ALFRESCO', connection: { ...connection, user: { ...connection.user } } });
      void mountInContext(parent, view, store, (options.client ?? storyClient)()).then(() => {
        if (options.signingOut) void view.signOut();
      });
    };
    return html`<div dir=${options.dir ?? 'ltr'} style="max-width: 36rem; border: 1px dashed #c9cfdb" ${ref(mount)}></div>`;
  };

const meta: Meta<AccountArgs> = {
  title: 'Views/fs-account',
  component: 'fs-account',
  parameters: {
    docs: {
      description: {
        component:
          'The account line the picker shows above the browser. These stories give it a store with a made-up connection; Sign out calls the companion of `npm start` (and signs out here whatever it answers).',
      },
    },
  },
};
export default meta;

type Story = StoryObj<AccountArgs>;

/** Signed in: who, and Sign out. */
export const SignedIn: Story = { name: 'Signed in', render: connectedAs(SAMPLE_CONNECTION) };

/** Sign out is under way (the companion has not answered yet). */
export const SigningOut: Story = { name: 'Signing out', render: connectedAs(SAMPLE_CONNECTION, { client: hangingClient, signingOut: true }) };

/** A long name stays on one line and is cut with an ellipsis. */
export const LongName: Story = { name: 'Long name at 360 px', render: (args, context) => html`<div style="width: 360px">${connectedAs(LONG_NAME_CONNECTION)!(args, context)}</div>` };

/** Right to left: Sign out sits at the inline end. */
export const RightToLeft: Story = { name: 'Right to left', render: connectedAs(SAMPLE_CONNECTION, { dir: 'rtl' }) };
