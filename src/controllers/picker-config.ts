import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { configFrom, type ConfigOverrides, type PickerAttributes } from '../core/picker-config.ts';
import type { PickerState } from '../core/picker-state.ts';
import type { Store } from '../core/store.ts';

/**
 * Keeps the store's `config` merged from the picker's attributes and the running call's overrides: on every
 * host update, and at once when `apply()` is called (a call starting or ending between updates).
 */
export class PickerConfigController implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly store: Store<PickerState>,
    private readonly attributes: () => PickerAttributes,
    private readonly overrides: () => ConfigOverrides,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    this.apply();
  }

  apply(): void {
    const config = configFrom(this.attributes(), this.overrides());
    // Views re-render on a new config object: only set one that differs.
    if (JSON.stringify(config) !== JSON.stringify(this.store.getState().config)) this.store.setState({ config });
  }
}
