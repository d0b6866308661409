import { html, LitElement } from 'lit';

/** Selection footer (placeholder). */
export class FsSelectionBar extends LitElement {
  protected override render() {
    return html``;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-selection-bar': FsSelectionBar;
  }
}
