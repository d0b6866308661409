import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { PortalDelivery } from './api.ts';
import { PortalPanel } from './panel.ts';

const time = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toLocaleString());

/**
 * @summary The app's webhook delivery log, newest first: each attempt with its status, time, error and
 * next retry; a failed delivery can be retried by hand.
 * @csspart panel - The panel.
 * @csspart status - The status line.
 */
export class FsPortalDeliveries extends PortalPanel {
  static override properties: PropertyDeclarations = {
    ...PortalPanel.properties,
    deliveries: { state: true },
  };

  declare deliveries: PortalDelivery[] | undefined;

  constructor() {
    super();
    this.deliveries = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('app') && this.app && (changed.get('app') as this['app'])?.id !== this.app.id) void this.refresh();
  }

  /** Reads the log again. */
  async refresh(): Promise<void> {
    const result = await this.run(() => this.api!.call<{ deliveries: PortalDelivery[] }>('GET', `apps/${this.app!.id}/deliveries?limit=50`));
    if (result) this.deliveries = result.deliveries;
  }

  override render() {
    if (!this.app) return nothing;
    return html`<section part="panel" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Delivery log</h2>
      <div class="actions"><button ?disabled=${this.busy} @click=${() => this.refresh()}>Refresh</button></div>
      ${this.deliveries === undefined
        ? html`<p class="hint">Loading…</p>`
        : this.deliveries.length === 0
          ? html`<p class="hint">No deliveries yet.</p>`
          : html`<table>
              <caption class="visually-hidden">
                Webhook deliveries, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">URL</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Next retry</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                ${this.deliveries.map(
                  (delivery) => html`<tr>
                    <td>${delivery.eventId} <code>${delivery.action}</code></td>
                    <td><code>${delivery.url}</code></td>
                    <td>${delivery.status}</td>
                    <td>
                      <ol>
                        ${delivery.attempts.map(
                          (attempt) => html`<li>${time(attempt.at)}: ${attempt.ok ? `delivered (${attempt.status})` : (attempt.error ?? 'failed')}${attempt.nextAttemptAt ? `; next ${time(attempt.nextAttemptAt)}` : ''}</li>`,
                        )}
                      </ol>
                    </td>
                    <td>${time(delivery.nextAttemptAt)}</td>
                    <td>${delivery.status === 'failed' ? html`<button ?disabled=${this.busy} aria-label="Retry delivery ${delivery.id}" @click=${() => this.#retry(delivery)}>Retry</button>` : nothing}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      ${this.statusLine()}
    </section>`;
  }

  async #retry(delivery: PortalDelivery): Promise<void> {
    const result = await this.run(() => this.api!.call<{ retried: boolean }>('POST', `apps/${this.app!.id}/deliveries/${delivery.id}/retry`));
    if (result) {
      await this.refresh();
      this.status = { kind: 'ok', text: `Delivery ${delivery.id} will be tried again now.` };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-portal-deliveries': FsPortalDeliveries;
  }
}
