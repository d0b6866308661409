import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { ContextProvider } from '@lit/context';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { CompanionClient } from '../../api/client.ts';
import { announceDialog } from '../../api/announce-dialog.ts';
import { clientContext, storeContext } from '../../controllers/context.ts';
import { FocusReturnController } from '../../controllers/focus-return.ts';
import { SavedStateController } from '../../controllers/saved-state.ts';
import { configFrom, type ConfigOverrides, type PickerAttributes } from '../../core/picker-config.ts';
import { initialPickerState, type PickerState } from '../../core/picker-state.ts';
import { createStore, type Store } from '../../core/store.ts';
import { FsCloseEvent, type FsCloseDetail } from '../../events/fs-close.ts';
import { FsOpenEvent } from '../../events/fs-open.ts';
import type { FsBlob } from '../../protocol/blob.ts';
import { FsError } from '../../protocol/errors.ts';
import type { ExportFileOptions, PickOptions } from '../../protocol/options.ts';
import { SERVICE_IDS, type ServiceId } from '../../protocol/services.ts';
import { applyLanguage, directionOf } from '../../locales/localization.ts';
import { themeStyles } from '../../styles/themes.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { pickerStyles } from './fs-picker.styles.ts';
import { loadViews } from './load-views.ts';

/** What `save()` accepts: a picked or stored file, its URL, any URL, or bytes the page has. */
export type SaveInput = FsBlob | string | Blob;

interface PendingCall {
  kind: 'pick' | 'export';
  resolve: (value: never) => void;
  reject: (error: FsError) => void;
}

/**
 * An embeddable file picker. It opens as a native modal dialog (or inline), provides one store to its
 * views and switches between them; the views do the work.
 *
 * @summary Pick files from Alfresco, the person's computer or a link, or save a file into Alfresco.
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
 * @fires fs-error - Something failed; `detail` has the code and a message.
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
    lang: { reflect: true },
    theme: { reflect: true },
    display: { reflect: true },
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

  readonly #store: Store<PickerState> = createStore(initialPickerState());
  readonly #focusReturn = new FocusReturnController(this);
  readonly #client = new ContextProvider(this, { context: clientContext, initialValue: undefined });
  /** Keeps the session, the last folder and the view mode per companion + app, across reloads. */
  readonly #saved = new SavedStateController(this, this.#store, () => ({ server: this.server, apiKey: this.apiKey }));
  /** Options of the running `pick()` or `save()`, layered over the attributes until it settles. */
  #overrides: ConfigOverrides = {};
  #pending: PendingCall | undefined;
  #saveInput: SaveInput | undefined;
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
    this.#store.subscribe((state, previous) => {
      // Views live only while the picker is open, so each opening starts them afresh (the store keeps
      // what should survive: the session, the folder, the view mode).
      if (state.open !== previous.open || state.currentService !== previous.currentService || state.connection !== previous.connection || state.config !== previous.config) this.requestUpdate();
    });
    this.addEventListener('fs-pick', (event) => this.#settle('pick', event.detail.blobs));
    this.addEventListener('fs-export', (event) => this.#settle('export', event.detail.blob));
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
    if (this.display === 'inline') this.#dialog.show();
    else this.#dialog.showModal();
    await this.#saved.ready;
    const { config, currentService, connection } = this.#store.getState();
    // Back where the person was: a picker still signed in to Alfresco opens on it.
    const signedIn = connection && (config.services.length === 0 || config.services.includes('ALFRESCO')) ? ('ALFRESCO' as const) : undefined;
    this.#store.setState({ open: true, currentService: this.#firstService(config.services) ?? currentService ?? signedIn ?? null });
    this.dispatchEvent(new FsOpenEvent());
    const client = this.#client.value;
    if (client) void announceDialog(client, config);
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
    const { pickOverrides } = await import('../../core/call-options.ts');
    return this.#run<FsBlob[]>('pick', pickOverrides(options));
  }

  /**
   * Opens the picker in export mode to save `input` (a Blob record, a URL, or bytes) into a folder the
   * person chooses, with v2's exportFile options (`mimetype` or `extension`, `suggestedFilename`,
   * `services`). Resolves with the Blob record of the saved file; rejects with `FS_ERR_EXPORT_CLOSED`
   * (v2 code 131) when the person closes it.
   */
  async save(input: SaveInput, options?: ExportFileOptions): Promise<FsBlob> {
    const { exportOverrides } = await import('../../core/call-options.ts');
    const overrides = exportOverrides(input, options);
    this.#saveInput = input;
    return this.#run<FsBlob>('export', overrides);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('apiKey') || changed.has('server')) {
      this.#client.setValue(this.apiKey && this.server ? new CompanionClient({ server: this.server, apiKey: this.apiKey }) : undefined);
    }
    // Without a lang of its own the picker speaks the page's language, from the first render on.
    if (changed.has('lang') || !this.hasUpdated) this.#direction = directionOf(applyLanguage(this.lang || document.documentElement.lang));
    this.#updateConfig();
  }

  protected override render() {
    const { currentService, config } = this.#store.getState();
    const title = config.mode === 'export' ? msg('Save to Alfresco') : config.multiple ? msg('Choose files') : msg('Choose a file');
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

  /** The view for the chosen source; the views do the work, the picker only switches between them. */
  #renderView() {
    const { currentService, connection, config } = this.#store.getState();
    switch (currentService) {
      case 'ALFRESCO':
        if (!connection) return html`<fs-connect></fs-connect>`;
        return html`<fs-account></fs-account>
          <fs-browser></fs-browser>
          ${config.mode === 'export' ? html`<fs-save-form .input=${this.#saveInput}></fs-save-form>` : html`<fs-selection-bar></fs-selection-bar>`}`;
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

  #updateConfig(): void {
    const attributes: PickerAttributes = {
      mode: this.mode,
      services: this.services,
      accept: this.accept,
      multiple: this.multiple,
      maxFiles: this.maxFiles,
      minFiles: this.minFiles,
      maxSize: this.maxSize,
      folders: this.folders,
      openTo: this.openTo,
    };
    const config = configFrom(attributes, this.#overrides);
    const current = this.#store.getState().config;
    if (JSON.stringify(config) !== JSON.stringify(current)) this.#store.setState({ config });
  }

  /** The source to show when opening: `openTo` if offered, else the only one offered. */
  #firstService(services: ServiceId[]): ServiceId | undefined {
    const openTo = (this.#overrides.openTo ?? this.openTo).toUpperCase();
    if ((SERVICE_IDS as readonly string[]).includes(openTo) && (services.length === 0 || services.includes(openTo as ServiceId))) return openTo as ServiceId;
    return services.length === 1 ? services[0] : undefined;
  }

  async #run<T>(kind: PendingCall['kind'], overrides: ConfigOverrides): Promise<T> {
    if (this.#pending) throw new FsError('FS_ERR_INVALID_REQUEST', `${kind === 'pick' ? 'pick' : 'save'}: the picker is already open for another ${this.#pending.kind === 'pick' ? 'pick' : 'save'}.`);
    this.#overrides = overrides;
    this.#store.setState({ selection: [] });
    this.#updateConfig();
    const settled = new Promise<T>((resolve, reject) => {
      this.#pending = { kind, resolve, reject };
    });
    // The caller gets the outcome from the returned promise; it may settle while open() is still awaited.
    settled.catch(() => undefined);
    await this.open();
    return settled;
  }

  /** A view finished: hand the result to the waiting call (if any) and close. */
  #settle(kind: PendingCall['kind'], value: unknown): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending?.kind === kind) pending.resolve(value as never);
    else pending?.reject(new FsError(pending.kind === 'pick' ? 'FS_ERR_PICKER_CLOSED' : 'FS_ERR_EXPORT_CLOSED'));
    this.#closeNow();
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
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(pending.kind === 'pick' ? new FsError('FS_ERR_PICKER_CLOSED') : new FsError('FS_ERR_EXPORT_CLOSED'));
    this.#overrides = {};
    this.#saveInput = undefined;
    this.#store.setState({ open: false });
    this.#updateConfig();
    this.#focusReturn.restore();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-picker': FsPicker;
  }
}
