import { html, LitElement, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { CompanionClient } from '../../api/transport/client.ts';
import { pick } from '../../api/transport/pick.ts';
import { Announcer } from '../../controllers/announcer.ts';
import { clientContext } from '../../controllers/context.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import { formatBytes } from '../../core/format.ts';
import { dropLostConnection } from '../../controllers/popup-auth.ts';
import { FsCancelEvent } from '../../events/fs-cancel.ts';
import { FsErrorEvent } from '../../events/fs-error.ts';
import { FsPickEvent } from '../../events/fs-pick.ts';
import { FsError } from '../../protocol/errors.ts';
import { buttonStyles } from '../../styles/buttons.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { selectionBarStyles } from './fs-selection-bar.styles.ts';
import { activeLocale } from '../../locales/localization.ts';

type Phase = { kind: 'idle' } | { kind: 'picking'; found: number | undefined } | { kind: 'error'; message: string };

/**
 * The footer under the Alfresco browser in pick mode: how many files are selected and their size, why
 * the selection cannot be used yet, Cancel, and the action button. The action asks the companion for the
 * files' links (expanding chosen folders, with progress) and fires `fs-pick`.
 *
 * @summary The selection footer with the count, total size, Cancel and Select.
 * @fires fs-pick - The selected files' Blob records are ready; `detail.blobs`.
 * @fires fs-cancel - The person pressed Cancel.
 * @fires fs-error - Picking failed; the message is also shown.
 * @csspart bar - The footer's container.
 * @csspart summary - The count and total size.
 * @csspart message - Why the selection cannot be used yet, progress, or an error.
 * @csspart cancel-button - The Cancel button.
 * @csspart select-button - The action button.
 * @cssproperty [--fs-color-accent=#2457c5] - Background of the action button.
 * @cssproperty [--fs-color-accent-text=#fff] - Text of the action button.
 * @cssproperty [--fs-color-danger=#b3261e] - Error text.
 * @cssproperty [--fs-color-border=#d5dae3] - The line above the footer and button borders.
 */
export class FsSelectionBar extends LitElement {
  static override styles = [baseStyles, buttonStyles, selectionBarStyles];
  static override properties = { client: { attribute: false }, phase: { state: true } };

  /** The companion client; taken from the enclosing `<fs-picker>` unless set directly. */
  declare client: CompanionClient | undefined;
  declare private phase: Phase;

  readonly #selection = new StoreController(this, (state) => state.selection);
  readonly #config = new StoreController(this, (state) => state.config);
  readonly #connection = new StoreController(this, (state) => state.connection);
  readonly #announcer = new Announcer(this);
  #abort: AbortController | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.client = undefined;
    this.phase = { kind: 'idle' };
    new ContextConsumer(this, {
      context: clientContext,
      subscribe: true,
      callback: (client) => {
        this.client = client;
      },
    });
  }

  #shownFor: unknown;

  protected override willUpdate(): void {
    // An error belongs to the selection it was about; a new selection clears it.
    const selection = this.#selection.value;
    if (selection !== this.#shownFor) {
      this.#shownFor = selection;
      if (this.phase.kind === 'error') this.phase = { kind: 'idle' };
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  /** Why the action button cannot be used now, or undefined when it can. */
  #blocker(): string | undefined {
    const selection = this.#selection.value ?? [];
    const config = this.#config.value;
    const minFiles = Math.max(1, config?.minFiles ?? 1);
    const maxFiles = config?.maxFiles ?? Infinity;
    if (selection.length === 0) return minFiles > 1 ? msg(str`Choose at least ${minFiles} files`) : msg('Choose a file');
    const files = selection.filter((item) => !item.isFolder).length;
    const hasFolders = files < selection.length;
    if (!hasFolders && files < minFiles) return msg(str`Choose at least ${minFiles} files`);
    if (!hasFolders && files > maxFiles) return maxFiles === 1 ? msg('Choose only 1 file') : msg(str`Choose at most ${maxFiles} files`);
    if (!this.client || !this.#connection.value) return msg('Not connected');
    return undefined;
  }

  protected override render() {
    const selection = this.#selection.value ?? [];
    const folders = selection.filter((item) => item.isFolder).length;
    const bytes = selection.reduce((sum, item) => sum + (item.isFolder ? 0 : item.size), 0);
    const picking = this.phase.kind === 'picking';
    const blocker = picking ? undefined : this.#blocker();
    return html`<div part="bar" class="bar">
      <div class="info">
        <p part="summary" class="summary">${this.#summary(selection.length, folders, bytes)}</p>
        ${this.#message(blocker)}
      </div>
      <div class="actions">
        <button part="cancel-button" type="button" @click=${this.#cancel}>${picking ? msg('Stop') : msg('Cancel')}</button>
        <button
          part="select-button"
          class="primary"
          type="button"
          aria-disabled=${blocker || picking ? 'true' : 'false'}
          aria-describedby=${blocker ? 'message' : nothing}
          @click=${this.#select}
        >
          ${this.#actionLabel(selection.length, folders)}
        </button>
      </div>
      ${this.#announcer.region()}
    </div>`;
  }

  #summary(count: number, folders: number, bytes: number) {
    if (count === 0) return msg('Nothing selected');
    const size = formatBytes(bytes, activeLocale());
    if (folders === count) return count === 1 ? msg('1 folder selected') : msg(str`${count} folders selected`);
    if (folders > 0) return msg(str`${count} items selected (${folders} folders; files ${size})`);
    return count === 1 ? msg(str`1 file selected, ${size}`) : msg(str`${count} files selected, ${size}`);
  }

  #actionLabel(count: number, folders: number) {
    if (count <= 1) return msg('Select');
    return folders > 0 ? msg(str`Select ${count} items`) : msg(str`Select ${count} files`);
  }

  #message(blocker: string | undefined) {
    const phase = this.phase;
    if (phase.kind === 'picking') {
      return html`<p part="message" id="message" class="progress">
        <progress aria-label=${msg('Preparing the files')}></progress>
        <span>${phase.found === undefined ? msg('Preparing the files…') : msg(str`Found ${phase.found} files…`)}</span>
      </p>`;
    }
    if (phase.kind === 'error') return html`<p part="message" id="message" class="error" role="alert">${phase.message}</p>`;
    if (blocker) return html`<p part="message" id="message" class="hint">${blocker}</p>`;
    return nothing;
  }

  #cancel(): void {
    if (this.phase.kind === 'picking') {
      this.#abort?.abort();
      return;
    }
    this.dispatchEvent(new FsCancelEvent());
  }

  async #select(): Promise<void> {
    if (this.phase.kind === 'picking' || this.#blocker()) return;
    const client = this.client!;
    const connection = this.#connection.value!;
    const config = this.#config.value!;
    const selection = this.#selection.value ?? [];
    const abort = new AbortController();
    this.#abort = abort;
    const hasFolders = selection.some((item) => item.isFolder);
    this.phase = { kind: 'picking', found: undefined };
    this.#announcer.announce(msg('Preparing the files…'));
    let lastAnnounced = 0;
    try {
      const { blobs } = await pick(client, {
        session: connection.session,
        itemIds: selection.map((item) => item.id),
        maxFiles: config.maxFiles,
        accept: config.accept,
        signal: abort.signal,
        onProgress: hasFolders
          ? ({ found }) => {
              if (abort.signal.aborted) return;
              this.phase = { kind: 'picking', found };
              // Politely, now and then: not at every page.
              if (found - lastAnnounced >= 100) {
                lastAnnounced = found;
                this.#announcer.announce(msg(str`Found ${found} files…`));
              }
            }
          : undefined,
      });
      if (abort.signal.aborted) throw abort.signal.reason;
      this.phase = { kind: 'idle' };
      if (blobs.length === 0) {
        this.phase = { kind: 'error', message: msg('The chosen folders hold no files that can be picked.') };
        return;
      }
      this.dispatchEvent(new FsPickEvent({ blobs }));
    } catch (error) {
      if (abort.signal.aborted) {
        this.phase = { kind: 'idle' };
        this.#announcer.announce(msg('Stopped.'));
        return;
      }
      const fsError = error instanceof FsError ? error : new FsError('FS_ERR_INTERNAL', msg('The files could not be prepared.'));
      this.phase = { kind: 'error', message: fsError.message };
      this.dispatchEvent(new FsErrorEvent({ code: fsError.code, message: fsError.message }));
      dropLostConnection(this.#connection.store, fsError.code);
    } finally {
      if (this.#abort === abort) this.#abort = undefined;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-selection-bar': FsSelectionBar;
  }
}
