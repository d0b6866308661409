import { html, LitElement } from 'lit';

/** Export destination form (placeholder). */
export class FsSaveForm extends LitElement {
  protected override render() {
    return html``;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-save-form': FsSaveForm;
  }
}
