import { html, nothing, type PropertyDeclarations } from 'lit';
import type { PortalApp } from './api.ts';
import { formValues, PortalPanel } from './panel.ts';

/**
 * @summary The app's access: its API key (rotate), app secret (new one shown once), allowed origins and
 * whether every call needs a signed security policy.
 * @csspart panel - The panel.
 * @csspart status - The status line.
 * @fires fs-portal-app-change - The app changed (detail: the app).
 */
export class FsPortalAccess extends PortalPanel {
  static override properties: PropertyDeclarations = {
    ...PortalPanel.properties,
    confirmingRotate: { state: true },
    newSecret: { state: true },
  };

  declare confirmingRotate: boolean;
  declare newSecret: string | undefined;

  constructor() {
    super();
    this.confirmingRotate = false;
    this.newSecret = undefined;
  }

  override render() {
    const app = this.app;
    if (!app) return nothing;
    const originErrors = Object.entries(this.errors).filter(([key]) => key.startsWith('allowedOrigins'));
    return html`<section part="panel" aria-labelledby="access-title">
      <h2 id="access-title">Keys and access</h2>
      <h3>API key</h3>
      <p>Public: pages pass it to the picker. <code data-testid="api-key">${app.apiKey}</code></p>
      <div class="actions">
        ${this.confirmingRotate
          ? html`<span id="rotate-warning">The old key stops working at once; pages must use the new one.</span>
              <button class="danger" aria-describedby="rotate-warning" ?disabled=${this.busy} @click=${this.#rotateKey}>Rotate now</button>
              <button @click=${() => (this.confirmingRotate = false)}>Cancel</button>`
          : html`<button @click=${() => (this.confirmingRotate = true)}>Rotate API key…</button>`}
      </div>

      <h3>App secret</h3>
      <p class="hint">Signs security policies. ${app.appSecretSet ? 'A secret is set; it is never shown again.' : 'No secret is set.'}</p>
      ${this.newSecret
        ? html`<p>New app secret (copy it now, it is shown only once):</p>
            <output class="secret" aria-label="New app secret">${this.newSecret}</output>`
        : nothing}
      <div class="actions"><button ?disabled=${this.busy} @click=${this.#rotateSecret}>${app.appSecretSet ? 'Generate a new app secret' : 'Generate an app secret'}</button></div>

      <h3>Security policies</h3>
      <label class="check"
        ><input type="checkbox" .checked=${app.requirePolicy} ?disabled=${this.busy} @change=${this.#togglePolicy} /> Require a signed policy with every call</label
      >

      <form @submit=${this.#saveOrigins} novalidate>
        <h3><label for="origins">Allowed origins</label></h3>
        <div class="field">
          <textarea
            id="origins"
            name="origins"
            rows="4"
            aria-describedby="origins-hint${originErrors.length > 0 ? ' origins-error' : ''}"
            aria-invalid=${originErrors.length > 0 ? 'true' : 'false'}
            .value=${app.allowedOrigins.join('\n')}
          ></textarea>
          <span id="origins-hint" class="hint">One per line, like https://app.example.com (scheme, host and port only).</span>
          ${originErrors.length > 0
            ? html`<span id="origins-error" class="error">${originErrors.map(([key, message]) => html`Line ${Number(key.split('.')[1] ?? 0) + 1}: ${message}. `)}</span>`
            : nothing}
        </div>
        <button class="primary" type="submit" ?disabled=${this.busy}>Save origins</button>
      </form>
      ${this.statusLine()}
    </section>`;
  }

  async #rotateKey(): Promise<void> {
    const result = await this.run(() => this.api!.call<{ apiKey: string; app: PortalApp }>('POST', `apps/${this.app!.id}/api-key`), 'The API key was rotated; the old one no longer works.');
    this.confirmingRotate = false;
    if (result) this.changed(result.app);
  }

  async #rotateSecret(): Promise<void> {
    const result = await this.run(() => this.api!.call<{ appSecret: string }>('POST', `apps/${this.app!.id}/app-secret`), 'A new app secret was made.');
    if (result) {
      this.newSecret = result.appSecret;
      this.changed({ ...this.app!, appSecretSet: true });
    }
  }

  async #togglePolicy(event: Event): Promise<void> {
    const requirePolicy = (event.target as HTMLInputElement).checked;
    const result = await this.run(() => this.api!.call<{ app: PortalApp }>('PATCH', `apps/${this.app!.id}`, { requirePolicy }), requirePolicy ? 'Signed policies are now required.' : 'Signed policies are no longer required.');
    if (result) this.changed(result.app);
  }

  async #saveOrigins(event: Event): Promise<void> {
    const allowedOrigins = (formValues(event).origins ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const result = await this.run(() => this.api!.call<{ app: PortalApp }>('PATCH', `apps/${this.app!.id}`, { allowedOrigins }), 'Allowed origins saved.');
    if (result) this.changed(result.app);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-portal-access': FsPortalAccess;
  }
}
