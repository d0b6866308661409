import { html } from 'lit';
import { formValues, PortalPanel } from './panel.ts';

/**
 * @summary The portal's sign-in form (the admin password from the companion's configuration).
 * @csspart panel - The panel.
 * @csspart field - The password field.
 * @csspart status - The status line.
 * @fires fs-portal-signed-in - Signed in (detail: `{ csrf }`).
 */
export class FsPortalSignIn extends PortalPanel {
  override render() {
    return html`<section part="panel" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in</h2>
      <form @submit=${this.#submit} novalidate>
        ${this.field('password', 'Admin password', '', { type: 'password', autocomplete: 'current-password', required: true })}
        <button class="primary" type="submit" ?disabled=${this.busy}>Sign in</button>
      </form>
      ${this.statusLine()}
    </section>`;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#field-password')?.focus();
  }

  async #submit(event: Event): Promise<void> {
    const { password = '' } = formValues(event);
    const result = await this.run(() => this.api!.call<{ csrf: string }>('POST', 'session', { password }));
    if (result) this.dispatchEvent(new CustomEvent('fs-portal-signed-in', { detail: { csrf: result.csrf }, bubbles: true, composed: true }));
    else this.renderRoot.querySelector<HTMLInputElement>('#field-password')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-portal-sign-in': FsPortalSignIn;
  }
}
