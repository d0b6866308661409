import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CompanionClient } from '../../src/api/transport/client.ts';
import { PopupAuthController, type PopupAuthState } from '../../src/controllers/popup-auth.ts';
import type { Connection } from '../../src/core/picker-state.ts';
import { connectedMessage, failedMessage, FakePopup, fakeOpener, postFromCompanion } from '../../stories/fixtures/connect.ts';
import { stackUrls } from '../helpers/stack.ts';

/*
 * The sign-in's messages are taken only from the popup window the controller opened, at the companion's
 * origin: another window or frame (one of the companion's origin included) and a forged message are
 * ignored, with no state change and nothing thrown into the page.
 */

class TestHost implements ReactiveControllerHost {
  addController(_controller: ReactiveController): void {}
  removeController(): void {}
  requestUpdate(): void {}
  updateComplete = Promise.resolve(true);
}

describe('PopupAuthController: who may speak for the sign-in', () => {
  let companion: string;
  let companionOrigin: string;
  let errors: unknown[];
  const onError = (event: ErrorEvent) => errors.push(event.error ?? event.message);
  const cleanUp: Array<() => void> = [];

  before(async () => {
    companion = (await stackUrls()).companion;
    companionOrigin = new URL(companion).origin;
  });
  beforeEach(() => {
    errors = [];
    window.addEventListener('error', onError);
  });
  afterEach(() => {
    window.removeEventListener('error', onError);
    for (const undo of cleanUp.splice(0)) undo();
  });

  function setUp() {
    const popup = new FakePopup();
    const opener = fakeOpener(() => popup);
    const connections: Connection[] = [];
    const changes: PopupAuthState['kind'][] = [];
    const auth = new PopupAuthController(new TestHost(), {
      client: () => new CompanionClient({ server: companion, apiKey: 'test-key' }),
      open: opener.open,
      onConnected: (connection) => connections.push(connection),
      onChange: (state) => changes.push(state.kind),
      pollMs: 20,
      closeGraceMs: 30,
    });
    expect(auth.start().kind).to.equal('waiting');
    cleanUp.push(() => auth.cancel());
    return { auth, popup: popup.asWindow(), nonce: opener.nonce(), connections, changes };
  }

  /** A frame on the page at `src`, loaded. */
  async function frameAt(src: string): Promise<HTMLIFrameElement> {
    const frame = document.createElement('iframe');
    frame.src = src;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    cleanUp.push(() => frame.remove());
    await loaded;
    return frame;
  }

  it('ignores a message with the right origin and nonce from an iframe of the companion’s origin', async () => {
    const { auth, nonce, connections, changes } = setUp();
    const frame = await frameAt(`${companion}/healthz`);

    postFromCompanion(connectedMessage(nonce, undefined, 'stolen-session'), companionOrigin, frame.contentWindow);
    postFromCompanion(failedMessage(nonce, 'FS_ERR_CONNECT_DENIED', 'Denied by a frame.'), companionOrigin, frame.contentWindow);

    expect(auth.state).to.deep.equal({ kind: 'waiting' });
    expect(connections).to.deep.equal([]);
    expect(changes).to.deep.equal(['waiting']);
    expect(errors).to.deep.equal([]);
  });

  it('ignores the same message from another window, and from this page itself', async () => {
    const { auth, nonce, connections, changes } = setUp();
    const other = window.open('about:blank', 'fs-picker-other-window', 'popup=yes,width=200,height=200');
    cleanUp.push(() => other?.close());
    expect(other).not.to.equal(null);

    postFromCompanion(connectedMessage(nonce), companionOrigin, other);
    postFromCompanion(connectedMessage(nonce), companionOrigin, window);
    postFromCompanion(connectedMessage(nonce), companionOrigin, null);
    // A real message posted by this page: its origin is the page's, its source the page.
    window.postMessage(connectedMessage(nonce), '*');
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(auth.state).to.deep.equal({ kind: 'waiting' });
    expect(connections).to.deep.equal([]);
    expect(changes).to.deep.equal(['waiting']);
    expect(errors).to.deep.equal([]);
  });

  it('ignores a forged message from another origin, even one claiming to come from the popup', async () => {
    const { auth, popup, nonce, connections, changes } = setUp();

    postFromCompanion(connectedMessage(nonce), 'https://evil.example', popup);
    postFromCompanion(connectedMessage(nonce), 'null', popup);
    postFromCompanion(connectedMessage(nonce), `${companionOrigin}.evil.example`, popup);
    // Odd data from elsewhere must not throw into the page either.
    const trap = Object.defineProperty({}, 'nonce', {
      get() {
        throw new Error('read a forged message');
      },
    });
    postFromCompanion(trap, 'https://evil.example', popup);
    postFromCompanion(trap, companionOrigin, window);

    expect(auth.state).to.deep.equal({ kind: 'waiting' });
    expect(connections).to.deep.equal([]);
    expect(changes).to.deep.equal(['waiting']);
    expect(errors).to.deep.equal([]);
  });

  it('still takes the popup’s own message after ignoring the others', async () => {
    const { auth, popup, nonce, connections } = setUp();
    const frame = await frameAt(`${companion}/healthz`);
    postFromCompanion(connectedMessage(nonce, undefined, 'stolen-session'), companionOrigin, frame.contentWindow);

    postFromCompanion(connectedMessage(nonce, undefined, 'the-real-session'), companionOrigin, popup);

    await waitUntil(() => auth.state.kind === 'connected');
    expect(connections.map(({ session }) => session)).to.deep.equal(['the-real-session']);
    expect(errors).to.deep.equal([]);
  });
});
