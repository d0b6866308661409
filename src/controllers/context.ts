import { createContext } from '@lit/context';
import type { CompanionClient } from '../api/transport/client.ts';
import type { PickerState } from '../core/picker-state.ts';
import type { Store } from '../core/store.ts';

/** The picker's one store, provided by `<fs-picker>` to every view inside it. */
export const storeContext = createContext<Store<PickerState>>(Symbol('fs-store'));

/** The companion client for the picker's `server` and `api-key`; undefined until both are set. */
export const clientContext = createContext<CompanionClient | undefined>(Symbol('fs-client'));
