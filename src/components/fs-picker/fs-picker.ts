import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ContextProvider } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { RefusedAttributeReport } from '../../controllers/attribute-report.ts';
import { CompanionClientController } from '../../controllers/companion-client.ts';
import { storeContext } from '../../controllers/context.ts';
import { FocusReturnController } from '../../controllers/focus-return.ts';
import { OpeningReportController } from '../../controllers/opening-report.ts';
import { PickerCallController } from '../../controllers/picker-call.ts';
import { PickerConfigController } from '../../controllers/picker-config.ts';
import { SavedStateController } from '../../controllers/saved-state.ts';
import { checkAttributes, type CheckedAttributes } from '../../core/attribute-checks.ts';
import type { CallResult, PickerCall, SaveInput } from '../../core/call-options.ts';
import type { PickerAttributes } from '../../core/picker-config.ts';
import { initialPickerState, opened, type PickerState } from '../../core/picker-state.ts';
import { createStore, type Store } from '../../core/store.ts';
import { FsCloseEvent, type FsCloseDetail } from '../../events/fs-close.ts';
import { FsOpenEvent } from '../../events/fs-open.ts';
import type { FsBlob } from '../../protocol/blob.ts';
import { isRepository, REPOSITORY_NAMES, type RepositoryId, type ServiceId } from '../../protocol/services.ts';
import type { ExportFileOptions, PickOptions } from '../../protocol/options.ts';
import { applyLanguage, directionOf } from '../../locales/localization.ts';
import { themeStyles } from '../../styles/themes.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { pickerStyles } from './fs-picker.styles.ts';
import { loadViews } from './load-views.ts';

/** Reflected as an attribute only when it is a string: a wrong type (a Symbol) must not throw from the update. */
const REFLECTED_TEXT = { reflect: true, converter: { toAttribute: (value: unknown) => (typeof value === 'string' ? value : null) } };

/**
 * One template per repository, so each gets views of its own, not the last one's sign-in state or listing:
 * Lit makes new elements for a different template (what `keyed` does, without its bytes on the open path).
 */
const REPOSITORY_FRAMES: Record<RepositoryId, (view: TemplateResult) => TemplateResult> = {
  ALFRESCO: (view) => html`${view}`,
  WEBDAV: (view) => html`${view}`,
  CMIS: (view) => html`${view}`,
};

/**
 * An embeddable file picker. It opens as a native modal dialog (or inline), provides one store to its
 * views and switches between them; the views do the work.
 *
 * @summary Pick files from Alfresco, WebDAV, CMIS, the person's computer or a link, or save a file into a repository.
 * @fires fs-open - The picker opened.
 * @fires fs-close - The picker is about to close; cancelable.
 * @fires fs-service-change - The person chose a source.
 * @fires fs-connect - The person connected a source (from the connect view).
 * @fires fs-navigate - The person opened a folder (from the browser).
 * @fires fs-selection-change - The selection changed (from the browser).
 * @fires fs-upload-progress - Bytes of a local file went out (from My Computer).
 * @fires fs-pick - Files were picked; `detail.blobs` are Blob records. The picker closes.
 * @fires fs-export - A file was saved into the source; `detail.blob`. The picker closes.
 * @fires fs-cancel - The person cancelled from a view. The picker closes.
 * @fires fs-error - Something failed; `detail` has the code and a message (and `field`, the attribute, for a wrong attribute value).
 * @csspart dialog - The native `<dialog>`.
 * @csspart header - The title bar.
 * @csspart close-button - The close button in the title bar.
 * @csspart services - The column that lists the sources.
 * @csspart body - The main area.
 * @cssproperty [--fs-dialog-width=60rem] - Width of the dialog (capped at the viewport).
 * @cssproperty [--fs-dialog-height=42rem] - Height of the dialog (capped at the viewport).
 * @cssproperty [--fs-color-surface=#fff] - Background of the dialog.
 * @cssproperty [--fs-color-backdrop=rgb(16 22 36 / 45%)] - The backdrop behind the modal dialog.
 * @cssproperty [--fs-color-text=#1d2330] - Text colour.
 * @cssproperty [--fs-color-text-muted=#5b6272] - Secondary text.
 * @cssproperty [--fs-color-border=#d5dae3] - Lines between areas.
 * @cssproperty [--fs-color-focus=#2457c5] - Focus ring colour.
 * @cssproperty [--fs-color-accent=#2457c5] - Primary buttons and progress.
 */
export class FsPicker extends LitElement {
  static override styles = [baseStyles, themeStyles, pickerStyles];
  static override properties = {
    apiKey: { attribute: 'api-key' },
    server: {},
    mode: {},
    services: {},
    accept: {},
    multiple: { type: Boolean },
    maxFiles: { attribute: 'max-files', type: Number },
    minFiles: { attribute: 'min-files', type: Number },
    maxSize: { attribute: 'max-size', type: Number },
    folders: { type: Boolean },
    openTo: { attribute: 'open-to' },
    lang: REFLECTED_TEXT,
    theme: REFLECTED_TEXT,
    display: REFLECTED_TEXT,
  };

  /** The app's API key, as registered with the companion. */
  declare apiKey: string;
  /** The companion's base URL, e.g. `https://files.example.com`. */
  declare server: string;
  /** `pick` (choose files) or `export` (choose a folder and a name to save into). */
  declare mode: 'pick' | 'export';
  /** Comma list of the sources to offer (`ALFRESCO,COMPUTER,URL`); empty offers all the app has. */
  declare services: string;
  /** Comma list of MIME types and extensions to offer, e.g. `image/*,.pdf`; empty offers every file. */
  declare accept: string;
  /** Whether several files may be picked. */
  declare multiple: boolean;
  /** At most this many files per pick (with `multiple`; default 1000). */
  declare maxFiles: number | undefined;
  /** At least this many files per pick (default 1). */
  declare minFiles: number | undefined;
  /** Largest file accepted, in bytes. */
  declare maxSize: number | undefined;
  /** Whether folders may be picked (the companion expands them into their files). */
  declare folders: boolean;
  /** The source to show first, e.g. `ALFRESCO`. */
  declare openTo: string;
  /** The language of the picker (`en`, `de`, `fr`, `es`, `ar`); defaults to the page's. */
  declare lang: string;
  /** `light` or `dark`; without it the picker follows `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined;
  /** `modal` (the default): a modal dialog; `inline`: part of the page. */
  declare display: 'modal' | 'inline';

  // The shell holds the store, opens and closes its dialog and switches views; controllers do the rest.
  readonly #store: Store<PickerState> = createStore(initialPickerState());
  readonly #focusReturn = new FocusReturnController(this);
  readonly #refused = new RefusedAttributeReport(this);
  readonly #client = new CompanionClientController(this, () => this.#target());
  /** Keeps the session, the last folder and the view mode per companion + app, across reloads. */
  readonly #saved = new SavedStateController(this, this.#store, () => this.#target());
  readonly #call = new PickerCallController(this, this.#store, {
    open: () => this.open(),
    close: () => this.#closeNow(),
    configure: () => this.#config.apply(),
  });
  readonly #config = new PickerConfigController(this, this.#store, () => this.#attributes(), () => this.#call.overrides);
  #opening: Promise<void> | undefined;
  #direction: 'ltr' | 'rtl' = 'ltr';

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.apiKey = '';
    this.server = '';
    this.mode = 'pick';
    this.services = '';
    this.accept = '';
    this.multiple = false;
    this.folders = false;
    this.openTo = '';
    this.display = 'modal';
    new ContextProvider(this, { context: storeContext, initialValue: this.#store });
    new OpeningReportController(this, this.#store, () => this.#client.value);
    this.#store.subscribe((state, previous) => {
      // Views live only while the picker is open, so each opening starts them afresh (the store keeps
      // what should survive: the session, the folder, the view mode).
      if (state.open !== previous.open || state.currentService !== previous.currentService || state.connection !== previous.connection || state.config !== previous.config) this.requestUpdate();
    });
    this.addEventListener('fs-pick', (event) => this.#call.finish('pick', event.detail.blobs));
    this.addEventListener('fs-export', (event) => this.#call.finish('export', event.detail.blob));
    this.addEventListener('fs-cancel', () => this.#requestClose('cancel'));
  }

  /** Whether the picker is showing. */
  get isOpen(): boolean {
    return this.#store.getState().open;
  }

  /** Opens the picker; focus returns to the current element when it closes. */
  open(): Promise<void> {
    // Two quick calls share one opening (showModal() on an open dialog throws).
    this.#opening ??= this.#open().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  async #open(): Promise<void> {
    await this.updateComplete;
    if (this.isOpen) return;
    await loadViews();
    this.#focusReturn.remember();
    if (this.#checked().display === 'inline') this.#dialog.show();
    else this.#dialog.showModal();
    await this.#saved.ready;
    this.#store.setState(opened(this.#store.getState(), this.#call.overrides.openTo ?? this.#checked().openTo));
    this.dispatchEvent(new FsOpenEvent());
  }

  /** Asks the picker to close; a listener of `fs-close` may refuse. Returns whether it closed. */
  close(): boolean {
    return this.#requestClose('method');
  }

  /**
   * Opens the picker for one pick with filepicker v2's pick options (`mimetype(s)` or `extension(s)`,
   * `multiple`, `maxFiles`, `minFiles`, `maxSize`, `folders`, `services`, `openTo`) layered over the
   * attributes. Resolves with the picked Blob records; rejects with `FS_ERR_PICKER_CLOSED` (v2 code 101)
   * when the person closes it, or `FS_ERR_INVALID_OPTION` naming a bad option.
   */
  async pick(options?: PickOptions): Promise<FsBlob[]> {
    // The option schemas load with the first call, not with the page.
    const { parsePickOptions, pickCall } = await import('../../core/call-options.ts');
    return this.run(pickCall(parsePickOptions('pick', options)));
  }

  /**
   * Opens the picker in export mode to save `input` (a Blob record, a URL, or bytes) into a folder the
   * person chooses, with v2's exportFile options (`mimetype` or `extension`, `suggestedFilename`,
   * `services`). Resolves with the Blob record of the saved file; rejects with `FS_ERR_EXPORT_CLOSED`
   * (v2 code 131) when the person closes it.
   */
  async save(input: SaveInput, options?: ExportFileOptions): Promise<FsBlob> {
    const { checkSaveInput, parseExportOptions, saveCall } = await import('../../core/call-options.ts');
    checkSaveInput('save', input);
    return this.run(saveCall(input, parseExportOptions('exportFile', options)));
  }

  /**
   * Runs a pick or save whose options were parsed where it came in (`pick()` and `save()` above, or the
   * promise API's dialog verbs, which name themselves in their errors).
   * @internal
   */
  run<C extends PickerCall>(call: C): Promise<CallResult<C>> {
    return this.#call.run(call);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Before the controllers read them: a wrong value is reported once and replaced by its default.
    const { attributes, refused } = checkAttributes(this);
    this.#refused.report(refused);
    // Without a lang of its own the picker speaks the page's language, from the first render on.
    if (changed.has('lang') || !this.hasUpdated) this.#direction = directionOf(applyLanguage(attributes.lang || document.documentElement.lang));
  }

  protected override render() {
    const { currentService, config } = this.#store.getState();
    const title = config.mode === 'export' ? this.#saveTitle(currentService) : config.multiple ? msg('Choose files') : msg('Choose a file');
    return html`<dialog part="dialog" dir=${this.#direction} aria-labelledby="title" @cancel=${this.#onCancel} @close=${this.#onDialogClose}>
      <div class="panel">
        <header part="header">
          <h2 id="title">${title}</h2>
          <button part="close-button" class="close" aria-label=${msg('Close')} @click=${() => this.#requestClose('button')}>×</button>
        </header>
        <nav part="services" aria-label=${msg('Sources')}>
          <fs-service-list .allowed=${config.services}></fs-service-list>
        </nav>
        <section part="body" class="body" aria-label=${msg('Files')} data-service=${currentService ?? nothing}>
          ${this.#store.getState().open ? this.#renderView() : nothing}
        </section>
      </div>
    </dialog>`;
  }

  /** "Save to Alfresco" once a repository is chosen; "Save a file" before. */
  #saveTitle(service: ServiceId | null): string {
    return service && isRepository(service) ? msg(str`Save to ${REPOSITORY_NAMES[service]}`) : msg('Save a file');
  }

  /** The view for the chosen source; the views do the work, the picker only switches between them. */
  #renderView() {
    const { currentService, connection, config } = this.#store.getState();
    switch (currentService) {
      case 'ALFRESCO':
      case 'WEBDAV':
      case 'CMIS':
        return REPOSITORY_FRAMES[currentService](
          connection
            ? html`<fs-account></fs-account>
                <fs-browser></fs-browser>
                ${config.mode === 'export' ? html`<fs-save-form .input=${this.#call.input}></fs-save-form>` : html`<fs-selection-bar></fs-selection-bar>`}`
            : html`<fs-connect></fs-connect>`,
        );
      case 'COMPUTER':
        return html`<fs-upload></fs-upload>`;
      case 'URL':
        return html`<fs-link></fs-link>`;
      default:
        return html`<p class="prompt">${config.mode === 'export' ? msg('Choose where to save the file.') : msg('Choose where your files are.')}</p>`;
    }
  }

  get #dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  /** The attributes and properties as the picker uses them (see core/attribute-checks.ts). */
  #checked(): CheckedAttributes {
    return checkAttributes(this).attributes;
  }

  #attributes(): PickerAttributes {
    const { mode, services, accept, multiple, maxFiles, minFiles, maxSize, folders, openTo } = this.#checked();
    return { mode, services, accept, multiple, maxFiles, minFiles, maxSize, folders, openTo };
  }

  #target(): { server: string; apiKey: string } {
    const { server, apiKey } = this.#checked();
    return { server, apiKey };
  }

  #requestClose(reason: FsCloseDetail['reason']): boolean {
    if (!this.isOpen) return false;
    if (!this.dispatchEvent(new FsCloseEvent({ reason }))) return false;
    this.#closeNow();
    return true;
  }

  #closeNow(): void {
    if (this.#dialog.open) this.#dialog.close();
    // The dialog's own close event comes a task later; the picker is closed from now on.
    this.#onClosed();
  }

  #onCancel(event: Event): void {
    // Escape goes through the same cancelable path as the close button.
    event.preventDefault();
    this.#requestClose('escape');
  }

  /** The native dialog's close event comes a task after close(): by then a new call may have reopened it. */
  #onDialogClose(): void {
    if (!this.#dialog.open) this.#onClosed();
  }

  #onClosed(): void {
    if (!this.isOpen) return;
    this.#store.setState({ open: false });
    this.#call.end();
    this.#focusReturn.restore();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-picker': FsPicker;
  }
}
