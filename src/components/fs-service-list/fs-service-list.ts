import { html, LitElement, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { initialState, Task } from '@lit/task';
import type { CompanionClient } from '../../api/transport/client.ts';
import { clientContext } from '../../controllers/context.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import { chooseService } from '../../core/picker-state.ts';
import { FsErrorEvent } from '../../events/fs-error.ts';
import { FsServiceChangeEvent } from '../../events/fs-service-change.ts';
import { FsError } from '../../protocol/errors.ts';
import type { ServiceDescriptor, ServiceId } from '../../protocol/services.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { serviceListStyles } from './fs-service-list.styles.ts';
import { SERVICE_ICONS } from './service-icons.ts';

/**
 * The sources a person can pick from, as the companion lists them for the app.
 *
 * @summary The list of sources (Alfresco, My Computer, Link) with the current one marked.
 * @fires fs-service-change - The person chose a source.
 * @fires fs-error - The list could not be loaded.
 * @csspart list - The list of sources.
 * @csspart service - Each source's button.
 * @cssproperty [--fs-color-selected=#dde6f8] - Background of the current source.
 * @cssproperty [--fs-color-hover=#eef1f6] - Background of a source under the pointer.
 */
export class FsServiceList extends LitElement {
  static override styles = [baseStyles, serviceListStyles];
  static override properties = { client: { attribute: false }, allowed: { attribute: false } };

  /** The companion client; taken from the enclosing `<fs-picker>` unless set directly. */
  declare client: CompanionClient | undefined;
  /** The sources to show, in this order, among those the app has; empty shows them all. */
  declare allowed: ServiceId[];

  readonly #current = new StoreController(this, (state) => state.currentService);
  // Opening is when a lone source is chosen (see updated).
  readonly #open = new StoreController(this, (state) => state.open);

  readonly #services = new Task(this, {
    task: async ([client], { signal }) => (client ? client.listServices(signal) : initialState),
    args: () => [this.client] as const,
    onError: (error) => {
      const { code, message } = error instanceof FsError ? error : new FsError('FS_ERR_INTERNAL');
      this.dispatchEvent(new FsErrorEvent({ code, message }));
    },
  });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.allowed = [];
    new ContextConsumer(this, {
      context: clientContext,
      subscribe: true,
      callback: (client) => {
        this.client = client;
      },
    });
  }

  protected override render() {
    return this.#services.render({
      initial: () => html`<p class="state">${msg('Set the picker’s server and api-key to list sources.')}</p>`,
      pending: () => html`<p class="state" role="status">${msg('Loading sources…')}</p>`,
      error: (error) => html`<p class="state" role="alert">
        ${error instanceof FsError ? error.message : msg('The sources could not be loaded.')}
        <button @click=${() => this.#services.run()}>${msg('Try again')}</button>
      </p>`,
      complete: (services) => this.#renderList(services),
    });
  }

  /** The app's services that are on offer, in the order asked. */
  #offered(all: ServiceDescriptor[]): ServiceDescriptor[] {
    return this.allowed.length === 0 ? all : this.allowed.flatMap((id) => all.filter((service) => service.id === id));
  }

  protected override updated(): void {
    // One source on offer and none chosen yet (a save, when the app has one repository): it is the choice.
    const store = this.#current.store;
    const all = this.#services.value;
    if (!store || !Array.isArray(all) || !this.#open.value || this.#current.value !== null) return;
    const [only, ...more] = this.#offered(all);
    if (only?.available && more.length === 0) store.setState((state) => chooseService(state, only.id));
  }

  #renderList(all: ServiceDescriptor[]) {
    const services = this.#offered(all);
    if (services.length === 0) return html`<p class="state">${msg('This app has no sources enabled.')}</p>`;
    return html`<ul part="list" aria-label=${msg('Sources')}>
      ${services.map(
        (service) => html`<li>
          <button
            part="service"
            data-service=${service.id}
            aria-current=${this.#current.value === service.id ? 'true' : 'false'}
            aria-disabled=${service.available ? nothing : 'true'}
            @click=${() => this.#choose(service)}
          >
            ${SERVICE_ICONS[service.kind]}
            <span>
              ${serviceName(service)}
              ${service.detail ? html`<span class="detail">${service.detail}</span>` : nothing}
            </span>
          </button>
        </li>`,
      )}
    </ul>`;
  }

  #choose(service: ServiceDescriptor): void {
    if (!service.available) return;
    this.#current.store?.setState((state) => chooseService(state, service.id));
    this.dispatchEvent(new FsServiceChangeEvent({ service: service.id }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-service-list': FsServiceList;
  }
}

/** The person's own device and links in the person's language; a repository keeps its product name. */
function serviceName(service: ServiceDescriptor): string {
  if (service.kind === 'device') return msg('My Computer');
  if (service.kind === 'link') return msg('Link (URL)');
  return service.name;
}
