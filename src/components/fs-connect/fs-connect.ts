import { html, LitElement, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { ContextConsumer } from '@lit/context';
import { msg, str } from '@lit/localize';
import type { CompanionClient } from '../../api/transport/client.ts';
import { Announcer } from '../../controllers/announcer.ts';
import { clientContext } from '../../controllers/context.ts';
import { leaveNotice, PopupAuthController, takeNotice, type OpenWindow, type PopupAuthState } from '../../controllers/popup-auth.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import { connected, type Connection } from '../../core/picker-state.ts';
import { FsConnectEvent } from '../../events/fs-connect.ts';
import { FsErrorEvent } from '../../events/fs-error.ts';
import { REPOSITORY_NAMES, type RepositoryId } from '../../protocol/services.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { connectStyles } from './fs-connect.styles.ts';

/** Why the picker shows Connect again, when it is not the first time. */
export type ConnectReason = '' | 'expired' | 'signed-out';

const ICON = svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><ellipse cx="12" cy="5" rx="8" ry="3"/><path d="M4 5v14c0 1.7 3.6 3 8 3s8-1.3 8-3V5M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3"/></svg>`;

interface Shown {
  tone: 'info' | 'problem' | 'success' | 'none';
  message: TemplateResult | string | typeof nothing;
  actions: TemplateResult;
}

/**
 * Connects the picker to the repository the store is on (Alfresco, WebDAV, CMIS). It explains what connecting means, and its Connect button opens the
 * companion's sign-in window from the click itself (so popup blockers let it through). The person signs in
 * there; the page never sees the password, only a session token that the window hands back.
 *
 * Each outcome has its own text and next step: waiting for the window (bring it to the front, or cancel),
 * window blocked by the browser (open it again from that click), window closed before signing in, access
 * denied, sign-in failed (with the companion's explanation), and — when `reason` is `expired` — a
 * connection that expired and must be made again. On success the store becomes `connected`, "Connected to
 * Alfresco as …" (or WebDAV, CMIS) is announced politely, and `fs-connect` fires.
 *
 * `reason` can be set by whoever renders the view; it is also set from a notice left on the store by the
 * saved-state restore (`FS_ERR_RECONNECT`) or by `<fs-account>` after a sign-out (see
 * `leaveNotice` in controllers/popup-auth.ts), so the picker only has to render `<fs-connect>`.
 *
 * @summary Sign in to a repository in a popup window, with clear states for each outcome.
 * @fires fs-connect - The person signed in; `detail` is `{ service, user: { id, name } }` (service e.g. 'ALFRESCO').
 * @fires fs-error - The sign-in was refused or failed; `detail` has the code and the companion's message.
 * @csspart base - The whole view.
 * @csspart title - The heading.
 * @csspart message - The box that says what happened (absent before anything happened).
 * @csspart actions - The row of buttons.
 * @csspart connect-button - The button that opens the sign-in window (Connect, Try again, Open sign-in window).
 * @cssproperty [--fs-connect-max-width=30rem] - Width of the view's column.
 * @cssproperty [--fs-color-accent=#2457c5] - The Connect button and the waiting indicator.
 * @cssproperty [--fs-color-accent-text=#fff] - Text on the Connect button.
 * @cssproperty [--fs-color-danger=#b3261e] - The edge of a problem message.
 * @cssproperty [--fs-color-success=#1e7a3c] - The edge of the connected message.
 * @cssproperty [--fs-color-surface-raised=#f4f6fa] - Background of the message box.
 */
export class FsConnect extends LitElement {
  static override styles = [baseStyles, connectStyles];
  static override properties = {
    client: { attribute: false },
    reason: {},
    openWindow: { attribute: false },
  };

  /** The companion client; taken from the enclosing `<fs-picker>` unless set directly. */
  declare client: CompanionClient | undefined;
  /** `expired`: the last connection expired (the source asked to sign in again); `signed-out`: the person just signed out. */
  declare reason: ConnectReason;
  /** What opens the sign-in window; `window.open` unless set (stories and tests). */
  declare openWindow: OpenWindow | undefined;

  readonly #announcer = new Announcer(this);
  /** Whether focus was on one of the view's buttons when the sign-in state changed. */
  #hadFocus = false;
  // Every store change re-renders, so a notice left on the store is picked up when it arrives.
  readonly #store = new StoreController(this, (state) => state);
  readonly #auth = new PopupAuthController(this, {
    client: () => this.client,
    source: () => this.#source(),
    open: (...args) => (this.openWindow ?? ((...rest) => window.open(...rest)))(...args),
    onConnected: (connection) => this.#connected(connection),
    onChange: (state) => this.#changed(state),
  });

  constructor() {
    super();
    this.client = undefined;
    this.reason = '';
    this.openWindow = undefined;
    new ContextConsumer(this, {
      context: clientContext,
      subscribe: true,
      callback: (client) => {
        this.client = client;
      },
    });
  }

  #source(): RepositoryId {
    return this.#store.value?.repository ?? 'ALFRESCO';
  }

  /** The repository's name, as the sentences say it. */
  get #name(): string {
    return REPOSITORY_NAMES[this.#source()];
  }

  /** Where the sign-in stands. */
  get state(): PopupAuthState {
    return this.#auth.state;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const store = this.#store.store;
    const notice = store && takeNotice(store, 'expired', 'signed-out');
    if (!notice) return;
    this.reason = notice.kind;
    const name = this.#name;
    const text = notice.kind === 'expired' ? msg(str`Your connection to ${name} expired. Connect again.`) : msg(str`Signed out of ${name}.`);
    // The live region is rendered empty first, then speaks: regions born with their text are not read out.
    setTimeout(() => this.#announcer.announce(text), 100);
  }

  protected override render() {
    const shown = this.#shown();
    const name = this.#name;
    return html`<section part="base" aria-labelledby="title">
      ${ICON}
      <h3 part="title" id="title">${this.#auth.state.kind === 'connected' ? msg(str`Connected to ${name}`) : msg(str`Connect to ${name}`)}</h3>
      ${this.#auth.state.kind === 'connected'
        ? nothing
        : html`<p class="privacy">
            ${msg(str`To pick files from ${name}, connect your account there. Its sign-in opens in a new window: you sign in there, and this site never sees your password.`)}
          </p>`}
      ${shown.tone === 'none' ? nothing : html`<p part="message" data-tone=${shown.tone} data-state=${this.#stateName()}>${shown.message}</p>`}
      <div part="actions">${shown.actions}</div>
      ${this.#announcer.region()}
    </section>`;
  }

  /** `idle`, `waiting`, `blocked`, `closed`, `denied`, `failed`, `connected`, or `expired`/`signed-out` while idle. */
  #stateName(): string {
    const { kind } = this.#auth.state;
    return kind === 'idle' && this.reason ? this.reason : kind;
  }

  #connectButton(label: string): TemplateResult {
    return html`<button part="connect-button" class="primary" data-primary @click=${() => this.#auth.start()}>${label}</button>`;
  }

  #shown(): Shown {
    const state = this.#auth.state;
    const name = this.#name;
    switch (state.kind) {
      case 'idle':
        if (this.reason === 'expired') {
          return { tone: 'problem', message: msg(str`Your connection to ${name} expired. Connect again to go on.`), actions: this.#connectButton(msg('Connect again')) };
        }
        if (this.reason === 'signed-out') {
          return { tone: 'info', message: msg(str`You signed out of ${name}.`), actions: this.#connectButton(msg(str`Connect to ${name}`)) };
        }
        return { tone: 'none', message: nothing, actions: this.#connectButton(msg(str`Connect to ${name}`)) };
      case 'waiting':
        return {
          tone: 'info',
          message: html`<span class="waiting" aria-hidden="true"><span></span><span></span><span></span></span>${msg('Finish signing in in the window that opened.')}`,
          actions: html`<button class="primary" data-primary @click=${() => this.#auth.focusPopup()}>${msg('Show the sign-in window')}</button>
            <button @click=${() => this.#auth.cancel()}>${msg('Cancel')}</button>`,
        };
      case 'blocked':
        return {
          tone: 'problem',
          message: msg('Your browser blocked the sign-in window. Open it again from the button below; if it is blocked again, allow pop-ups for this site.'),
          actions: this.#connectButton(msg('Open the sign-in window')),
        };
      case 'closed':
        return { tone: 'problem', message: msg('The sign-in window was closed before you finished signing in.'), actions: this.#connectButton(msg('Try again')) };
      case 'denied':
        return { tone: 'problem', message: msg(str`Access to ${name} was not allowed, so the picker is not connected.`), actions: this.#connectButton(msg('Connect again')) };
      case 'failed':
        return { tone: 'problem', message: state.message || msg(str`Signing in to ${name} did not succeed.`), actions: this.#connectButton(msg('Try again')) };
      case 'connected':
        return { tone: 'success', message: msg(str`Connected to ${name} as ${state.connection.user.name}.`), actions: html`` };
    }
  }

  protected override updated(): void {
    // A state change replaces the buttons; if focus was on one of them, it goes to the new main action.
    if (this.#hadFocus && !this.shadowRoot?.activeElement) this.renderRoot.querySelector<HTMLElement>('[data-primary]')?.focus();
    this.#hadFocus = false;
  }

  #changed(state: PopupAuthState): void {
    this.#hadFocus = Boolean(this.shadowRoot?.activeElement);
    if (state.kind !== 'idle' && state.kind !== 'connected') this.reason = '';
    switch (state.kind) {
      case 'waiting':
        this.#announcer.announce(msg('The sign-in window opened. Finish signing in there.'));
        break;
      case 'blocked':
        this.#announcer.announce(msg('Your browser blocked the sign-in window.'));
        break;
      case 'closed':
        this.#announcer.announce(msg('The sign-in window was closed before you finished signing in.'));
        break;
      case 'denied':
        this.#announcer.announce(msg(str`Access to ${this.#name} was not allowed.`));
        this.dispatchEvent(new FsErrorEvent({ code: 'FS_ERR_CONNECT_DENIED', message: state.message }));
        break;
      case 'failed':
        this.#announcer.announce(msg(str`Signing in to ${this.#name} did not succeed: ${state.message}`));
        this.dispatchEvent(new FsErrorEvent({ code: state.code, message: state.message }));
        break;
      case 'idle':
      case 'connected':
        break;
    }
  }

  #connected(connection: Connection): void {
    this.reason = '';
    this.#announcer.announce(msg(str`Connected to ${this.#name} as ${connection.user.name}`));
    const store = this.#store.store;
    if (store) {
      // The picker swaps this view for the browser now; <fs-account> repeats the announcement there.
      leaveNotice(store, { kind: 'connected', user: connection.user });
      store.setState((state) => connected(state, connection));
    }
    this.dispatchEvent(new FsConnectEvent({ service: this.#source(), user: connection.user }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-connect': FsConnect;
  }
}
