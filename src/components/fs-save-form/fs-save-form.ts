import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { ContextConsumer } from '@lit/context';
import { msg, str } from '@lit/localize';
import type { CompanionClient } from '../../api/transport/client.ts';
import { saveToRepository } from '../../api/transport/export.ts';
import { Announcer } from '../../controllers/announcer.ts';
import { clientContext } from '../../controllers/context.ts';
import { dropLostConnection } from '../../controllers/popup-auth.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import type { SaveInput } from '../../core/call-options.ts';
import { filenameProblem, nameInUrl, numberedName, stemLength, withExtension, type FilenameProblem } from '../../core/filename.ts';
import { formatBytes } from '../../core/format.ts';
import { FsCancelEvent } from '../../events/fs-cancel.ts';
import { FsErrorEvent } from '../../events/fs-error.ts';
import { FsExportEvent } from '../../events/fs-export.ts';
import type { FsBlob } from '../../protocol/blob.ts';
import type { Crumb } from '../../protocol/browse.ts';
import { FsError } from '../../protocol/errors.ts';
import type { ConflictMode } from '../../protocol/export.ts';
import { REPOSITORY_NAMES } from '../../protocol/services.ts';
import { buttonStyles } from '../../styles/buttons.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { saveFormStyles } from './fs-save-form.styles.ts';

type Phase =
  | { kind: 'idle' }
  | { kind: 'saving'; filename: string; sent: number; total: number; measurable: boolean }
  | { kind: 'conflict'; filename: string }
  | { kind: 'saved'; blob: FsBlob }
  | { kind: 'failed'; message: string };

/**
 * The bottom of the picker in export mode: the name to save under and the destination folder (the one
 * `<fs-browser>` shows), with Save and Cancel. When the name is taken it asks, in place, whether to keep
 * both (Alfresco numbers the new file) or replace the existing file (a new version); it shows progress
 * while saving and fires `fs-export` with the new file's Blob.
 *
 * The thing to save is the `input` property, which `<fs-picker>`'s `save(input, options)` sets:
 * - an `FsBlob` (a picked or stored file) or a companion file link (`…/api/file/HANDLE`): the companion
 *   copies it by handle;
 * - any other http(s) URL string: the companion fetches it (SSRF-safe);
 * - a browser `Blob` or `File`: its bytes are uploaded from the page, with upload progress.
 *
 * The name is prefilled from `config.suggestedFilename` (else the input's own name) with the right
 * extension for `config.exportMimetype` (else the input's type).
 *
 * @summary Filename, destination and Save for saving a file into Alfresco.
 * @fires fs-export - The file was saved; `detail.blob` is its Blob record (client "Alfresco").
 * @fires fs-cancel - The person pressed Cancel.
 * @fires fs-error - Saving failed (other than a name clash, which is asked about); `detail` has code and message.
 * @csspart form - The form around everything.
 * @csspart destination - The "Save to: …" line.
 * @csspart label - The file name's label.
 * @csspart input - The file name field.
 * @csspart message - The line under the field: a problem with the name, the save's outcome or an error.
 * @csspart conflict - The question asked when the name is taken.
 * @csspart conflict-button - Each answer to that question.
 * @csspart progress - The progress bar while saving.
 * @csspart actions - The row with Save and Cancel.
 * @csspart save-button - The Save button.
 * @csspart cancel-button - The Cancel button.
 * @cssproperty [--fs-color-accent=#2457c5] - The Save button and the progress bar.
 * @cssproperty [--fs-color-accent-text=#fff] - Text on the Save button.
 * @cssproperty [--fs-color-danger=#b3261e] - Problems with the name and errors.
 * @cssproperty [--fs-color-success=#1e7a3c] - The "Saved" line.
 * @cssproperty [--fs-color-warning=#8a4b00] - The edge of the "already exists" question.
 * @cssproperty [--fs-color-surface-raised=#f4f6fa] - Background of the question.
 * @cssproperty [--fs-color-border=#d5dae3] - Field, button and separator lines.
 */
export class FsSaveForm extends LitElement {
  static override styles = [baseStyles, buttonStyles, saveFormStyles];
  static override properties = {
    client: { attribute: false },
    input: { attribute: false },
    _filename: { state: true },
    _phase: { state: true },
    _showProblem: { state: true },
  };

  /** The companion client; taken from the enclosing `<fs-picker>` unless set directly. */
  declare client: CompanionClient | undefined;
  /** What to save: an FsBlob, a URL string, or a browser Blob/File (see the class description). */
  declare input: SaveInput | undefined;
  declare _filename: string;
  declare _phase: Phase;
  declare _showProblem: boolean;

  readonly #config = new StoreController(this, (state) => state.config);
  readonly #connection = new StoreController(this, (state) => state.connection);
  readonly #folder = new StoreController(this, (state) => state.folder);
  readonly #announcer = new Announcer(this);
  /** Whether the person changed the name; until then it follows the suggestion. */
  #edited = false;
  #abort: AbortController | undefined;
  #focusAfterUpdate: 'question' | 'input' | undefined;

  constructor() {
    super();
    this.client = undefined;
    this.input = undefined;
    this._filename = '';
    this._phase = { kind: 'idle' };
    this._showProblem = false;
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

  protected override willUpdate(_changed: PropertyValues<this>): void {
    if (!this.#edited) this._filename = this.#suggestion();
  }

  protected override updated(): void {
    const target = this.#focusAfterUpdate;
    this.#focusAfterUpdate = undefined;
    if (target === 'question') this.renderRoot.querySelector<HTMLElement>('#conflict-question')?.focus();
    if (target === 'input') this.renderRoot.querySelector<HTMLInputElement>('#filename')?.focus();
  }

  /** The prefilled name: the suggested (or the input's own) name with the extension for the type. */
  #suggestion(): string {
    const config = this.#config.value;
    const input = this.input;
    const own = typeof input === 'object' && input !== null ? ('filename' in input ? input.filename : (input as Partial<File>).name) : typeof input === 'string' ? nameInUrl(input) : undefined;
    const base = config?.suggestedFilename || own || msg('Untitled');
    const type = config?.exportMimetype || (input instanceof Blob ? input.type : typeof input === 'object' && input !== null && 'mimetype' in input ? input.mimetype : '');
    return withExtension(base, type);
  }

  /** The name of the repository saved into, as the sentences say it. */
  #name(): string {
    return REPOSITORY_NAMES[this.#config.store?.getState().repository ?? 'ALFRESCO'];
  }

  /** Why Save cannot be used now, or undefined when it can. */
  #blocker(): string | undefined {
    const folder = this.#folder.value;
    if (!this.#connection.value) return msg(str`Connect to ${this.#name()} to save here.`);
    if (!this.client) return msg('The picker is not connected to its companion server.');
    if (this.input === undefined) return msg('There is nothing to save.');
    if (!folder) return msg('Open the folder to save in.');
    if (!folder.canWrite) return msg(str`You can’t add files to “${folder.name}”. Choose another folder.`);
    return undefined;
  }

  protected override render() {
    const phase = this._phase;
    const problem = filenameProblem(this._filename);
    const showProblem = problem !== undefined && this._showProblem;
    const blocker = this.#blocker();
    const busy = phase.kind === 'saving';
    return html`<form part="form" novalidate @submit=${this.#onSubmit} aria-label=${msg(str`Save to ${this.#name()}`)}>
      ${this.#renderDestination()}
      <div class="field">
        <label part="label" for="filename">${msg('File name')}</label>
        <input
          id="filename"
          part="input"
          type="text"
          dir="auto"
          autocomplete="off"
          spellcheck="false"
          .value=${this._filename}
          ?readonly=${busy}
          aria-invalid=${showProblem ? 'true' : 'false'}
          aria-describedby=${showProblem ? 'filename-problem' : nothing}
          @input=${this.#onInput}
          @focus=${this.#onFocus}
        />
        ${showProblem ? html`<p id="filename-problem" part="message" class="message invalid">${problemText(problem)}</p>` : nothing}
      </div>
      ${this.#renderPhase(phase)}
      ${blocker ? html`<p id="save-blocked" part="message" class="message reason">${blocker}</p>` : nothing}
      <div part="actions" class="actions">
        <button type="button" part="cancel-button" @click=${this.#onCancel}>${msg('Cancel')}</button>
        <button
          type="submit"
          part="save-button"
          class="primary"
          aria-disabled=${blocker || busy || phase.kind === 'conflict' ? 'true' : 'false'}
          aria-describedby=${blocker ? 'save-blocked' : nothing}
        >
          ${busy ? msg('Saving…') : msg('Save')}
        </button>
      </div>
      ${this.#announcer.region()}
    </form>`;
  }

  #renderDestination() {
    const folder = this.#folder.value;
    if (!folder) return html`<p part="destination" class="destination">${msg('Save to: choose a folder above.')}</p>`;
    const crumbs = destinationCrumbs(folder.path);
    return html`<p part="destination" class="destination">
      ${msg('Save to:')}
      <strong>${crumbs.map((crumb) => crumb.name).join(' › ')}</strong>
    </p>`;
  }

  #renderPhase(phase: Phase) {
    switch (phase.kind) {
      case 'idle':
        return nothing;
      case 'saving': {
        const percent = phase.measurable && phase.total > 0 ? Math.floor((phase.sent / phase.total) * 100) : undefined;
        const label =
          percent === undefined
            ? msg(str`Saving “${phase.filename}”…`)
            : msg(str`Saving “${phase.filename}”: ${formatBytes(phase.sent)} of ${formatBytes(phase.total)}`);
        return html`<div part="progress" class="progress">
          <span id="save-progress-label" class="message">${label}</span>
          ${percent === undefined
            ? html`<progress aria-labelledby="save-progress-label"></progress>`
            : html`<progress aria-labelledby="save-progress-label" max="100" .value=${percent}></progress>`}
        </div>`;
      }
      case 'conflict':
        return html`<div part="conflict" class="conflict" role="group" aria-labelledby="conflict-question" @keydown=${this.#onConflictKey}>
          <p id="conflict-question" tabindex="-1">${msg(str`A file named “${phase.filename}” already exists here.`)}</p>
          <div class="choices">
            <button type="button" part="conflict-button" data-choice="rename" @click=${() => this.#save('rename')}>
              ${msg(str`Keep both (save as “${numberedName(phase.filename)}”)`)}
            </button>
            <button type="button" part="conflict-button" data-choice="replace" @click=${() => this.#save('replace')}>${msg('Replace it')}</button>
            <button type="button" part="conflict-button" data-choice="cancel" @click=${this.#dismissConflict}>${msg('Cancel')}</button>
          </div>
        </div>`;
      case 'saved':
        return html`<p part="message" class="message done">${msg(str`Saved as “${phase.blob.filename}”.`)}</p>`;
      case 'failed':
        return html`<p part="message" class="message failure" role="alert">${phase.message}</p>`;
    }
  }

  #onInput(event: Event): void {
    this.#edited = true;
    this._showProblem = true;
    this._filename = (event.target as HTMLInputElement).value;
    if (this._phase.kind === 'failed' || this._phase.kind === 'saved') this._phase = { kind: 'idle' };
  }

  #onFocus(event: FocusEvent): void {
    // Until the person types, select the name without its extension, as desktop save dialogs do.
    if (this.#edited) return;
    const field = event.target as HTMLInputElement;
    field.setSelectionRange(0, stemLength(field.value));
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this._phase.kind === 'saving' || this._phase.kind === 'conflict') return;
    const blocker = this.#blocker();
    if (blocker) {
      this.#announcer.announce(blocker);
      return;
    }
    if (filenameProblem(this._filename)) {
      this._showProblem = true;
      this.#focusAfterUpdate = 'input';
      return;
    }
    void this.#save('fail');
  }

  #onCancel(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    if (this._phase.kind === 'saving' || this._phase.kind === 'conflict') this._phase = { kind: 'idle' };
    this.dispatchEvent(new FsCancelEvent());
  }

  #onConflictKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    // Escape answers the question with Cancel; it must not also close the picker.
    event.preventDefault();
    event.stopPropagation();
    this.#dismissConflict();
  }

  #dismissConflict(): void {
    this._phase = { kind: 'idle' };
    this.#focusAfterUpdate = 'input';
  }

  async #save(conflict: ConflictMode): Promise<void> {
    const client = this.client;
    const connection = this.#connection.value;
    const folder = this.#folder.value;
    const input = this.input;
    if (!client || !connection || !folder || input === undefined) return;
    const filename = this._filename.trim();
    const measurable = input instanceof Blob;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this._phase = { kind: 'saving', filename, sent: 0, total: measurable ? input.size : 0, measurable };
    this.#announcer.announce(msg(str`Saving “${filename}” to “${folder.name}”…`));
    try {
      const blob = await saveToRepository(client, input, {
        session: connection.session,
        folderId: folder.id,
        filename,
        conflict,
        mimetype: this.#config.value?.exportMimetype || undefined,
        signal: abort.signal,
        onProgress: (sent, total) => {
          if (this.#abort === abort) this._phase = { kind: 'saving', filename, sent, total, measurable: true };
        },
      });
      if (this.#abort !== abort) return;
      this._phase = { kind: 'saved', blob };
      this.#announcer.announce(msg(str`Saved “${blob.filename}” in “${folder.name}”.`));
      this.dispatchEvent(new FsExportEvent({ blob }));
    } catch (error) {
      if (this.#abort !== abort || abort.signal.aborted) return;
      const fsError = error instanceof FsError ? error : new FsError('FS_ERR_INTERNAL', msg('Saving failed unexpectedly.'));
      if (fsError.code === 'FS_ERR_CONFLICT' && conflict === 'fail') {
        this._phase = { kind: 'conflict', filename };
        this.#focusAfterUpdate = 'question';
        return;
      }
      this._phase = { kind: 'failed', message: fsError.message };
      this.dispatchEvent(new FsErrorEvent({ code: fsError.code, message: fsError.message }));
      dropLostConnection(this.#connection.store, fsError.code);
    } finally {
      if (this.#abort === abort) this.#abort = undefined;
    }
  }
}

/** The message for a problem with the name, naming what is wrong. */
function problemText(problem: FilenameProblem): string {
  switch (problem.kind) {
    case 'empty':
      return msg('Enter a file name.');
    case 'forbidden': {
      const characters = problem.characters.map((character) => `“${character}”`).join(' ');
      return msg(str`A file name cannot contain ${characters}. These characters are never allowed: * " < > \\ / ? : |`);
    }
    case 'trailing-dot':
      return msg('A file name cannot end with a dot.');
    case 'control':
      return msg('A file name cannot contain control characters such as tabs.');
    case 'too-long':
      return msg(str`A file name can have at most ${problem.max} characters.`);
  }
}

/**
 * The folder's path as the destination line shows it: without the repository root ("Company Home"), and
 * a site folder from the site on ("swsdp › documentLibrary › Agency Files" rather than "Sites › swsdp › …").
 */
function destinationCrumbs(path: readonly Crumb[]): Crumb[] {
  let crumbs = path.length > 1 ? path.slice(1) : [...path];
  if (crumbs.length > 2 && crumbs[0]?.name === 'Sites') crumbs = crumbs.slice(1);
  return crumbs;
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-save-form': FsSaveForm;
  }
}
