import { html, nothing } from 'lit';
import type { PortalApp } from './api.ts';
import { formValues, PortalPanel } from './panel.ts';

/**
 * @summary The app's own Alfresco OAuth application: App Key, App Secret (write-only), repository and
 * identity-service URLs, and the callback URL to copy into the OAuth application's settings.
 * @csspart panel - The panel.
 * @csspart field - Each labelled field.
 * @csspart status - The status line.
 * @fires fs-portal-app-change - The app changed (detail: the app).
 */
export class FsPortalAlfresco extends PortalPanel {
  override render() {
    const app = this.app;
    if (!app) return nothing;
    const { alfresco } = app;
    return html`<section part="panel" aria-labelledby="alfresco-title">
      <h2 id="alfresco-title">Alfresco</h2>
      <p class="hint">The OAuth application people sign in through. Without one, the companion's default application is used.</p>
      <div class="field">
        <label for="callback">Callback URL (redirect URI)</label>
        <div class="actions">
          <input id="callback" type="text" readonly .value=${alfresco.callbackUrl} aria-describedby="callback-hint" />
          <button type="button" @click=${this.#copy}>Copy</button>
        </div>
        <span id="callback-hint" class="hint">Enter it in the Alfresco OAuth application's settings.</span>
      </div>
      <form @submit=${this.#save} novalidate>
        ${this.field('clientId', 'App Key', alfresco.clientId ?? '', { errorKey: 'alfresco.clientId' })}
        ${this.field('clientSecret', 'App Secret', '', {
          type: 'password',
          autocomplete: 'new-password',
          errorKey: 'alfresco.clientSecret',
          hint: alfresco.clientSecretSet ? 'A secret is saved and never shown. Leave empty to keep it.' : 'No secret saved yet.',
        })}
        ${this.field('repositoryUrl', 'Repository URL', alfresco.repositoryUrl ?? '', { type: 'url', errorKey: 'alfresco.repositoryUrl', placeholder: 'https://alfresco.example.com' })}
        ${this.field('issuer', 'Identity service URL (issuer)', alfresco.issuer ?? '', { type: 'url', errorKey: 'alfresco.issuer', placeholder: 'https://id.example.com/auth/realms/alfresco' })}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy}>Save</button>
          ${alfresco.clientId ? html`<button type="button" class="danger" ?disabled=${this.busy} @click=${this.#remove}>Remove App Key</button>` : nothing}
        </div>
      </form>
      ${this.statusLine()}
    </section>`;
  }

  async #copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.app!.alfresco.callbackUrl);
      this.status = { kind: 'ok', text: 'Callback URL copied.' };
    } catch {
      this.status = { kind: 'error', text: 'Could not copy; select the URL and copy it.' };
    }
  }

  async #save(event: Event): Promise<void> {
    const form = event.target as HTMLFormElement;
    const values = formValues(event);
    const alfresco = {
      clientId: values.clientId || null,
      ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}),
      repositoryUrl: values.repositoryUrl || null,
      issuer: values.issuer || null,
    };
    const result = await this.run(() => this.api!.call<{ app: PortalApp }>('PATCH', `apps/${this.app!.id}`, { alfresco }), 'Alfresco settings saved.');
    if (result) {
      (form.elements.namedItem('clientSecret') as HTMLInputElement).value = '';
      this.changed(result.app);
    }
  }

  async #remove(): Promise<void> {
    const result = await this.run(() => this.api!.call<{ app: PortalApp }>('PATCH', `apps/${this.app!.id}`, { alfresco: { clientId: null } }), 'The App Key and App Secret were removed.');
    if (result) this.changed(result.app);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-portal-alfresco': FsPortalAlfresco;
  }
}
