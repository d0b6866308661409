import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Remembers what had focus when the picker opened and gives focus back when it closes, even when the
 * opener lives in another shadow root. The native dialog does this too, but not for inline pickers or
 * when the opener was inside a shadow root that the dialog's own bookkeeping cannot see.
 */
export class FocusReturnController implements ReactiveController {
  #opener: HTMLElement | null = null;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  remember(): void {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    this.#opener = active instanceof HTMLElement ? active : null;
  }

  restore(): void {
    const opener = this.#opener;
    this.#opener = null;
    if (opener?.isConnected) opener.focus();
  }
}
