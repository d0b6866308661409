import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { PickerState } from '../core/picker-state.ts';
import type { Store } from '../core/store.ts';
import { storeContext } from './context.ts';

/**
 * Gives a view the picker's store from context and re-renders it when the slice it selects changes.
 * Views read `controller.value` and write through `controller.store`.
 */
export class StoreController<T> implements ReactiveController {
  #unsubscribe: (() => void) | undefined;
  #store: Store<PickerState> | undefined;
  value: T | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly select: (state: PickerState) => T,
  ) {
    host.addController(this);
    new ContextConsumer(host, { context: storeContext, subscribe: true, callback: (store) => this.#attach(store) });
  }

  get store(): Store<PickerState> | undefined {
    return this.#store;
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#store = undefined;
  }

  #attach(store: Store<PickerState>): void {
    this.#unsubscribe?.();
    this.#store = store;
    this.value = this.select(store.getState());
    this.#unsubscribe = store.subscribe((state) => {
      const next = this.select(state);
      if (!Object.is(next, this.value)) {
        this.value = next;
        this.host.requestUpdate();
      }
    });
    this.host.requestUpdate();
  }
}
