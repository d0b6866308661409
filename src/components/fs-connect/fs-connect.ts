import { html, LitElement } from 'lit';

/** Connect to a repository source (placeholder). */
export class FsConnect extends LitElement {
  protected override render() {
    return html``;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-connect': FsConnect;
  }
}
