import { html, nothing, type PropertyDeclarations } from 'lit';
import { WEBHOOK_ACTIONS } from '../../src/protocol/webhooks.ts';
import type { PortalWebhook } from './api.ts';
import { formValues, PortalPanel } from './panel.ts';

/**
 * @summary The app's webhook URLs: add, edit (URL, "All" or chosen events, signature scheme: FS-Signature
 * or Standard Webhooks), rotate the secret (the old one keeps signing for the grace period) and remove;
 * each new secret is shown once. Sends a test event (`fp.dialog` with `text.test: true`).
 * @csspart panel - The panel.
 * @csspart field - Each labelled field.
 * @csspart status - The status line.
 * @fires fs-portal-app-change - The app changed (detail: the app).
 * @fires fs-portal-test-sent - A test event was written (the delivery log may refresh).
 */
const SCHEME_NAMES = { fs: 'FS-Signature', standard: 'Standard Webhooks' } as const;

export class FsPortalWebhooks extends PortalPanel {
  static override properties: PropertyDeclarations = {
    ...PortalPanel.properties,
    editing: { state: true },
    mode: { state: true },
    shownSecret: { state: true },
  };

  /** The webhook being edited; undefined when the form adds one. */
  declare editing: PortalWebhook | undefined;
  declare mode: 'all' | 'chosen';
  declare shownSecret: { url: string; secret: string } | undefined;

  constructor() {
    super();
    this.editing = undefined;
    this.mode = 'all';
    this.shownSecret = undefined;
  }

  override render() {
    const app = this.app;
    if (!app) return nothing;
    const chosen = this.editing && this.editing.events !== 'all' ? this.editing.events : [];
    const eventsError = this.errors.events ?? Object.entries(this.errors).find(([key]) => key.startsWith('events.'))?.[1];
    return html`<section part="panel" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      ${app.webhooks.length === 0
        ? html`<p class="hint">No webhook URLs yet.</p>`
        : html`<ul aria-label="Webhook URLs">
            ${app.webhooks.map(
              (hook) => html`<li>
                <code>${hook.url}</code> — ${hook.events === 'all' ? 'all events' : hook.events.join(', ')} — ${SCHEME_NAMES[hook.signing]}
                ${hook.previousSecretUntil !== null && hook.previousSecretUntil > Date.now()
                  ? html`<span class="hint">(the old secret signs too until ${new Date(hook.previousSecretUntil).toLocaleString()})</span>`
                  : nothing}
                <span class="actions">
                  <button aria-label="Edit ${hook.url}" @click=${() => this.#edit(hook)}>Edit</button>
                  <button aria-label="Rotate secret for ${hook.url}" ?disabled=${this.busy} @click=${() => this.#rotate(hook)}>Rotate secret</button>
                  <button class="danger" aria-label="Remove ${hook.url}" ?disabled=${this.busy} @click=${() => this.#remove(hook)}>Remove</button>
                </span>
              </li>`,
            )}
          </ul>`}
      ${this.shownSecret
        ? html`<p>Signing secret for <code>${this.shownSecret.url}</code> (copy it now, it is shown only once):</p>
            <output class="secret" aria-label="Signing secret" data-testid="webhook-secret">${this.shownSecret.secret}</output>`
        : nothing}

      <form @submit=${this.#save} novalidate>
        <h3>${this.editing ? 'Edit webhook' : 'Add a webhook'}</h3>
        ${this.field('url', 'Webhook URL', this.editing?.url ?? '', { type: 'url', placeholder: 'https://example.com/hooks/fs-picker', required: true })}
        <fieldset aria-describedby=${eventsError ? 'events-error' : nothing}>
          <legend>Events</legend>
          <label class="check"><input type="radio" name="mode" value="all" .checked=${this.mode === 'all'} @change=${() => (this.mode = 'all')} /> All</label>
          <label class="check"><input type="radio" name="mode" value="chosen" .checked=${this.mode === 'chosen'} @change=${() => (this.mode = 'chosen')} /> Chosen events:</label>
          ${WEBHOOK_ACTIONS.map(
            (action) => html`<label class="check" style="margin-inline-start: 1.5rem"
              ><input type="checkbox" name="events" value=${action} .checked=${chosen.includes(action)} ?disabled=${this.mode === 'all'} /> ${action}</label
            >`,
          )}
          ${eventsError ? html`<span id="events-error" class="error">Events: ${eventsError}</span>` : nothing}
        </fieldset>
        <div class="field" part="field">
          <label for="field-signing">Signature scheme</label>
          <select id="field-signing" name="signing" aria-describedby="field-signing-hint">
            ${(['fs', 'standard'] as const).map((scheme) => html`<option value=${scheme} ?selected=${(this.editing?.signing ?? 'fs') === scheme}>${SCHEME_NAMES[scheme]}</option>`)}
          </select>
          <span id="field-signing-hint" class="hint">Standard Webhooks lets receivers verify with that specification's libraries (a <code>whsec_</code> secret); changing the scheme makes a new secret.</span>
          ${this.errors.signing ? html`<span class="error">Signature scheme: ${this.errors.signing}</span>` : nothing}
        </div>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy}>${this.editing ? 'Save webhook' : 'Add webhook'}</button>
          ${this.editing ? html`<button type="button" @click=${() => this.#edit(undefined)}>Cancel</button>` : nothing}
        </div>
      </form>
      <h3>Test</h3>
      <p class="hint">Sends an <code>fp.dialog</code> event marked <code>"test": true</code> to every URL that takes it.</p>
      <button ?disabled=${this.busy} @click=${this.#test}>Send test event</button>
      ${this.statusLine()}
    </section>`;
  }

  #edit(hook: PortalWebhook | undefined): void {
    this.editing = hook;
    this.mode = hook && hook.events !== 'all' ? 'chosen' : 'all';
    this.errors = {};
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#field-url')?.focus());
  }

  async #save(event: Event): Promise<void> {
    const form = event.target as HTMLFormElement;
    const values = formValues(event);
    const url = values.url ?? '';
    const signing = values.signing === 'standard' ? 'standard' : 'fs';
    const events = this.mode === 'all' ? 'all' : new FormData(form).getAll('events').map(String);
    const editing = this.editing;
    const result = await this.run(
      () =>
        editing
          ? this.api!.call<{ webhook: PortalWebhook; secret?: string }>('PATCH', `apps/${this.app!.id}/webhooks/${editing.id}`, { url, events, signing })
          : this.api!.call<{ webhook: PortalWebhook; secret?: string }>('POST', `apps/${this.app!.id}/webhooks`, { url, events, signing }),
      editing ? 'Webhook saved.' : 'Webhook added.',
    );
    if (!result) return;
    if (result.secret !== undefined) this.shownSecret = { url: result.webhook.url, secret: result.secret };
    const webhooks = editing ? this.app!.webhooks.map((hook) => (hook.id === editing.id ? result.webhook : hook)) : [...this.app!.webhooks, result.webhook];
    this.changed({ ...this.app!, webhooks });
    this.editing = undefined;
    this.mode = 'all';
    form.reset();
  }

  async #rotate(hook: PortalWebhook): Promise<void> {
    const result = await this.run(
      () => this.api!.call<{ webhook: PortalWebhook; secret: string }>('PATCH', `apps/${this.app!.id}/webhooks/${hook.id}`, { rotateSecret: true }),
      'A new signing secret was made; the old one signs too for the grace period.',
    );
    if (!result) return;
    this.shownSecret = { url: hook.url, secret: result.secret };
    this.changed({ ...this.app!, webhooks: this.app!.webhooks.map((candidate) => (candidate.id === hook.id ? result.webhook : candidate)) });
  }

  async #remove(hook: PortalWebhook): Promise<void> {
    const result = await this.run(() => this.api!.call<void>('DELETE', `apps/${this.app!.id}/webhooks/${hook.id}`).then(() => true), `Removed ${hook.url}.`);
    if (result) this.changed({ ...this.app!, webhooks: this.app!.webhooks.filter((candidate) => candidate.id !== hook.id) });
  }

  async #test(): Promise<void> {
    const result = await this.run(() => this.api!.call<{ eventId: number; urls: string[] }>('POST', `apps/${this.app!.id}/test-event`));
    if (!result) return;
    this.status = { kind: 'ok', text: result.urls.length === 0 ? 'Test event written; no URL takes fp.dialog events.' : `Test event ${result.eventId} sent to ${result.urls.length} URL(s).` };
    this.dispatchEvent(new Event('fs-portal-test-sent', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-portal-webhooks': FsPortalWebhooks;
  }
}
