import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';

/**
 * A polite live region for one view: call `announce(text)` and render `region()` once in the template.
 * The region is always in the DOM (screen readers ignore regions that appear with their text already in),
 * and the same text announced twice is announced twice.
 */
export class Announcer implements ReactiveController {
  #text = '';
  #nonce = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  announce(text: string): void {
    // A trailing no-break space toggles so repeating a message still changes the region's content.
    this.#nonce = !this.#nonce;
    this.#text = this.#nonce ? text : `${text}\u00a0`;
    this.host.requestUpdate();
  }

  region() {
    return html`<div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.#text}</div>`;
  }
}
