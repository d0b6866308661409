import { html, nothing } from 'lit';
import type { PortalApp } from './api.ts';
import { formValues, PortalPanel } from './panel.ts';

/**
 * @summary The app's S3 storage location: endpoint, bucket, region, path-style, and credentials (write-only).
 * @csspart panel - The panel.
 * @csspart field - Each labelled field.
 * @csspart status - The status line.
 * @fires fs-portal-app-change - The app changed (detail: the app).
 */
export class FsPortalStorage extends PortalPanel {
  override render() {
    const app = this.app;
    if (!app) return nothing;
    const storage = app.storage;
    return html`<section part="panel" aria-labelledby="storage-title">
      <h2 id="storage-title">Storage (S3)</h2>
      <p class="hint">Where pickAndStore copies go for this app. Without it, the companion's own storage is used.</p>
      <form @submit=${this.#save} novalidate>
        ${this.field('endpoint', 'Endpoint', storage?.endpoint ?? '', { type: 'url', errorKey: 'storage.endpoint', hint: 'Leave empty for AWS.', placeholder: 'https://s3.example.com' })}
        ${this.field('bucket', 'Bucket', storage?.bucket ?? '', { errorKey: 'storage.bucket', required: true })}
        ${this.field('region', 'Region', storage?.region ?? 'us-east-1', { errorKey: 'storage.region' })}
        <label class="check field"><input type="checkbox" name="forcePathStyle" value="on" .checked=${storage?.forcePathStyle ?? false} /> Path-style addressing</label>
        ${this.field('accessKeyId', 'Access key id', '', { errorKey: 'storage.accessKeyId', hint: storage?.credentialsSet ? 'Credentials are saved and never shown. Leave both empty to keep them.' : 'No credentials saved.' })}
        ${this.field('secretAccessKey', 'Secret access key', '', { type: 'password', autocomplete: 'new-password', errorKey: 'storage.secretAccessKey' })}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy}>Save storage</button>
          ${storage ? html`<button type="button" class="danger" ?disabled=${this.busy} @click=${this.#remove}>Remove storage</button>` : nothing}
        </div>
      </form>
      ${this.statusLine()}
    </section>`;
  }

  async #save(event: Event): Promise<void> {
    const form = event.target as HTMLFormElement;
    const values = formValues(event);
    const storage = {
      endpoint: values.endpoint || null,
      bucket: values.bucket ?? '',
      region: values.region || 'us-east-1',
      forcePathStyle: values.forcePathStyle === 'on',
      ...(values.accessKeyId ? { accessKeyId: values.accessKeyId } : {}),
      ...(values.secretAccessKey ? { secretAccessKey: values.secretAccessKey } : {}),
    };
    const result = await this.run(() => this.api!.call<{ app: PortalApp }>('PATCH', `apps/${this.app!.id}`, { storage }), 'Storage saved.');
    if (result) {
      for (const name of ['accessKeyId', 'secretAccessKey']) (form.elements.namedItem(name) as HTMLInputElement).value = '';
      this.changed(result.app);
    }
  }

  async #remove(): Promise<void> {
    const result = await this.run(() => this.api!.call<{ app: PortalApp }>('PATCH', `apps/${this.app!.id}`, { storage: null }), 'Storage removed.');
    if (result) this.changed(result.app);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-portal-storage': FsPortalStorage;
  }
}
