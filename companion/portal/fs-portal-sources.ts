import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { CMIS_SIGN_INS, type CmisSignIn } from '../../src/protocol/portal.ts';
import { REPOSITORY_NAMES, SERVICE_IDS, type ServiceId } from '../../src/protocol/services.ts';
import type { PortalApp } from './api.ts';
import { formValues, PortalPanel } from './panel.ts';

/** What the picker calls each service (the companion's /api/services names the device ones the same). */
const SERVICE_NAMES: Record<ServiceId, string> = { ...REPOSITORY_NAMES, COMPUTER: 'My Computer', URL: 'Link (URL)' };

/** The sources of the app's own, each offered only once it has its URL. */
type Source = 'webdav' | 'cmis';
const SOURCE_OF: Partial<Record<ServiceId, Source>> = { WEBDAV: 'webdav', CMIS: 'cmis' };
const URL_FIELD: Record<Source, string> = { webdav: 'webdavUrl', cmis: 'cmisUrl' };
const URL_LABEL: Record<Source, string> = { webdav: 'WebDAV server URL', cmis: 'CMIS browser binding URL' };

const SIGN_IN_LABELS: Record<CmisSignIn, string> = { password: 'Password (the companion’s sign-in form)', alfresco: 'Alfresco sign-in' };

/**
 * @summary The app's sources beyond Alfresco, WebDAV and CMIS, each on with its URL, and the services the
 * picker offers, in the app's order. WebDAV and CMIS can be offered once their URL is entered.
 * @csspart panel - The panel.
 * @csspart field - Each labelled field.
 * @csspart status - The status line.
 * @fires fs-portal-app-change - The app changed (detail: the app).
 */
export class FsPortalSources extends PortalPanel {
  static override properties: PropertyDeclarations = {
    ...PortalPanel.properties,
    hasUrl: { state: true },
    offered: { state: true },
  };

  /** Whether each source's URL field has text now, before it is saved. */
  declare hasUrl: Record<Source, boolean>;
  /** The services ticked now, in the order the picker will list them. */
  declare offered: string[];
  /** What the drafts were last taken from: another panel's save must not undo edits made here. */
  #draftOf = '';

  constructor() {
    super();
    this.hasUrl = { webdav: false, cmis: false };
    this.offered = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const app = this.app;
    if (!changed.has('app') || !app) return;
    const key = JSON.stringify([app.id, app.services, app.webdav, app.cmis]);
    if (key === this.#draftOf) return;
    this.#draftOf = key;
    this.hasUrl = { webdav: app.webdav !== null, cmis: app.cmis !== null };
    this.offered = [...app.services];
  }

  override render() {
    const app = this.app;
    if (!app) return nothing;
    // A new form for another app: what was typed for one app must not stay in the fields of the next.
    return html`<section part="panel" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      <p class="hint">Content repositories people pick from besides Alfresco. Each is on once it has its URL.</p>
      ${keyed(app.id, this.#form(app))} ${this.statusLine()}
    </section>`;
  }

  #form(app: PortalApp) {
    const cmis = app.cmis;
    return html`<form @submit=${this.#save} @input=${this.#typed} novalidate>
      <fieldset>
        <legend>WebDAV</legend>
        ${this.field(URL_FIELD.webdav, URL_LABEL.webdav, app.webdav?.url ?? '', {
          type: 'url',
          errorKey: 'webdav.url',
          placeholder: 'https://cloud.example.com/remote.php/dav/files/',
          hint: 'The collection browsing starts at. Leave empty to turn WebDAV off.',
        })}
      </fieldset>
      <fieldset>
        <legend>CMIS</legend>
        ${this.field(URL_FIELD.cmis, URL_LABEL.cmis, cmis?.url ?? '', {
          type: 'url',
          errorKey: 'cmis.url',
          placeholder: 'https://alfresco.example.com/alfresco/api/-default-/public/cmis/versions/1.1/browser',
          hint: 'The CMIS 1.1 browser binding. Leave empty to turn CMIS off.',
        })}
        ${this.field('cmisRepositoryId', 'Repository id (optional)', cmis?.repositoryId ?? '', { errorKey: 'cmis.repositoryId', hint: 'Leave empty to use the server’s first repository.' })}
        ${this.#signIn(cmis?.signIn ?? 'password')}
      </fieldset>
      ${this.#services()}
      <button class="primary" type="submit" ?disabled=${this.busy}>Save sources</button>
    </form>`;
  }

  #signIn(current: CmisSignIn) {
    const error = this.errors['cmis.signIn'];
    return html`<fieldset aria-describedby=${error ? 'cmis-sign-in-error' : nothing}>
      <legend>How people sign in to CMIS</legend>
      ${CMIS_SIGN_INS.map((way) => html`<label class="check"><input type="radio" name="cmisSignIn" value=${way} .checked=${way === current} /> ${SIGN_IN_LABELS[way]}</label>`)}
      ${error ? html`<span id="cmis-sign-in-error" class="error">Sign-in: ${error}</span>` : nothing}
    </fieldset>`;
  }

  #services() {
    const errors = Object.entries(this.errors).filter(([key]) => key === 'services' || key.startsWith('services.'));
    return html`<fieldset aria-describedby="services-hint${errors.length > 0 ? ' services-error' : ''}">
      <legend>Services the picker offers</legend>
      <p id="services-hint" class="hint">The picker lists them in the app’s order; one ticked now goes last.</p>
      ${SERVICE_IDS.map((id) => {
        const source = SOURCE_OF[id];
        const waiting = source !== undefined && !this.hasUrl[source];
        return html`<div class="field">
          <label class="check"
            ><input
              type="checkbox"
              name="services"
              value=${id}
              .checked=${this.offered.includes(id)}
              ?disabled=${waiting}
              aria-describedby=${waiting ? `service-${id}-hint` : nothing}
              @change=${this.#ticked}
            />
            ${SERVICE_NAMES[id]}</label
          >
          ${waiting ? html`<span id="service-${id}-hint" class="hint">Enter the ${URL_LABEL[source]} above to offer ${SERVICE_NAMES[id]}.</span>` : nothing}
        </div>`;
      })}
      ${errors.length > 0 ? html`<span id="services-error" class="error">Services: ${errors.map(([, message]) => message).join('; ')}</span>` : nothing}
    </fieldset>`;
  }

  /** A URL entered offers its source (as the configuration does by default); a URL cleared stops offering it. */
  #typed(event: Event): void {
    const input = event.target as HTMLInputElement;
    const source = (Object.keys(URL_FIELD) as Source[]).find((candidate) => URL_FIELD[candidate] === input.name);
    if (!source) return;
    const hasUrl = input.value.trim() !== '';
    if (hasUrl === this.hasUrl[source]) return;
    this.hasUrl = { ...this.hasUrl, [source]: hasUrl };
    const id = source === 'webdav' ? 'WEBDAV' : 'CMIS';
    this.offered = hasUrl ? [...this.offered.filter((candidate) => candidate !== id), id] : this.offered.filter((candidate) => candidate !== id);
  }

  #ticked(event: Event): void {
    const box = event.target as HTMLInputElement;
    const rest = this.offered.filter((id) => id !== box.value);
    this.offered = box.checked ? [...rest, box.value] : rest;
  }

  async #save(event: Event): Promise<void> {
    const values = formValues(event);
    const change = {
      webdav: values.webdavUrl ? { url: values.webdavUrl } : null,
      cmis: values.cmisUrl ? { url: values.cmisUrl, repositoryId: values.cmisRepositoryId || null, signIn: values.cmisSignIn ?? 'password' } : null,
      services: this.offered,
    };
    const result = await this.run(() => this.api!.call<{ app: PortalApp }>('PATCH', `apps/${this.app!.id}`, change), 'Sources saved.');
    if (result) this.changed(result.app);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-portal-sources': FsPortalSources;
  }
}
