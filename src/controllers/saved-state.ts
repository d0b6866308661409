import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createStore as createIdbStore, del, get, set, type UseStore } from 'idb-keyval';
import { CompanionClient } from '../api/transport/client.ts';
import { whoAmI } from '../api/transport/session.ts';
import type { PickerState, ViewMode } from '../core/picker-state.ts';
import type { Store } from '../core/store.ts';
import type { ConnectedUser } from '../protocol/connect.ts';
import { FsError } from '../protocol/errors.ts';
import type { RepositoryId } from '../protocol/services.ts';
import { leaveNotice } from './popup-auth.ts';

/** What survives a reload, per companion + app + source. */
export interface SavedState {
  /** The companion session token. */
  session: string;
  user: ConnectedUser;
  /** The last folder shown, or null for the default location. */
  folderId: string | null;
  viewMode: ViewMode;
}

/** Which companion and app the picker talks to; both must be set for anything to be saved. */
export interface SavedStateTarget {
  server: string;
  apiKey: string;
}

let idbStore: UseStore | undefined;

/** The picker's own IndexedDB database (`fs-picker`, object store `state`), apart from the page's keyval. */
function savedStore(): UseStore {
  idbStore ??= createIdbStore('fs-picker', 'state');
  return idbStore;
}

/** `fs-picker|<server>|<apiKey>|<source>`: the server without trailing slashes, as the client uses it. */
export function savedStateKey({ server, apiKey }: SavedStateTarget, source: RepositoryId = 'ALFRESCO'): string {
  return `fs-picker|${server.replace(/\/+$/, '')}|${apiKey}|${source}`;
}

/** The saved state for `target`, or undefined when there is none (or it is not in the expected shape). */
export async function readSavedState(target: SavedStateTarget, source: RepositoryId = 'ALFRESCO'): Promise<SavedState | undefined> {
  const value: unknown = await get(savedStateKey(target, source), savedStore());
  return isSavedState(value) ? value : undefined;
}

export async function writeSavedState(target: SavedStateTarget, state: SavedState, source: RepositoryId = 'ALFRESCO'): Promise<void> {
  await set(savedStateKey(target, source), state, savedStore());
}

/** Forgets the session, folder and view mode saved for `target` (signing out does this). */
export async function clearSavedState(target: SavedStateTarget, source: RepositoryId = 'ALFRESCO'): Promise<void> {
  await del(savedStateKey(target, source), savedStore());
}

function isSavedState(value: unknown): value is SavedState {
  if (typeof value !== 'object' || value === null) return false;
  const saved = value as Partial<SavedState>;
  return (
    typeof saved.session === 'string' &&
    typeof saved.user?.id === 'string' &&
    typeof saved.user.name === 'string' &&
    (saved.folderId === null || typeof saved.folderId === 'string') &&
    (saved.viewMode === 'list' || saved.viewMode === 'grid')
  );
}

/** What became of the saved connection at the last restore. */
export type RestoreOutcome =
  /** Nothing to restore yet (no server or API key), or a restore is under way. */
  | 'pending'
  /** Nothing was saved. */
  | 'none'
  /** The saved session was verified and put in the store. */
  | 'restored'
  /** The store already had a connection; the saved one was left alone. */
  | 'kept'
  /** The companion could not be asked; the saved session was put in the store unverified. */
  | 'unverified'
  /** The session was gone (signed out elsewhere, unknown): dropped. */
  | 'dropped'
  /** The source asked to reconnect (`FS_ERR_RECONNECT`): dropped, and `<fs-connect>` says it expired. */
  | 'expired';

/**
 * Keeps the picker's connection to each repository, last folder and view mode in IndexedDB, per companion + app +
 * source, so that reopening the picker or reloading the page goes back to where the person was, signed in.
 *
 * ```ts
 * readonly #saved = new SavedStateController(this, this.#store, () => ({ server: this.server, apiKey: this.apiKey }));
 * ```
 *
 * When the host connects, and whenever `target()` names another companion or app (it is read again after
 * each host update), the controller reads the saved state and verifies the session with
 * `GET /api/session`. A session the companion still accepts goes into the store (`connection`, `folderId`,
 * `viewMode`); one it refuses (`FS_ERR_NOT_CONNECTED`, `FS_ERR_RECONNECT`) is deleted, and for
 * `FS_ERR_RECONNECT` a notice makes `<fs-connect>` say the connection expired. When the companion cannot be
 * reached the saved session is restored unverified (the browser reports the network error and its own
 * calls find out). Nothing is restored over a connection the store already has.
 *
 * From then on it saves `connection`, `folderId` and `viewMode` whenever they change, and deletes the
 * record when the connection goes (`signedOut`). `ready` settles when the current restore is done.
 */
export class SavedStateController implements ReactiveController {
  #key: string | undefined;
  #unsubscribe: (() => void) | undefined;
  #writes: Promise<void> = Promise.resolve();
  #ready: Promise<void> = Promise.resolve();
  #outcome: RestoreOutcome = 'pending';
  #generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: Store<PickerState>,
    private readonly target: () => Partial<SavedStateTarget> | undefined,
  ) {
    host.addController(this);
  }

  /** Settles when the restore for the current companion and app is done (and never rejects). */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** What the last restore did. */
  get outcome(): RestoreOutcome {
    return this.#outcome;
  }

  /** Settles when every save asked for so far is written. */
  get saved(): Promise<void> {
    return this.#writes;
  }

  hostConnected(): void {
    this.#sync();
  }

  hostUpdated(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#detach();
  }

  /** Forgets what is saved for the current companion and app (the store is not changed). */
  clear(): Promise<void> {
    const target = this.#target();
    const source = this.store.getState().repository;
    return target ? this.#queue(() => clearSavedState(target, source)) : Promise.resolve();
  }

  #target(): SavedStateTarget | undefined {
    const target = this.target();
    return target?.server && target.apiKey ? { server: target.server, apiKey: target.apiKey } : undefined;
  }

  #sync(): void {
    const target = this.#target();
    // Each repository has its own record: the store shows one at a time (picker-state.ts `repository`).
    const source = this.store.getState().repository;
    const key = target && savedStateKey(target, source);
    if (key === this.#key) return;
    this.#detach();
    this.#key = key;
    if (!target) return;
    const generation = this.#generation;
    this.#outcome = 'pending';
    this.#ready = this.#restore(target, source, generation).catch(() => {
      // IndexedDB unavailable (private mode in some browsers): the picker works, it just forgets.
      this.#outcome = 'none';
    });
    void this.#ready.then(() => {
      if (generation === this.#generation) this.#persist(target, source);
    });
  }

  #detach(): void {
    this.#generation += 1;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#key = undefined;
  }

  async #restore(target: SavedStateTarget, source: RepositoryId, generation: number): Promise<void> {
    const saved = await readSavedState(target, source);
    if (generation !== this.#generation) return;
    if (!saved) {
      this.#outcome = 'none';
      return;
    }
    if (this.store.getState().connection) {
      this.#outcome = 'kept';
      return;
    }
    let user = saved.user;
    let outcome: RestoreOutcome = 'restored';
    try {
      user = await whoAmI(new CompanionClient(target), saved.session);
    } catch (error) {
      if (error instanceof FsError && (error.code === 'FS_ERR_NOT_CONNECTED' || error.code === 'FS_ERR_RECONNECT')) {
        if (generation !== this.#generation) return;
        await this.#queue(() => clearSavedState(target, source));
        this.#outcome = error.code === 'FS_ERR_RECONNECT' ? 'expired' : 'dropped';
        if (error.code === 'FS_ERR_RECONNECT') {
          leaveNotice(this.store, { kind: 'expired' });
          // The view showing Connect may already be there: nudge it to pick the notice up.
          this.store.setState({});
        }
        return;
      }
      outcome = 'unverified';
    }
    // The person went to another repository meanwhile: this record is not what the store shows now.
    if (generation !== this.#generation || this.store.getState().repository !== source) return;
    if (this.store.getState().connection) {
      this.#outcome = 'kept';
      return;
    }
    this.store.setState({ connection: { session: saved.session, user }, folderId: saved.folderId, viewMode: saved.viewMode });
    this.#outcome = outcome;
    this.host.requestUpdate();
  }

  /** Saves the store's connection, folder and view mode now and whenever they change. */
  #persist(target: SavedStateTarget, source: RepositoryId): void {
    const save = (state: PickerState): void => {
      const { connection, folderId, viewMode } = state;
      if (connection) void this.#queue(() => writeSavedState(target, { session: connection.session, user: connection.user, folderId, viewMode }, source));
      else void this.#queue(() => clearSavedState(target, source));
    };
    const { connection } = this.store.getState();
    if (connection) save(this.store.getState());
    this.#unsubscribe = this.store.subscribe((state, previous) => {
      // Moving to another repository is not signing out of this one; the next sync follows it there.
      if (state.repository !== source || previous.repository !== source) return;
      if (state.connection === previous.connection && state.folderId === previous.folderId && state.viewMode === previous.viewMode) return;
      if (!state.connection && !previous.connection) return;
      save(state);
    });
  }

  /** Runs IndexedDB writes one after the other, in the order they were asked for; a failure is not fatal. */
  #queue(write: () => Promise<void>): Promise<void> {
    this.#writes = this.#writes.then(write).catch(() => undefined);
    return this.#writes;
  }
}
