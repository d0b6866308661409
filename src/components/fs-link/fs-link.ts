import { html, LitElement, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { CompanionClient } from '../../api/transport/client.ts';
import { storeUrl } from '../../api/transport/store-url.ts';
import { Announcer } from '../../controllers/announcer.ts';
import { clientContext } from '../../controllers/context.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import { formatBytes } from '../../core/format.ts';
import { FsErrorEvent } from '../../events/fs-error.ts';
import { FsPickEvent } from '../../events/fs-pick.ts';
import { matchesAccept } from '../../protocol/browse.ts';
import { FsError } from '../../protocol/errors.ts';
import { isHttpUrl } from '../../protocol/urls.ts';
import { buttonStyles } from '../../styles/buttons.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { linkStyles } from './fs-link.styles.ts';
import { activeLocale } from '../../locales/localization.ts';

type Phase = { kind: 'idle' } | { kind: 'importing'; url: string } | { kind: 'error'; message: string; field: boolean };

/** The address in `value` when it is one the companion can fetch (absolute http or https), else undefined. */
function parseWebAddress(value: string): URL | undefined {
  const text = value.trim();
  return isHttpUrl(text) ? new URL(text) : undefined;
}

/**
 * Link: the person pastes the address of a file on the web; the companion fetches it (`POST
 * /api/store-url`), stores a copy and the pick ends with that file. The companion refuses private and
 * loopback addresses and says so; the message is shown as the field's error.
 *
 * @summary Import a file from a web address through the companion.
 * @fires fs-pick - The imported file's Blob record (source URL).
 * @fires fs-error - The import failed; the message is also shown.
 * @csspart form - The form.
 * @csspart input - The address field.
 * @csspart import-button - The Import button.
 * @csspart progress - The progress line while the companion fetches the file.
 * @csspart cancel-button - Stops the import.
 * @csspart error - Why the address was refused or the import failed.
 * @cssproperty [--fs-color-accent=#2457c5] - The Import button.
 * @cssproperty [--fs-color-danger=#b3261e] - Errors and the invalid field's border.
 * @cssproperty [--fs-color-border-strong=#8a93a6] - The field's border.
 */
export class FsLink extends LitElement {
  static override styles = [baseStyles, buttonStyles, linkStyles];
  static override properties = { client: { attribute: false }, value: { state: true }, phase: { state: true } };

  /** The companion client; taken from the enclosing `<fs-picker>` unless set directly. */
  declare client: CompanionClient | undefined;
  declare private value: string;
  declare private phase: Phase;

  readonly #config = new StoreController(this, (state) => state.config);
  readonly #announcer = new Announcer(this);
  #abort: AbortController | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.client = undefined;
    this.value = '';
    this.phase = { kind: 'idle' };
    new ContextConsumer(this, {
      context: clientContext,
      subscribe: true,
      callback: (client) => {
        this.client = client;
      },
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
  }

  protected override render() {
    const phase = this.phase;
    const importing = phase.kind === 'importing';
    const fieldError = phase.kind === 'error' && phase.field;
    const describedBy = ['url-hint', phase.kind === 'error' ? 'url-error' : ''].filter(Boolean).join(' ');
    return html`<form part="form" novalidate @submit=${this.#submit}>
        <label for="url">${msg('Address of the file')}</label>
        <p id="url-hint" class="hint">${msg('A public web address, starting with https:// or http://.')}</p>
        <div class="row">
          <input
            part="input"
            id="url"
            name="url"
            type="url"
            inputmode="url"
            autocomplete="url"
            spellcheck="false"
            placeholder="https://"
            required
            .value=${this.value}
            ?readonly=${importing}
            aria-invalid=${fieldError ? 'true' : 'false'}
            aria-describedby=${describedBy}
            @input=${this.#onInput}
          />
          <button part="import-button" class="primary" type="submit" aria-disabled=${importing ? 'true' : 'false'}>${msg('Import')}</button>
        </div>
        ${phase.kind === 'error' ? html`<p part="error" id="url-error" class="error" role="alert">${phase.message}</p>` : nothing}
        ${importing
          ? html`<div part="progress" class="progress">
              <progress aria-label=${msg('Importing')}></progress>
              <span>${msg('Importing…')}</span>
              <button part="cancel-button" type="button" @click=${this.#cancel}>${msg('Cancel')}</button>
            </div>`
          : nothing}
      </form>
      ${this.#announcer.region()}`;
  }

  #onInput(event: InputEvent): void {
    this.value = (event.target as HTMLInputElement).value;
    // The error was about the old address.
    if (this.phase.kind === 'error') this.phase = { kind: 'idle' };
  }

  #fieldError(message: string): void {
    this.phase = { kind: 'error', message, field: true };
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#url')?.focus(), () => {});
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.phase.kind === 'importing') return;
    const text = this.value.trim();
    if (text === '') return this.#fieldError(msg('Enter the address of a file.'));
    const url = parseWebAddress(text);
    if (!url) return this.#fieldError(msg('This is not a web address. Enter a full address starting with https:// or http://.'));
    const client = this.client;
    if (!client) return this.#fieldError(msg('The picker is not connected to its companion server.'));

    const abort = new AbortController();
    this.#abort = abort;
    this.phase = { kind: 'importing', url: url.href };
    this.#announcer.announce(msg('Importing…'));
    try {
      const blob = await storeUrl(client, url.href, { signal: abort.signal });
      if (abort.signal.aborted) return;
      const config = this.#config.value;
      if (config && !matchesAccept(config.accept, blob.filename, blob.mimetype)) {
        this.phase = { kind: 'error', field: true, message: msg(str`The file at this address (${blob.filename}, ${blob.mimetype}) is not one of the accepted types: ${config.accept.join(', ')}.`) };
        return;
      }
      if (config && config.maxSize > 0 && blob.size > config.maxSize) {
        const locale = activeLocale();
        this.phase = { kind: 'error', field: true, message: msg(str`The file at this address is larger than ${formatBytes(config.maxSize, locale)} (it is ${formatBytes(blob.size, locale)}).`) };
        return;
      }
      this.phase = { kind: 'idle' };
      this.#announcer.announce(msg(str`Imported ${blob.filename}.`));
      this.dispatchEvent(new FsPickEvent({ blobs: [{ ...blob, id: 0 }] }));
    } catch (error) {
      if (abort.signal.aborted) return;
      const fsError = error instanceof FsError ? error : new FsError('FS_ERR_INTERNAL', msg('The file could not be imported.'));
      this.phase = { kind: 'error', message: fsError.message, field: fsError.field === 'url' || fsError.code === 'FS_ERR_URL_REFUSED' || fsError.code === 'FS_ERR_NOT_FOUND' };
      this.dispatchEvent(new FsErrorEvent({ code: fsError.code, message: fsError.message }));
    } finally {
      if (this.#abort === abort) this.#abort = undefined;
    }
  }

  #cancel(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this.phase = { kind: 'idle' };
    this.#announcer.announce(msg('Import cancelled.'));
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#url')?.focus(), () => {});
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-link': FsLink;
  }
}
