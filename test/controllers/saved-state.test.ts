import { expect } from '@open-wc/testing';
import { get, keys } from 'idb-keyval';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CompanionClient } from '../../src/api/transport/client.ts';
import { signOut } from '../../src/api/transport/session.ts';
import { peekNotice } from '../../src/controllers/popup-auth.ts';
import { clearSavedState, readSavedState, SavedStateController, savedStateKey, writeSavedState, type SavedState, type SavedStateTarget } from '../../src/controllers/saved-state.ts';
import { initialPickerState, navigated, signedOut, type PickerState } from '../../src/core/picker-state.ts';
import { createStore, type Store } from '../../src/core/store.ts';
import { SAMPLE_CONNECTION } from '../../stories/fixtures/connect.ts';
import { stackSession, stackUrls } from '../helpers/stack.ts';

class TestHost implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  updateComplete = Promise.resolve(true);
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {}
  connect(): void {
    for (const controller of this.controllers) controller.hostConnected?.();
  }
  update(): void {
    for (const controller of this.controllers) controller.hostUpdated?.();
  }
  disconnect(): void {
    for (const controller of this.controllers) controller.hostDisconnected?.();
  }
}

/** A controller on a fresh store for `target`, connected like a picker that was just put in the page. */
function connectedController(target: Partial<SavedStateTarget> | undefined, store: Store<PickerState> = createStore(initialPickerState())) {
  const host = new TestHost();
  let current = target;
  const controller = new SavedStateController(host, store, () => current);
  host.connect();
  return {
    host,
    store,
    controller,
    retarget: (next: Partial<SavedStateTarget> | undefined) => {
      current = next;
      host.update();
    },
  };
}

describe('SavedStateController', () => {
  let target: SavedStateTarget;

  beforeEach(async () => {
    const { companion, apiKey } = await stackUrls();
    target = { server: companion, apiKey };
    await clearSavedState(target);
  });

  afterEach(async () => {
    await clearSavedState(target);
  });

  it('keys the state by companion, app and source', () => {
    expect(savedStateKey({ server: 'https://files.example.com/', apiKey: 'abc' })).to.equal('fs-picker|https://files.example.com|abc|ALFRESCO');
    expect(savedStateKey({ server: 'https://files.example.com', apiKey: 'abc' }, 'WEBDAV')).to.equal('fs-picker|https://files.example.com|abc|WEBDAV');
  });

  it('restores a saved session the companion still accepts, with the last folder and view mode', async () => {
    const { session, user } = await stackSession('abeecher');
    await writeSavedState(target, { session, user: { id: user.id, name: 'old name' }, folderId: 'some-folder-id', viewMode: 'grid' });

    const { store, controller } = connectedController(target);
    await controller.ready;

    expect(controller.outcome).to.equal('restored');
    const state = store.getState();
    expect(state.connection).to.deep.equal({ session, user });
    expect(state.folderId).to.equal('some-folder-id');
    expect(state.viewMode).to.equal('grid');
    await controller.saved;
    expect((await readSavedState(target))?.user).to.deep.equal(user);
  });

  it('saves the connection, folder and view mode as they change, and forgets them on sign-out', async () => {
    const { session, user } = await stackSession('mjackson');
    const { store, controller } = connectedController(target);
    await controller.ready;
    expect(controller.outcome).to.equal('none');

    store.setState({ connection: { session, user } });
    store.setState((state) => navigated(state, 'folder-a'));
    store.setState({ viewMode: 'grid' });
    await controller.saved;
    expect(await readSavedState(target)).to.deep.equal({ session, user, folderId: 'folder-a', viewMode: 'grid' } satisfies SavedState);

    store.setState((state) => signedOut(state));
    await controller.saved;
    expect(await readSavedState(target)).to.equal(undefined);
  });

  it('goes back to where the person was after a "reload"', async () => {
    const { session, user } = await stackSession('mjackson');
    const first = connectedController(target);
    await first.controller.ready;
    first.store.setState({ connection: { session, user }, folderId: 'folder-b', viewMode: 'grid' });
    await first.controller.saved;
    first.host.disconnect();

    const second = connectedController(target);
    await second.controller.ready;

    expect(second.store.getState()).to.include({ folderId: 'folder-b', viewMode: 'grid' });
    expect(second.store.getState().connection).to.deep.equal({ session, user });
  });

  it('drops a session the companion no longer knows (signed out elsewhere)', async () => {
    const { session, user } = await stackSession('mjackson');
    await signOut(new CompanionClient(target), session);
    await writeSavedState(target, { session, user, folderId: null, viewMode: 'list' });

    const { store, controller } = connectedController(target);
    await controller.ready;

    expect(controller.outcome).to.equal('dropped');
    expect(store.getState().connection).to.equal(null);
    expect(await readSavedState(target)).to.equal(undefined);
    expect(peekNotice(store)).to.equal(undefined);
  });

  it('drops a session the source asks to reconnect, and leaves the "expired" notice for <fs-connect>', async () => {
    await writeSavedState(target, { ...SAMPLE_CONNECTION, folderId: 'folder-c', viewMode: 'list' });
    // The sandbox cannot be made to refuse a grant on demand: answer GET /api/session as the companion does then.
    const passThrough = window.fetch.bind(window);
    window.fetch = async (input, init) =>
      String(input instanceof Request ? input.url : input).includes('/api/session')
        ? new Response(JSON.stringify({ error: { code: 'FS_ERR_RECONNECT', message: 'Your Alfresco sign-in has expired. Connect again.' } }), { status: 401, headers: { 'Content-Type': 'application/json' } })
        : passThrough(input, init);
    try {
      const { store, controller } = connectedController(target);
      await controller.ready;

      expect(controller.outcome).to.equal('expired');
      expect(store.getState().connection).to.equal(null);
      expect(peekNotice(store)).to.deep.equal({ kind: 'expired' });
      expect(await readSavedState(target)).to.equal(undefined);
    } finally {
      window.fetch = passThrough;
    }
  });

  it('restores unverified when the companion cannot be reached', async () => {
    const unreachable = { server: 'http://127.0.0.1:9', apiKey: target.apiKey };
    await writeSavedState(unreachable, { ...SAMPLE_CONNECTION, folderId: null, viewMode: 'list' });
    try {
      const { store, controller } = connectedController(unreachable);
      await controller.ready;

      expect(controller.outcome).to.equal('unverified');
      expect(store.getState().connection).to.deep.equal(SAMPLE_CONNECTION);
    } finally {
      await clearSavedState(unreachable);
    }
  });

  it('leaves a connection the store already has alone', async () => {
    const { session, user } = await stackSession('admin');
    await writeSavedState(target, { session, user, folderId: 'old-folder', viewMode: 'grid' });
    const store = createStore<PickerState>({ ...initialPickerState(), connection: SAMPLE_CONNECTION, folderId: 'current' });

    const { controller } = connectedController(target, store);
    await controller.ready;
    await controller.saved;

    expect(controller.outcome).to.equal('kept');
    expect(store.getState()).to.include({ folderId: 'current', viewMode: 'list' });
    expect((await readSavedState(target))?.session).to.equal(SAMPLE_CONNECTION.session);
  });

  it('waits for both server and api key, and starts over when they change', async () => {
    const { session, user } = await stackSession('mjackson');
    await writeSavedState(target, { session, user, folderId: null, viewMode: 'grid' });

    const { store, controller, retarget } = connectedController({ server: target.server, apiKey: '' });
    await controller.ready;
    expect(controller.outcome).to.equal('pending');
    expect(store.getState().connection).to.equal(null);

    retarget(target);
    await controller.ready;
    expect(controller.outcome).to.equal('restored');
    expect(store.getState().viewMode).to.equal('grid');
  });

  it('keeps its records in its own database, not in the page’s idb-keyval store', async () => {
    const { controller, store } = connectedController(target);
    await controller.ready;
    store.setState({ connection: SAMPLE_CONNECTION });
    await controller.saved;

    expect(await readSavedState(target)).to.not.equal(undefined);
    expect(await get(savedStateKey(target))).to.equal(undefined);
    expect((await keys()).map(String).filter((key) => key.startsWith('fs-picker|'))).to.deep.equal([]);
  });
});
