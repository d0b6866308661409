import { html, LitElement } from 'lit';

/** My Computer uploads (placeholder). */
export class FsUpload extends LitElement {
  protected override render() {
    return html``;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-upload': FsUpload;
  }
}
