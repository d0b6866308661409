import { html, LitElement, type PropertyValues } from 'lit';
import { ContextProvider } from '@lit/context';
import { msg } from '@lit/localize';
import { CompanionClient } from '../../api/client.ts';
import { clientContext, storeContext } from '../../controllers/context.ts';
import { FocusReturnController } from '../../controllers/focus-return.ts';
import { initialPickerState, type PickerState } from '../../core/picker-state.ts';
import { createStore, type Store } from '../../core/store.ts';
import { FsCloseEvent, type FsCloseDetail } from '../../events/fs-close.ts';
import { FsOpenEvent } from '../../events/fs-open.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { pickerStyles } from './fs-picker.styles.ts';

/**
 * An embeddable file picker. It opens as a native modal dialog, provides one store to its views and
 * switches between them; the views do the work.
 *
 * @summary Pick files from Alfresco, the person's computer or a link.
 * @fires fs-open - The dialog opened.
 * @fires fs-close - The dialog is about to close; cancelable.
 * @fires fs-service-change - The person chose a source.
 * @fires fs-error - Something failed; `detail` has the code and a message.
 * @csspart dialog - The native `<dialog>`.
 * @csspart header - The title bar.
 * @csspart close-button - The close button in the title bar.
 * @csspart services - The column that lists the sources.
 * @csspart body - The main area.
 * @cssproperty [--fs-dialog-width=52rem] - Width of the dialog (capped at the viewport).
 * @cssproperty [--fs-dialog-height=34rem] - Height of the dialog (capped at the viewport).
 * @cssproperty [--fs-color-surface=#fff] - Background of the dialog.
 * @cssproperty [--fs-color-backdrop=rgb(16 22 36 / 45%)] - The backdrop behind the modal dialog.
 * @cssproperty [--fs-color-text=#1d2330] - Text colour.
 * @cssproperty [--fs-color-focus=#2457c5] - Focus ring colour.
 */
export class FsPicker extends LitElement {
  static override styles = [baseStyles, pickerStyles];
  static override properties = {
    apiKey: { attribute: 'api-key' },
    server: {},
  };

  /** The app's API key, as registered with the companion. */
  declare apiKey: string;
  /** The companion's base URL, e.g. `https://files.example.com`. */
  declare server: string;

  readonly #store: Store<PickerState> = createStore(initialPickerState());
  readonly #focusReturn = new FocusReturnController(this);
  readonly #client = new ContextProvider(this, { context: clientContext, initialValue: undefined });

  constructor() {
    super();
    this.apiKey = '';
    this.server = '';
    new ContextProvider(this, { context: storeContext, initialValue: this.#store });
    this.#store.subscribe((state, previous) => {
      if (state.currentService !== previous.currentService || state.connection !== previous.connection || state.config !== previous.config) this.requestUpdate();
    });
  }

  /** Whether the dialog is showing. */
  get isOpen(): boolean {
    return this.#store.getState().open;
  }

  /** Opens the picker as a modal dialog; focus returns to the current element when it closes. */
  async open(): Promise<void> {
    await this.updateComplete;
    if (this.isOpen) return;
    this.#focusReturn.remember();
    this.#dialog.showModal();
    this.#store.setState({ open: true });
    this.dispatchEvent(new FsOpenEvent());
  }

  /** Asks the picker to close; a listener of `fs-close` may refuse. Resolves to whether it closed. */
  close(): boolean {
    return this.#requestClose('method');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('apiKey') || changed.has('server')) {
      this.#client.setValue(this.apiKey && this.server ? new CompanionClient({ server: this.server, apiKey: this.apiKey }) : undefined);
    }
  }

  protected override render() {
    return html`<dialog part="dialog" aria-labelledby="title" @cancel=${this.#onCancel} @close=${this.#onClosed}>
      <div class="panel">
        <header part="header">
          <h2 id="title">${msg('Choose files')}</h2>
          <button part="close-button" class="close" aria-label=${msg('Close')} @click=${() => this.#requestClose('button')}>×</button>
        </header>
        <nav part="services" aria-label=${msg('Sources')}>
          <fs-service-list></fs-service-list>
        </nav>
        <section part="body" class="body" aria-label=${msg('Files')}>${this.#renderView()}</section>
      </div>
    </dialog>`;
  }

  /** The view for the chosen source; the views do the work, the picker only switches between them. */
  #renderView() {
    const { currentService, connection, config } = this.#store.getState();
    switch (currentService) {
      case 'ALFRESCO':
        if (!connection) return html`<fs-connect></fs-connect>`;
        return html`<fs-browser></fs-browser>${config.mode === 'export' ? html`<fs-save-form></fs-save-form>` : html`<fs-selection-bar></fs-selection-bar>`}`;
      case 'COMPUTER':
        return html`<fs-upload></fs-upload>`;
      case 'URL':
        return html`<fs-link></fs-link>`;
      default:
        return html`<p>${msg('Choose where your files are.')}</p>`;
    }
  }

  get #dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  #requestClose(reason: FsCloseDetail['reason']): boolean {
    if (!this.isOpen) return false;
    if (!this.dispatchEvent(new FsCloseEvent({ reason }))) return false;
    this.#dialog.close();
    return true;
  }

  #onCancel(event: Event): void {
    // Escape goes through the same cancelable path as the close button.
    event.preventDefault();
    this.#requestClose('escape');
  }

  #onClosed(): void {
    this.#store.setState({ open: false });
    this.#focusReturn.restore();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-picker': FsPicker;
  }
}
