import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { PortalApi, PortalError, type PortalApp } from './api.ts';
import type { FsPortalDeliveries } from './fs-portal-deliveries.ts';
import { portalStyles } from './styles.ts';

/**
 * @summary The developer portal served by the companion at /portal: sign-in, then for each app its keys
 * and access, Alfresco OAuth application, WebDAV and CMIS sources with the services offered, storage,
 * webhooks and delivery log.
 * @csspart header - The page header with the app chooser and sign-out.
 * @cssproperty [--fs-color-surface-raised=#f4f6f9] - The page background.
 */
export class FsPortal extends LitElement {
  static override styles = [
    portalStyles,
    css`
      :host {
        min-block-size: 100vh;
        background: var(--fs-color-surface-raised, #f4f6f9);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: var(--fs-space-3, 0.75rem);
        align-items: center;
        justify-content: space-between;
        padding: var(--fs-space-3, 0.75rem) var(--fs-space-5, 1.25rem);
        background: var(--fs-color-surface, #ffffff);
        border-block-end: 1px solid var(--fs-color-border, #d5dae3);
      }
      h1 {
        font-size: 1.25rem;
        margin: 0;
      }
      main {
        padding: var(--fs-space-4, 1rem) var(--fs-space-5, 1.25rem);
        max-inline-size: 64rem;
      }
      select {
        inline-size: auto;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    disabled: { type: Boolean, reflect: true },
    state: { state: true },
    apps: { state: true },
    selectedId: { state: true },
    error: { state: true },
  };

  /** Set by the page when the companion's configuration has no portal password or token. */
  declare disabled: boolean;
  declare state: 'checking' | 'signed-out' | 'signed-in';
  declare apps: PortalApp[];
  declare selectedId: string | undefined;
  declare error: string | undefined;
  readonly api = new PortalApi();

  constructor() {
    super();
    this.disabled = false;
    this.state = 'checking';
    this.apps = [];
    this.selectedId = undefined;
    this.error = undefined;
    this.addEventListener('fs-portal-signed-in', (event) => void this.#signedIn((event as CustomEvent<{ csrf: string }>).detail.csrf));
    this.addEventListener('fs-portal-signed-out', () => (this.state = 'signed-out'));
    this.addEventListener('fs-portal-app-change', (event) => {
      const app = (event as CustomEvent<PortalApp>).detail;
      this.apps = this.apps.map((candidate) => (candidate.id === app.id ? app : candidate));
    });
    this.addEventListener('fs-portal-test-sent', () => {
      // The worker delivers within moments; show the result.
      setTimeout(() => void this.renderRoot.querySelector<FsPortalDeliveries>('fs-portal-deliveries')?.refresh(), 1000);
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.disabled) void this.#check();
  }

  async #check(): Promise<void> {
    try {
      const session = await this.api.call<{ signedIn: boolean; csrf?: string }>('GET', 'session');
      if (session.signedIn && session.csrf) await this.#signedIn(session.csrf);
      else this.state = 'signed-out';
    } catch (error) {
      this.error = error instanceof PortalError ? error.message : 'The portal could not start.';
      this.state = 'signed-out';
    }
  }

  async #signedIn(csrf: string): Promise<void> {
    this.api.csrf = csrf;
    try {
      const { apps } = await this.api.call<{ apps: PortalApp[] }>('GET', 'apps');
      this.apps = apps;
      this.selectedId = apps.find((app) => app.id === this.selectedId)?.id ?? apps[0]?.id;
      this.state = 'signed-in';
      this.error = undefined;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    } catch (error) {
      this.error = error instanceof PortalError ? error.message : 'The apps could not be read.';
      this.state = 'signed-out';
    }
  }

  #choose(event: Event): void {
    this.selectedId = (event.target as HTMLSelectElement).value;
  }

  async #signOut(): Promise<void> {
    await this.api.call('DELETE', 'session').catch(() => undefined);
    this.api.csrf = undefined;
    this.apps = [];
    this.state = 'signed-out';
  }

  override render() {
    const app = this.apps.find((candidate) => candidate.id === this.selectedId);
    return html`<header part="header">
        <h1 tabindex="-1">fs-picker developer portal</h1>
        ${this.state === 'signed-in'
          ? html`<div class="actions">
              ${this.apps.length > 1
                ? html`<label for="app">App</label>
                    <select id="app" @change=${this.#choose}>
                      ${this.apps.map((candidate) => html`<option value=${candidate.id} ?selected=${candidate.id === this.selectedId}>${candidate.name}</option>`)}
                    </select>`
                : nothing}
              <button @click=${this.#signOut}>Sign out</button>
            </div>`
          : nothing}
      </header>
      <main>${this.#body(app)}</main>`;
  }

  #body(app: PortalApp | undefined) {
    if (this.disabled) {
      return html`<p role="alert">The developer portal is disabled: set <code>portal.adminPassword</code> or <code>portal.adminToken</code> in the companion's configuration.</p>`;
    }
    if (this.state === 'checking') return html`<p role="status">Loading…</p>`;
    if (this.state === 'signed-out') {
      return html`${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}<fs-portal-sign-in .api=${this.api}></fs-portal-sign-in>`;
    }
    if (!app) return html`<p>No apps are registered.</p>`;
    return html`<h2 class="visually-hidden">${app.name}</h2>
      <p>App <strong>${app.name}</strong></p>
      <fs-portal-access .api=${this.api} .app=${app}></fs-portal-access>
      <fs-portal-alfresco .api=${this.api} .app=${app}></fs-portal-alfresco>
      <fs-portal-sources .api=${this.api} .app=${app}></fs-portal-sources>
      <fs-portal-storage .api=${this.api} .app=${app}></fs-portal-storage>
      <fs-portal-webhooks .api=${this.api} .app=${app}></fs-portal-webhooks>
      <fs-portal-deliveries .api=${this.api} .app=${app}></fs-portal-deliveries>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-portal': FsPortal;
  }
}
