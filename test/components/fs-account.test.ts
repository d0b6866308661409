import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { StoryObj } from '@storybook/web-components-vite';
import { render } from 'lit';
import '../../src/define.ts';
import '../../src/views.ts';
import * as stories from '../../stories/fs-account.stories.ts';
import { CompanionClient } from '../../src/api/transport/client.ts';
import { signOut, whoAmI } from '../../src/api/transport/session.ts';
import type { FsAccount } from '../../src/components/fs-account/fs-account.ts';
import { leaveNotice, peekNotice } from '../../src/controllers/popup-auth.ts';
import { readSavedState, writeSavedState } from '../../src/controllers/saved-state.ts';
import type { Connection, PickerState } from '../../src/core/picker-state.ts';
import type { Store } from '../../src/core/store.ts';
import type { FsErrorEvent } from '../../src/events/fs-error.ts';
import { FsError } from '../../src/protocol/errors.ts';
import { hangingClient, LONG_NAME_CONNECTION, mountInContext, SAMPLE_CONNECTION } from '../../stories/fixtures/connect.ts';
import { storeWith } from '../../stories/fixtures/context.ts';
import { stackSession, stackUrls } from '../helpers/stack.ts';

async function renderView(connection: Connection | null, client?: CompanionClient): Promise<{ account: FsAccount; store: Store<PickerState>; client: CompanionClient }> {
  const { companion, apiKey } = await stackUrls();
  const actual = client ?? new CompanionClient({ server: companion, apiKey });
  const store = storeWith({ currentService: 'ALFRESCO', connection, folderId: connection ? 'some-folder' : null });
  const parent = await fixture<HTMLDivElement>(html`<div></div>`);
  const account = await mountInContext(parent, document.createElement('fs-account'), store, actual);
  return { account, store, client: actual };
}

const root = (account: FsAccount) => account.shadowRoot!;
const identity = (account: FsAccount) => root(account).querySelector('[part="identity"]')?.textContent?.replace(/\s+/g, ' ').trim();
const signOutButton = (account: FsAccount) => root(account).querySelector<HTMLButtonElement>('[part="sign-out"]');
const liveRegion = (account: FsAccount) => root(account).querySelector('[role="status"]')!.textContent.trim();

async function refusal(client: CompanionClient, session: string): Promise<FsError | undefined> {
  try {
    await whoAmI(client, session);
    return undefined;
  } catch (error) {
    return error instanceof FsError ? error : undefined;
  }
}

describe('<fs-account>', () => {
  it('says who is connected, with a Sign out button', async () => {
    const real = await stackSession('mjackson');
    const { account } = await renderView(real);

    expect(identity(account)).to.equal(`Connected as ${real.user.name}`);
    expect(root(account).querySelector('[part="identity"]')!.getAttribute('title')).to.equal(`Connected to Alfresco as ${real.user.name}`);
    expect(root(account).querySelector('[part="name"]')!.textContent).to.equal(real.user.name);
    expect(signOutButton(account)!.textContent.trim()).to.equal('Sign out');
    await expect(account).to.be.accessible();
  });

  it('whoAmI names the person behind a real session', async () => {
    const { companion, apiKey } = await stackUrls();
    const real = await stackSession('abeecher');
    expect(await whoAmI(new CompanionClient({ server: companion, apiKey }), real.session)).to.deep.equal(real.user);
  });

  it('signs out at the companion and here: store, saved state, announcement', async () => {
    const real = await stackSession('mjackson');
    const { account, store, client } = await renderView(real);
    const target = { server: client.server, apiKey: client.apiKey };
    await writeSavedState(target, { ...real, folderId: 'some-folder', viewMode: 'grid' });

    signOutButton(account)!.click();
    await waitUntil(() => store.getState().connection === null, 'the store was not signed out');
    await account.updateComplete;

    expect(store.getState()).to.include({ folderId: null, folder: null });
    expect(await readSavedState(target)).to.equal(undefined);
    expect(liveRegion(account)).to.equal('Signed out of Alfresco.');
    expect(signOutButton(account)).to.equal(null);
    // <fs-connect>, which replaces this view in the picker, confirms the sign-out.
    expect(peekNotice(store)).to.deep.equal({ kind: 'signed-out' });
    // The companion no longer accepts the session.
    expect((await refusal(client, real.session))?.code).to.equal('FS_ERR_NOT_CONNECTED');
    await expect(account).to.be.accessible();
  });

  it('signs out even when the companion already forgot the session', async () => {
    const real = await stackSession('abeecher');
    const { account, store, client } = await renderView(real);
    await signOut(client, real.session);
    let errors = 0;
    account.addEventListener('fs-error', () => (errors += 1));

    await account.signOut();

    expect(store.getState().connection).to.equal(null);
    expect(errors).to.equal(0);
  });

  it('signs out here when the companion cannot be reached, and fires fs-error', async () => {
    const { apiKey } = await stackUrls();
    const { account, store } = await renderView(SAMPLE_CONNECTION, new CompanionClient({ server: 'http://127.0.0.1:9', apiKey }));
    const failed = oneEvent<FsErrorEvent>(account, 'fs-error');

    signOutButton(account)!.click();

    expect((await failed).detail.code).to.equal('FS_ERR_NETWORK');
    expect(store.getState().connection).to.equal(null);
  });

  it('shows that signing out is under way', async () => {
    const { account, store } = await renderView(SAMPLE_CONNECTION, hangingClient());

    signOutButton(account)!.click();
    await account.updateComplete;

    expect(signOutButton(account)!.textContent.trim()).to.equal('Signing out…');
    expect(signOutButton(account)!.getAttribute('aria-disabled')).to.equal('true');
    expect(store.getState().connection).to.deep.equal(SAMPLE_CONNECTION);
    await expect(account).to.be.accessible();
  });

  it('announces a connection that was just made', async () => {
    const { companion, apiKey } = await stackUrls();
    const store = storeWith({ currentService: 'ALFRESCO', connection: SAMPLE_CONNECTION });
    leaveNotice(store, { kind: 'connected', user: SAMPLE_CONNECTION.user });
    const parent = await fixture<HTMLDivElement>(html`<div></div>`);
    const account = await mountInContext(parent, document.createElement('fs-account'), store, new CompanionClient({ server: companion, apiKey }));

    await waitUntil(() => liveRegion(account) === 'Connected to Alfresco as Mike Jackson', 'the connection was not announced');
    expect(peekNotice(store)).to.equal(undefined);
  });

  it('keeps a long name on one line', async () => {
    const { account } = await renderView(LONG_NAME_CONNECTION);
    const line = root(account).querySelector<HTMLElement>('[part="identity"]')!;
    account.style.width = '360px';

    expect(getComputedStyle(line).whiteSpace).to.equal('nowrap');
    expect(line.getBoundingClientRect().right).to.be.at.most(account.getBoundingClientRect().right);
    await expect(account).to.be.accessible();
  });

  it('can sign out with the keyboard alone', async () => {
    const real = await stackSession('mjackson');
    const { account, store } = await renderView(real);

    await sendKeys({ press: 'Tab' });
    expect(root(account).activeElement).to.equal(signOutButton(account));
    await sendKeys({ press: 'Enter' });

    await waitUntil(() => store.getState().connection === null, 'Enter did not sign out');
  });

  it('shows nothing but its live region when no one is connected', async () => {
    const { account } = await renderView(null);
    expect(identity(account)).to.equal(undefined);
    expect(signOutButton(account)).to.equal(null);
    await expect(account).to.be.accessible();
  });
});

describe('fs-account stories', () => {
  it('each story renders its state, accessibly', async () => {
    const expected: Record<string, string> = {
      SignedIn: 'Sign out',
      SigningOut: 'Signing out…',
      LongName: 'Sign out',
      RightToLeft: 'Sign out',
    };
    for (const [name, story] of Object.entries(stories)) {
      if (name === 'default') continue;
      const container = await fixture<HTMLDivElement>(html`<div></div>`);
      render((story as StoryObj).render!({}, {} as never), container);
      await waitUntil(() => container.querySelector('fs-account')?.shadowRoot?.querySelector('[part="sign-out"]'), `story ${name} rendered no account line`);
      const view = container.querySelector('fs-account')!;
      await waitUntil(() => signOutButton(view)!.textContent.trim() === expected[name], `story ${name} did not show ${expected[name]}`);
      await expect(view).to.be.accessible();
    }
  });
});
