import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { StoryObj } from '@storybook/web-components-vite';
import { render } from 'lit';
import '../../src/define.ts';
import '../../src/views.ts';
import * as stories from '../../stories/fs-connect.stories.ts';
import { CompanionClient } from '../../src/api/transport/client.ts';
import { whoAmI } from '../../src/api/transport/session.ts';
import type { FsConnect } from '../../src/components/fs-connect/fs-connect.ts';
import { leaveNotice, peekNotice } from '../../src/controllers/popup-auth.ts';
import type { PickerState } from '../../src/core/picker-state.ts';
import type { Store } from '../../src/core/store.ts';
import type { FsConnectEvent } from '../../src/events/fs-connect.ts';
import type { FsErrorEvent } from '../../src/events/fs-error.ts';
import { storeWith } from '../../stories/fixtures/context.ts';
import { connectedMessage, DENIED_TEXT, FAILED_TEXT, failedMessage, FakePopup, mountInContext, postFromCompanion, SAMPLE_USER, showConnectState, type ConnectState } from '../../stories/fixtures/connect.ts';
import { stackSession, stackUrls } from '../helpers/stack.ts';

interface Rendered {
  connect: FsConnect;
  store: Store<PickerState>;
  companion: string;
  origin: string;
}

async function renderView(store: Store<PickerState> = storeWith({ currentService: 'ALFRESCO' }), view: FsConnect = document.createElement('fs-connect')): Promise<Rendered> {
  const { companion, apiKey } = await stackUrls();
  const parent = await fixture<HTMLDivElement>(html`<div></div>`);
  const connect = await mountInContext(parent, view, store, new CompanionClient({ server: companion, apiKey }));
  return { connect, store, companion, origin: new URL(companion).origin };
}

const root = (connect: FsConnect) => connect.shadowRoot!;
const message = (connect: FsConnect) => root(connect).querySelector('[part="message"]');
const connectButton = (connect: FsConnect) => root(connect).querySelector<HTMLButtonElement>('[part="connect-button"]');
const buttonNamed = (connect: FsConnect, name: string) => [...root(connect).querySelectorAll('button')].find((button) => button.textContent.trim() === name);
const liveRegion = (connect: FsConnect) => root(connect).querySelector('[role="status"]')!.textContent.trim();

describe('<fs-connect>', () => {
  const realOpen = window.open.bind(window);
  let opened: { url: URL; features: string }[];
  let nextPopup: FakePopup | null;

  beforeEach(() => {
    opened = [];
    nextPopup = new FakePopup();
    // The page's own window.open, as the element calls it from the click: answers the fake window.
    window.open = (url?: string | URL, _target?: string, features?: string) => {
      opened.push({ url: new URL(String(url)), features: features ?? '' });
      return nextPopup?.asWindow() ?? null;
    };
  });

  afterEach(() => {
    window.open = realOpen;
  });

  const nonce = () => opened.at(-1)!.url.searchParams.get('nonce')!;

  it('explains what connecting means and offers Connect', async () => {
    const { connect } = await renderView();

    expect(root(connect).querySelector('h3')!.textContent).to.equal('Connect to Alfresco');
    expect(root(connect).textContent).to.contain('sign-in opens in a new window').and.contain('never sees your password');
    expect(connectButton(connect)!.textContent.trim()).to.equal('Connect to Alfresco');
    expect(message(connect)).to.equal(null);
    await expect(connect).to.be.accessible();
  });

  it('opens the companion’s sign-in window from the click itself', async () => {
    const { connect, companion } = await renderView();
    const { apiKey } = await stackUrls();

    connectButton(connect)!.click();

    // Synchronously: by the time click() returns, the window was asked for.
    expect(opened).to.have.length(1);
    const { url, features } = opened[0]!;
    expect(`${url.origin}${url.pathname}`).to.equal(`${companion}/auth/alfresco/start`);
    expect(url.searchParams.get('key')).to.equal(apiKey);
    expect(url.searchParams.get('origin')).to.equal(location.origin);
    expect(url.searchParams.get('nonce')).to.match(/^[\w-]{8,128}$/);
    expect(features).to.contain('popup');
    expect(connect.state.kind).to.equal('waiting');
  });

  it('while waiting, says where to finish, brings the window forward, and can cancel', async () => {
    const { connect } = await renderView();
    const popup = nextPopup!;
    connectButton(connect)!.click();
    await connect.updateComplete;

    expect(message(connect)!.textContent).to.contain('Finish signing in in the window that opened.');
    expect(liveRegion(connect)).to.contain('The sign-in window opened');
    await expect(connect).to.be.accessible();

    buttonNamed(connect, 'Show the sign-in window')!.click();
    expect(popup.focusCount).to.equal(1);

    buttonNamed(connect, 'Cancel')!.click();
    await connect.updateComplete;
    expect(popup.closed).to.equal(true);
    expect(connect.state.kind).to.equal('idle');
    expect(connectButton(connect)!.textContent.trim()).to.equal('Connect to Alfresco');
  });

  it('connects on the popup’s message: store, announcement, fs-connect event', async () => {
    const { connect, store, origin } = await renderView();
    connectButton(connect)!.click();
    const fired = oneEvent<FsConnectEvent>(connect, 'fs-connect');

    postFromCompanion(connectedMessage(nonce(), SAMPLE_USER, 'session-from-popup'), origin);

    expect((await fired).detail).to.deep.equal({ service: 'ALFRESCO', user: SAMPLE_USER });
    expect(store.getState().connection).to.deep.equal({ session: 'session-from-popup', user: SAMPLE_USER });
    await connect.updateComplete;
    expect(liveRegion(connect)).to.equal('Connected to Alfresco as Mike Jackson');
    expect(message(connect)!.textContent).to.contain('Connected to Alfresco as Mike Jackson.');
    // <fs-account>, which replaces this view in the picker, repeats the announcement.
    expect(peekNotice(store)).to.deep.equal({ kind: 'connected', user: SAMPLE_USER });
  });

  it('hands over a real session the companion then accepts', async () => {
    const { connect, store, origin, companion } = await renderView();
    const { apiKey } = await stackUrls();
    const real = await stackSession('abeecher');
    connectButton(connect)!.click();

    postFromCompanion(connectedMessage(nonce(), real.user, real.session), origin);

    const connection = store.getState().connection!;
    expect(await whoAmI(new CompanionClient({ server: companion, apiKey }), connection.session)).to.deep.equal(real.user);
  });

  it('ignores a message from another origin or with another nonce', async () => {
    const { connect, store, origin } = await renderView();
    connectButton(connect)!.click();

    postFromCompanion(connectedMessage(nonce()), location.origin);
    postFromCompanion(connectedMessage('not-this-attempts-nonce'), origin);
    await connect.updateComplete;

    expect(store.getState().connection).to.equal(null);
    expect(connect.state.kind).to.equal('waiting');
    buttonNamed(connect, 'Cancel')!.click();
  });

  it('says the window was blocked, and opens it again from the retry click', async () => {
    nextPopup = null;
    const { connect } = await renderView();
    connectButton(connect)!.click();
    await connect.updateComplete;

    expect(message(connect)!.textContent).to.contain('Your browser blocked the sign-in window');
    expect(liveRegion(connect)).to.contain('blocked');
    await expect(connect).to.be.accessible();

    nextPopup = new FakePopup();
    const retry = connectButton(connect)!;
    expect(retry.textContent.trim()).to.equal('Open the sign-in window');
    retry.click();

    expect(opened).to.have.length(2);
    expect(connect.state.kind).to.equal('waiting');
    buttonNamed(connect, 'Cancel')?.click();
  });

  it('says the window was closed before signing in', async () => {
    const { connect } = await renderView();
    connectButton(connect)!.click();

    nextPopup!.closed = true;
    await waitUntil(() => connect.state.kind === 'closed', 'the closed window was not noticed', { timeout: 3000 });
    await connect.updateComplete;

    expect(message(connect)!.textContent).to.contain('closed before you finished signing in');
    expect(connectButton(connect)!.textContent.trim()).to.equal('Try again');
    await expect(connect).to.be.accessible();
  });

  it('says access was denied, and fires fs-error with the code', async () => {
    const { connect, store, origin } = await renderView();
    connectButton(connect)!.click();
    const failed = oneEvent<FsErrorEvent>(connect, 'fs-error');

    postFromCompanion(failedMessage(nonce(), 'FS_ERR_CONNECT_DENIED', DENIED_TEXT), origin);

    expect((await failed).detail).to.deep.equal({ code: 'FS_ERR_CONNECT_DENIED', message: DENIED_TEXT });
    await connect.updateComplete;
    expect(message(connect)!.textContent).to.contain('Access to Alfresco was not allowed');
    expect(store.getState().connection).to.equal(null);
    await expect(connect).to.be.accessible();
  });

  it('shows the companion’s message when the sign-in failed', async () => {
    const { connect, origin } = await renderView();
    connectButton(connect)!.click();
    const failed = oneEvent<FsErrorEvent>(connect, 'fs-error');

    postFromCompanion(failedMessage(nonce(), 'FS_ERR_CONNECT_FAILED', FAILED_TEXT), origin);

    expect((await failed).detail.code).to.equal('FS_ERR_CONNECT_FAILED');
    await connect.updateComplete;
    expect(message(connect)!.textContent).to.contain(FAILED_TEXT);
    expect(connectButton(connect)!.textContent.trim()).to.equal('Try again');
    await expect(connect).to.be.accessible();
  });

  it('says the connection expired when the store carries that notice', async () => {
    const store = storeWith({ currentService: 'ALFRESCO' });
    leaveNotice(store, { kind: 'expired' });
    const { connect } = await renderView(store);

    expect(connect.reason).to.equal('expired');
    expect(message(connect)!.textContent).to.contain('Your connection to Alfresco expired');
    expect(connectButton(connect)!.textContent.trim()).to.equal('Connect again');
    await waitUntil(() => liveRegion(connect).includes('expired'), 'the expiry was not announced');
    await expect(connect).to.be.accessible();
  });

  it('says the connection expired when told so by the reason attribute', async () => {
    const view = document.createElement('fs-connect');
    view.setAttribute('reason', 'expired');
    const { connect } = await renderView(undefined, view);

    expect(message(connect)!.textContent).to.contain('Your connection to Alfresco expired');
  });

  it('confirms a sign-out left by <fs-account>', async () => {
    const store = storeWith({ currentService: 'ALFRESCO' });
    leaveNotice(store, { kind: 'signed-out' });
    const { connect } = await renderView(store);

    expect(message(connect)!.textContent).to.contain('You signed out of Alfresco.');
    await waitUntil(() => liveRegion(connect).includes('Signed out'), 'the sign-out was not announced');
  });

  it('can be used with the keyboard alone, and keeps focus on the main action as states change', async () => {
    nextPopup = null;
    const { connect } = await renderView();

    await sendKeys({ press: 'Tab' });
    expect(root(connect).activeElement).to.equal(connectButton(connect));
    await sendKeys({ press: 'Enter' });
    await connect.updateComplete;

    expect(connect.state.kind).to.equal('blocked');
    expect(root(connect).activeElement).to.equal(connectButton(connect));
    nextPopup = new FakePopup();
    await sendKeys({ press: 'Space' });
    await connect.updateComplete;
    expect(connect.state.kind).to.equal('waiting');
    expect(root(connect).activeElement?.textContent?.trim()).to.equal('Show the sign-in window');
    buttonNamed(connect, 'Cancel')!.click();
  });

  it('is accessible in every state the stories show', async () => {
    const states: ConnectState[] = ['idle', 'expired', 'signed-out', 'waiting', 'blocked', 'closed', 'denied', 'failed', 'connected'];
    for (const state of states) {
      const { connect, companion } = await renderView();
      await showConnectState(connect, state, companion);
      expect(connect.state.kind === 'idle' ? connect.reason || 'idle' : connect.state.kind).to.equal(state);
      await expect(connect).to.be.accessible();
      if (connect.state.kind === 'waiting') buttonNamed(connect, 'Cancel')!.click();
    }
  });
});

describe('fs-connect stories', () => {
  it('each story renders its state, accessibly', async () => {
    const expected: Record<string, string> = {
      Idle: 'idle',
      Waiting: 'waiting',
      Blocked: 'blocked',
      Closed: 'closed',
      Denied: 'denied',
      Failed: 'failed',
      Expired: 'expired',
      SignedOut: 'signed-out',
      Connected: 'connected',
      RightToLeft: 'failed',
    };
    for (const [name, story] of Object.entries(stories)) {
      if (name === 'default') continue;
      const container = await fixture<HTMLDivElement>(html`<div></div>`);
      render((story as StoryObj).render!({}, {} as never), container);
      const view = await waitUntilFound(container);
      const state = () => (view.state.kind === 'idle' ? view.reason || 'idle' : view.state.kind);
      await waitUntil(() => state() === expected[name], `story ${name} did not reach ${expected[name]}`, { timeout: 3000 });
      await view.updateComplete;
      await expect(view).to.be.accessible();
    }
  });
});

async function waitUntilFound(container: HTMLElement): Promise<FsConnect> {
  await waitUntil(() => container.querySelector('fs-connect'), 'the story rendered no <fs-connect>');
  const view = container.querySelector('fs-connect')!;
  await view.updateComplete;
  return view;
}
