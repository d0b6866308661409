import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CompanionClient } from '../api/transport/client.ts';
import { announceDialog } from '../api/transport/dialog.ts';
import type { PickerState } from '../core/picker-state.ts';
import type { Store } from '../core/store.ts';

/** Tells the companion each time the picker opens, so the app's webhooks get `fp.dialog`. */
export class OpeningReportController implements ReactiveController {
  #unsubscribe: (() => void) | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly store: Store<PickerState>,
    private readonly client: () => CompanionClient | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#unsubscribe ??= this.store.subscribe((state, previous) => {
      if (!state.open || previous.open) return;
      const client = this.client();
      if (client) void announceDialog(client, state.config);
    });
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
