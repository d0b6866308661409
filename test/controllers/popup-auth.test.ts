import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CompanionClient } from '../../src/api/transport/client.ts';
import { POPUP_NAME, POPUP_SIZE, PopupAuthController, type PopupAuthOptions, type PopupAuthState } from '../../src/controllers/popup-auth.ts';
import type { Connection } from '../../src/core/picker-state.ts';
import { connectedMessage, DENIED_TEXT, FAILED_TEXT, failedMessage, FakePopup, fakeOpener, postFromCompanion, SAMPLE_USER } from '../../stories/fixtures/connect.ts';
import { stackUrls } from '../helpers/stack.ts';

/** The least a controller needs of its host; counts the updates it asks for. */
class TestHost implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  updateComplete = Promise.resolve(true);
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates += 1;
  }
}

const SERVER = 'http://127.0.0.1:3020';
const ORIGIN = new URL(SERVER).origin;
const client = new CompanionClient({ server: SERVER, apiKey: 'test-key' });

function setUp(answer: () => FakePopup | null, options: Partial<PopupAuthOptions> = {}) {
  const host = new TestHost();
  const opener = fakeOpener(answer);
  const connections: Connection[] = [];
  const changes: PopupAuthState['kind'][] = [];
  const auth = new PopupAuthController(host, {
    client: () => client,
    open: opener.open,
    onConnected: (connection) => connections.push(connection),
    onChange: (state) => changes.push(state.kind),
    pollMs: 20,
    closeGraceMs: 30,
    ...options,
  });
  return { host, opener, auth, connections, changes };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PopupAuthController', () => {
  it('opens the companion’s start URL with the key, this page’s origin and a fresh nonce, as a centred popup', () => {
    const { auth, opener } = setUp(() => new FakePopup());

    expect(auth.start().kind).to.equal('waiting');
    auth.cancel();
    auth.start();

    const [first, second] = opener.calls;
    expect(first!.url.origin + first!.url.pathname).to.equal(`${SERVER}/auth/alfresco/start`);
    expect(first!.url.searchParams.get('key')).to.equal('test-key');
    expect(first!.url.searchParams.get('origin')).to.equal(location.origin);
    expect(first!.url.searchParams.get('nonce')).to.match(/^[\w-]{8,128}$/);
    expect(second!.url.searchParams.get('nonce')).not.to.equal(first!.url.searchParams.get('nonce'));
    expect(first!.target).to.equal(POPUP_NAME);
    expect(first!.features).to.contain(`width=${POPUP_SIZE.width}`).and.contain(`height=${POPUP_SIZE.height}`).and.contain('left=').and.contain('top=');
    expect(first!.features).not.to.contain('noopener');
    auth.cancel();
  });

  it('connects on the companion’s message with the matching nonce, once', () => {
    const { auth, opener, connections, host } = setUp(() => new FakePopup());
    auth.start();
    const updates = host.updates;

    postFromCompanion(connectedMessage(opener.nonce(), SAMPLE_USER, 'token-1'), ORIGIN);
    postFromCompanion(connectedMessage(opener.nonce(), SAMPLE_USER, 'token-2'), ORIGIN);

    expect(auth.state).to.deep.equal({ kind: 'connected', connection: { session: 'token-1', user: SAMPLE_USER } });
    expect(connections).to.deep.equal([{ session: 'token-1', user: SAMPLE_USER }]);
    expect(host.updates).to.be.greaterThan(updates);
  });

  it('ignores messages from another origin, with another nonce, or of another shape', () => {
    const { auth, opener, connections } = setUp(() => new FakePopup());
    auth.start();
    const nonce = opener.nonce();

    postFromCompanion(connectedMessage(nonce), 'http://127.0.0.1:4999');
    postFromCompanion(connectedMessage(nonce), location.origin);
    postFromCompanion(connectedMessage('someone-elses-nonce'), ORIGIN);
    postFromCompanion({ type: 'fs-picker:connected', nonce, session: 'token' }, ORIGIN);
    postFromCompanion({ type: 'fs-picker:connected', nonce, session: '', user: SAMPLE_USER }, ORIGIN);
    postFromCompanion('fs-picker:connected', ORIGIN);
    postFromCompanion(null, ORIGIN);

    expect(auth.state.kind).to.equal('waiting');
    expect(connections).to.have.length(0);
    auth.cancel();
  });

  it('reports a blocked popup, and opens it again on the next start', () => {
    let blocked = true;
    const { auth, opener } = setUp(() => (blocked ? null : new FakePopup()));

    expect(auth.start().kind).to.equal('blocked');
    blocked = false;
    expect(auth.start().kind).to.equal('waiting');
    expect(opener.calls).to.have.length(2);
    auth.cancel();
  });

  it('treats a window.open that throws as blocked', () => {
    const { auth } = setUp(() => {
      throw new Error('blocked by the page’s sandbox');
    });
    expect(auth.start().kind).to.equal('blocked');
  });

  it('reports a popup the person closed, and then stops listening', async () => {
    const popup = new FakePopup();
    const { auth, opener, connections } = setUp(() => popup);
    auth.start();

    popup.closed = true;
    await waitUntil(() => auth.state.kind === 'closed', 'the closed window was not noticed');
    postFromCompanion(connectedMessage(opener.nonce()), ORIGIN);

    expect(auth.state.kind).to.equal('closed');
    expect(connections).to.have.length(0);
  });

  it('takes the result that arrives as the popup closes itself', async () => {
    const popup = new FakePopup();
    const { auth, opener, changes } = setUp(() => popup, { pollMs: 10, closeGraceMs: 200 });
    auth.start();

    popup.closed = true;
    await sleep(50);
    postFromCompanion(connectedMessage(opener.nonce()), ORIGIN);
    await sleep(250);

    expect(auth.state.kind).to.equal('connected');
    expect(changes).to.deep.equal(['waiting', 'connected']);
  });

  it('tells access denied apart from other failures, with the companion’s message', () => {
    const denied = setUp(() => new FakePopup());
    denied.auth.start();
    postFromCompanion(failedMessage(denied.opener.nonce(), 'FS_ERR_CONNECT_DENIED', DENIED_TEXT), ORIGIN);
    expect(denied.auth.state).to.deep.equal({ kind: 'denied', message: DENIED_TEXT });

    const failed = setUp(() => new FakePopup());
    failed.auth.start();
    postFromCompanion(failedMessage(failed.opener.nonce(), 'FS_ERR_CONNECT_EXPIRED', 'Sign-in expired.'), ORIGIN);
    expect(failed.auth.state).to.deep.equal({ kind: 'failed', code: 'FS_ERR_CONNECT_EXPIRED', message: 'Sign-in expired.' });

    const odd = setUp(() => new FakePopup());
    odd.auth.start();
    postFromCompanion({ type: 'fs-picker:connect-failed', nonce: odd.opener.nonce(), code: 'NOT_A_CODE', message: FAILED_TEXT }, ORIGIN);
    expect(odd.auth.state).to.deep.equal({ kind: 'failed', code: 'FS_ERR_CONNECT_FAILED', message: FAILED_TEXT });
  });

  it('brings a waiting window to the front instead of opening a second one', () => {
    const popup = new FakePopup();
    const { auth, opener } = setUp(() => popup);
    auth.start();

    auth.start();
    auth.focusPopup();

    expect(opener.calls).to.have.length(1);
    expect(popup.focusCount).to.equal(2);
    auth.cancel();
  });

  it('cancel closes the window, goes back to idle and ignores a late answer', async () => {
    const popup = new FakePopup();
    const { auth, opener, connections } = setUp(() => popup);
    auth.start();

    auth.cancel();
    postFromCompanion(connectedMessage(opener.nonce()), ORIGIN);
    await sleep(100);

    expect(popup.closed).to.equal(true);
    expect(auth.state.kind).to.equal('idle');
    expect(connections).to.have.length(0);
  });

  it('closes the window and stops when the host goes away', async () => {
    const popup = new FakePopup();
    const { auth, opener, connections, changes } = setUp(() => popup);
    auth.start();

    auth.hostDisconnected();
    postFromCompanion(connectedMessage(opener.nonce()), ORIGIN);
    await sleep(100);

    expect(popup.closed).to.equal(true);
    expect(auth.state.kind).to.equal('idle');
    expect(connections).to.have.length(0);
    expect(changes).to.deep.equal(['waiting']);
  });

  it('fails clearly without a companion client', () => {
    const { auth, opener } = setUp(() => new FakePopup(), { client: () => undefined });
    const state = auth.start();
    expect(state.kind).to.equal('failed');
    expect(opener.calls).to.have.length(0);
  });

  it('opens a real window at the real companion and notices when it is closed', async () => {
    const { companion, apiKey } = await stackUrls();
    const host = new TestHost();
    let popup: Window | null = null;
    const auth = new PopupAuthController(host, {
      client: () => new CompanionClient({ server: companion, apiKey }),
      open: (...args) => (popup = window.open(...args)),
      pollMs: 50,
      closeGraceMs: 50,
    });

    expect(auth.start().kind).to.equal('waiting');
    expect(popup).not.to.equal(null);
    popup!.close();

    await waitUntil(() => auth.state.kind === 'closed', 'the closed window was not noticed');
  });
});
