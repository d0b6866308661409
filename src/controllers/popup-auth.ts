import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { msg } from '@lit/localize';
import type { CompanionClient } from '../api/transport/client.ts';
import { signInUrl } from '../api/transport/connect.ts';
import { connectionLost, type Connection, type PickerState } from '../core/picker-state.ts';
import type { Store } from '../core/store.ts';
import type { ConnectedUser, PopupMessage } from '../protocol/connect.ts';
import { isErrorCode, type ErrorCode } from '../protocol/errors.ts';
import type { RepositoryId } from '../protocol/services.ts';

/** Where a sign-in through the companion's popup stands. */
export type PopupAuthState =
  /** Nothing started yet (or the person cancelled). */
  | { kind: 'idle' }
  /** The sign-in window is open; the person is signing in there. */
  | { kind: 'waiting' }
  /** The browser refused to open the window (`window.open` returned null). */
  | { kind: 'blocked' }
  /** The person closed the window before the sign-in finished. */
  | { kind: 'closed' }
  /** The person (or the source) refused access: `FS_ERR_CONNECT_DENIED`. */
  | { kind: 'denied'; message: string }
  /** The sign-in did not succeed for another reason; `message` is the companion's, for people. */
  | { kind: 'failed'; code: ErrorCode; message: string }
  | { kind: 'connected'; connection: Connection };

/** What opens the window; `window.open` unless a test gives another. */
export type OpenWindow = (url: string, target: string, features: string) => Window | null;

export interface PopupAuthOptions {
  /** The companion client of the picker, read when the sign-in starts. */
  client: () => CompanionClient | undefined;
  /** The repository to sign in to, read when the sign-in starts (Alfresco unless given). */
  source?: () => RepositoryId;
  /** Called once when the popup hands over a session. */
  onConnected?: (connection: Connection) => void;
  /** Called after every change of `state` (the host is asked to re-render as well). */
  onChange?: (state: PopupAuthState) => void;
  /** Defaults to the page's current `window.open`. */
  open?: OpenWindow;
  /** How often to look whether the person closed the window, in ms (default 400). */
  pollMs?: number;
  /**
   * How long a closed window waits for its last message before counting as "closed by the person", in ms
   * (default 400): the popup posts its result and then closes itself, so both can arrive close together.
   */
  closeGraceMs?: number;
}

/** The size of the sign-in window, like other OAuth popups. */
export const POPUP_SIZE = { width: 520, height: 680 } as const;

/** The window's name: a second Connect reuses the same window rather than opening another. */
export const POPUP_NAME = 'fs-picker-signin';

/**
 * Runs the companion's sign-in popup for a repository.
 *
 * `start()` must be called from the click (or key) handler itself, synchronously, so that popup blockers
 * allow the window. It opens `/auth/<source>/start?key&origin&nonce` centred over the page, then listens
 * for `message` events that come from the window it opened (`event.source`), at the companion's origin,
 * and carry this attempt's nonce; anything else is ignored, silently (another frame of the companion's
 * origin, another window, a forged message: none can sign the picker in or fail its sign-in), and looks every `pollMs` whether the person closed the window. Listeners and timers
 * are removed when the attempt ends, when it is cancelled and when the host disconnects (which also
 * closes a window still open: nobody would hear its answer).
 */
export class PopupAuthController implements ReactiveController {
  #state: PopupAuthState = { kind: 'idle' };
  #popup: Window | null = null;
  #nonce = '';
  #origin = '';
  #poll: ReturnType<typeof setInterval> | undefined;
  #grace: ReturnType<typeof setTimeout> | undefined;
  readonly #onMessage = (event: MessageEvent) => this.#handleMessage(event);

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: PopupAuthOptions,
  ) {
    host.addController(this);
  }

  get state(): PopupAuthState {
    return this.#state;
  }

  /** The open sign-in window, while waiting. */
  get popup(): Window | null {
    return this.#popup;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    if (this.#state.kind === 'waiting') this.#popup?.close();
    this.#stop();
    if (this.#state.kind === 'waiting') this.#state = { kind: 'idle' };
  }

  /**
   * Opens the sign-in window. Call it synchronously from a click handler. While a window is already
   * waiting, it is brought to the front instead. Returns the new state.
   */
  start(): PopupAuthState {
    if (this.#state.kind === 'waiting' && this.#popup && !this.#popup.closed) {
      this.#popup.focus();
      return this.#state;
    }
    this.#stop();
    const client = this.options.client();
    if (!client) {
      return this.#set({ kind: 'failed', code: 'FS_ERR_INVALID_OPTION', message: msg('The picker has no companion server or API key, so it cannot connect.') });
    }
    this.#nonce = randomNonce();
    this.#origin = new URL(client.server).origin;
    const url = signInUrl(client, { source: this.options.source?.() ?? 'ALFRESCO', origin: location.origin, nonce: this.#nonce });
    const open: OpenWindow = this.options.open ?? ((...args) => window.open(...args));
    let popup: Window | null;
    try {
      popup = open(url.href, POPUP_NAME, popupFeatures());
    } catch {
      popup = null;
    }
    if (!popup) return this.#set({ kind: 'blocked' });
    this.#popup = popup;
    window.addEventListener('message', this.#onMessage);
    this.#poll = setInterval(() => this.#checkClosed(), this.options.pollMs ?? 400);
    return this.#set({ kind: 'waiting' });
  }

  /** Brings the sign-in window to the front. */
  focusPopup(): void {
    if (this.#popup && !this.#popup.closed) this.#popup.focus();
  }

  /** Gives up the sign-in: closes the window and goes back to idle. */
  cancel(): void {
    const popup = this.#popup;
    this.#stop();
    if (popup && !popup.closed) popup.close();
    this.#set({ kind: 'idle' });
  }

  /** Back to idle without touching any window (e.g. after a success the view has shown). */
  reset(): void {
    this.#stop();
    this.#set({ kind: 'idle' });
  }

  #checkClosed(): void {
    if (!this.#popup?.closed || this.#grace !== undefined) return;
    clearInterval(this.#poll);
    this.#poll = undefined;
    this.#grace = setTimeout(() => {
      this.#grace = undefined;
      if (this.#state.kind !== 'waiting') return;
      this.#stop();
      this.#set({ kind: 'closed' });
    }, this.options.closeGraceMs ?? 400);
  }

  #handleMessage(event: MessageEvent): void {
    if (this.#state.kind !== 'waiting' || event.origin !== this.#origin) return;
    // Only the window this attempt opened speaks for it (an iframe of the companion's origin does not).
    if (this.#popup === null || event.source !== this.#popup) return;
    const message = asPopupMessage(event.data);
    if (!message || message.nonce !== this.#nonce) return;
    this.#stop();
    if (message.type === 'fs-picker:connected') {
      const connection: Connection = { session: message.session, user: { id: message.user.id, name: message.user.name } };
      this.#set({ kind: 'connected', connection });
      this.options.onConnected?.(connection);
    } else if (message.code === 'FS_ERR_CONNECT_DENIED') {
      this.#set({ kind: 'denied', message: message.message });
    } else {
      this.#set({ kind: 'failed', code: message.code, message: message.message });
    }
  }

  /** Removes the listener and timers and lets go of the window; the state stays as it is. */
  #stop(): void {
    window.removeEventListener('message', this.#onMessage);
    clearInterval(this.#poll);
    clearTimeout(this.#grace);
    this.#poll = undefined;
    this.#grace = undefined;
    this.#popup = null;
  }

  #set(state: PopupAuthState): PopupAuthState {
    this.#state = state;
    this.host.requestUpdate();
    this.options.onChange?.(state);
    return state;
  }
}

/** 128 random bits as hex: what the companion accepts as the opener's nonce (`[\w-]{8,128}`). */
export function randomNonce(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** `window.open` features for a popup of POPUP_SIZE centred over the current window. */
export function popupFeatures(): string {
  const { width, height } = POPUP_SIZE;
  const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - width) / 2));
  const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - height) / 2));
  return `popup=yes,width=${width},height=${height},left=${left},top=${top}`;
}

/** The popup's message when `data` is one, with every field checked; undefined for anything else. */
export function asPopupMessage(data: unknown): PopupMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const message = data as Record<string, unknown>;
  if (typeof message.nonce !== 'string') return undefined;
  if (message.type === 'fs-picker:connected') {
    const user = message.user as Record<string, unknown> | null | undefined;
    if (typeof message.session !== 'string' || !message.session || typeof user?.id !== 'string' || typeof user.name !== 'string') return undefined;
    return { type: message.type, nonce: message.nonce, session: message.session, user: { id: user.id, name: user.name } };
  }
  if (message.type === 'fs-picker:connect-failed') {
    if (typeof message.message !== 'string') return undefined;
    return { type: message.type, nonce: message.nonce, code: isErrorCode(message.code) ? message.code : 'FS_ERR_CONNECT_FAILED', message: message.message };
  }
  return undefined;
}

/**
 * Something one view tells the next one that the same store shows. When the connection changes, the
 * picker swaps `<fs-connect>` for the browser and `<fs-account>` (or back), so the view that did it is gone
 * before its live region could speak; the view that appears takes the notice and announces it.
 */
export type ConnectionNotice =
  /** A sign-in just succeeded: `<fs-account>` announces "Connected to Alfresco as …". */
  | { kind: 'connected'; user: ConnectedUser }
  /** The person signed out: `<fs-connect>` announces "Signed out". */
  | { kind: 'signed-out' }
  /** The connection was dropped because the source asked to reconnect (`FS_ERR_RECONNECT`). */
  | { kind: 'expired' };

const notices = new WeakMap<Store<PickerState>, ConnectionNotice>();

/** Leaves a notice for the next view of `store`; call it just before the store transition. */
export function leaveNotice(store: Store<PickerState>, notice: ConnectionNotice): void {
  notices.set(store, notice);
}

/** Takes (and removes) the notice left for `store` when it is one of `kinds`. */
export function takeNotice<K extends ConnectionNotice['kind']>(store: Store<PickerState>, ...kinds: K[]): Extract<ConnectionNotice, { kind: K }> | undefined {
  const notice = notices.get(store);
  if (!notice || !(kinds as string[]).includes(notice.kind)) return undefined;
  notices.delete(store);
  return notice as Extract<ConnectionNotice, { kind: K }>;
}

/** Looks at the notice left for `store` without taking it. */
export function peekNotice(store: Store<PickerState>): ConnectionNotice | undefined {
  return notices.get(store);
}

/**
 * When a call answers that the connection is gone (`FS_ERR_RECONNECT`: the grant cannot be refreshed;
 * `FS_ERR_NOT_CONNECTED`: the session is unknown), forget it; the picker then shows `<fs-connect>`, which
 * says why, and connecting again as the same person brings back the folder and the selection
 * (`connectionLost`). Returns whether the error was one of those.
 */
export function dropLostConnection(store: Store<PickerState> | undefined, code: string): boolean {
  if (code !== 'FS_ERR_RECONNECT' && code !== 'FS_ERR_NOT_CONNECTED') return false;
  if (!store) return true;
  leaveNotice(store, { kind: 'expired' });
  store.setState((state) => connectionLost(state));
  return true;
}
