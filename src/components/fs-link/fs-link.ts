import { html, LitElement } from 'lit';

/** Import from a link (placeholder). */
export class FsLink extends LitElement {
  protected override render() {
    return html``;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-link': FsLink;
  }
}
