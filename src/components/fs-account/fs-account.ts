import { html, LitElement, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { msg, str } from '@lit/localize';
import type { CompanionClient } from '../../api/transport/client.ts';
import { signOut } from '../../api/transport/session.ts';
import { Announcer } from '../../controllers/announcer.ts';
import { clientContext } from '../../controllers/context.ts';
import { leaveNotice, takeNotice } from '../../controllers/popup-auth.ts';
import { clearSavedState } from '../../controllers/saved-state.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import { signedOut } from '../../core/picker-state.ts';
import { FsErrorEvent } from '../../events/fs-error.ts';
import { FsError } from '../../protocol/errors.ts';
import { REPOSITORY_NAMES } from '../../protocol/services.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { accountStyles } from './fs-account.styles.ts';

/**
 * The signed-in account line: "Connected as <name>" (the full "Connected to Alfresco as …" in its
 * tooltip, for names cut short) and a Sign out button.
 *
 * Sign out ends the session at the companion (`DELETE /api/session`, which also revokes the Alfresco grant),
 * forgets the saved state for this companion and app, and moves the store to `signedOut`, so the picker
 * shows Connect again, which says "You signed out". A session the companion already forgot counts as
 * signed out. When the companion cannot be reached the picker still forgets the session here (the person
 * asked to sign out) and fires `fs-error` so the page can tell.
 *
 * Right after a sign-in, it announces "Connected to Alfresco as …" (the connect view is gone by then).
 *
 * @summary Who is signed in to Alfresco, with Sign out.
 * @fires fs-error - Signing out at the companion failed (the picker signed out locally anyway).
 * @csspart base - The line.
 * @csspart identity - The "Connected as …" text.
 * @csspart name - The person's name.
 * @csspart sign-out - The Sign out button.
 * @cssproperty [--fs-color-link=#2457c5] - The Sign out button's text (falls back to `--fs-color-accent`).
 * @cssproperty [--fs-color-text-muted=#5b6272] - The "Connected as" text.
 */
export class FsAccount extends LitElement {
  static override styles = [baseStyles, accountStyles];
  static override properties = { client: { attribute: false }, busy: { state: true } };

  /** The companion client; taken from the enclosing `<fs-picker>` unless set directly. */
  declare client: CompanionClient | undefined;
  /** Signing out is under way. */
  declare protected busy: boolean;

  readonly #announcer = new Announcer(this);
  readonly #connection = new StoreController(this, (state) => state.connection);

  constructor() {
    super();
    this.client = undefined;
    this.busy = false;
    new ContextConsumer(this, {
      context: clientContext,
      subscribe: true,
      callback: (client) => {
        this.client = client;
      },
    });
  }

  /** The name of the repository signed in to, as the sentences say it. */
  #name(): string {
    return REPOSITORY_NAMES[this.#connection.store?.getState().repository ?? 'ALFRESCO'];
  }

  protected override willUpdate(): void {
    const store = this.#connection.store;
    const notice = store && this.#connection.value ? takeNotice(store, 'connected') : undefined;
    if (notice) {
      const text = msg(str`Connected to ${this.#name()} as ${notice.user.name}`);
      // The live region is rendered empty first, then speaks: regions born with their text are not read out.
      setTimeout(() => this.#announcer.announce(text), 100);
    }
  }

  protected override render() {
    const connection = this.#connection.value;
    return html`<div part="base">
      ${connection
        ? html`<p part="identity" title=${msg(str`Connected to ${this.#name()} as ${connection.user.name}`)}>
              ${msg(html`Connected as <span part="name">${connection.user.name}</span>`)}
            </p>
            <button part="sign-out" aria-disabled=${this.busy ? 'true' : nothing} @click=${this.#signOut}>
              ${this.busy ? msg('Signing out…') : msg('Sign out')}
            </button>`
        : nothing}
      ${this.#announcer.region()}
    </div>`;
  }

  /** Signs out at the companion and here. Resolves when the store is signed out. */
  async signOut(): Promise<void> {
    const store = this.#connection.store;
    const connection = store?.getState().connection;
    if (!store || !connection || this.busy) return;
    this.busy = true;
    const client = this.client;
    let failure: FsError | undefined;
    try {
      if (client) await signOut(client, connection.session);
    } catch (error) {
      failure = error instanceof FsError ? error : new FsError('FS_ERR_NETWORK');
    }
    try {
      if (client) await clearSavedState({ server: client.server, apiKey: client.apiKey }, store.getState().repository);
    } catch {
      // No IndexedDB (some private modes): nothing was saved either.
    }
    this.busy = false;
    // Only if nobody signed in again meanwhile with another session.
    if (store.getState().connection?.session !== connection.session) return;
    this.#announcer.announce(msg(str`Signed out of ${this.#name()}.`));
    leaveNotice(store, { kind: 'signed-out' });
    store.setState((state) => signedOut(state));
    if (failure) this.dispatchEvent(new FsErrorEvent({ code: failure.code, message: failure.message }));
  }

  readonly #signOut = (): void => {
    void this.signOut();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-account': FsAccount;
  }
}
