import { html, LitElement } from 'lit';

/** Folder browser (placeholder). */
export class FsBrowser extends LitElement {
  protected override render() {
    return html``;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-browser': FsBrowser;
  }
}
