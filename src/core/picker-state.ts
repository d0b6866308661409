import type { ServiceId } from '../protocol/services.ts';

/** Everything one picker knows; views read it from the store and change it through the functions below. */
export interface PickerState {
  open: boolean;
  /** The source the person is looking at, or null before they choose one. */
  currentService: ServiceId | null;
}

export function initialPickerState(): PickerState {
  return { open: false, currentService: null };
}

export function chooseService(_state: PickerState, service: ServiceId): Partial<PickerState> {
  return { currentService: service };
}
