import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallResult, PickerCall, SaveInput } from '../core/call-options.ts';
import type { ConfigOverrides } from '../core/picker-config.ts';
import type { PickerState } from '../core/picker-state.ts';
import type { Store } from '../core/store.ts';
import { FsError } from '../protocol/errors.ts';

/** What a running call needs from the picker. */
export interface CallPicker {
  /** Opens the picker; settles once it shows. */
  open(): Promise<void>;
  /** Closes the picker at once: a view finished the call. */
  close(): void;
  /** The call's overrides changed (it started or ended): merge the configuration again now. */
  configure(): void;
}

interface Pending {
  kind: PickerCall['kind'];
  resolve: (value: never) => void;
  reject: (error: FsError) => void;
}

const verbOf = (kind: PickerCall['kind']): string => (kind === 'pick' ? 'pick' : 'save');

const closedError = (kind: PickerCall['kind']): FsError => new FsError(kind === 'pick' ? 'FS_ERR_PICKER_CLOSED' : 'FS_ERR_EXPORT_CLOSED');

/**
 * The one pick or save the picker runs at a time, as a promise: `run(call)` opens the picker with the
 * call's overrides; `finish(kind, value)` (a view picked or saved) resolves it and closes the picker;
 * `end()` (the picker closed) rejects a call still waiting with FS_ERR_PICKER_CLOSED (v2 code 101) or
 * FS_ERR_EXPORT_CLOSED (131), and the attributes alone apply again.
 */
export class PickerCallController implements ReactiveController {
  #call: PickerCall | undefined;
  #pending: Pending | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly store: Store<PickerState>,
    private readonly picker: CallPicker,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** What the running call sets over the attributes (nothing when none runs). */
  get overrides(): ConfigOverrides {
    return this.#call?.overrides ?? {};
  }

  /** What the running save saves. */
  get input(): SaveInput | undefined {
    return this.#call?.kind === 'export' ? this.#call.input : undefined;
  }

  async run<C extends PickerCall>(call: C): Promise<CallResult<C>> {
    if (this.#pending) throw new FsError('FS_ERR_INVALID_REQUEST', `${verbOf(call.kind)}: the picker is already open for another ${verbOf(this.#pending.kind)}.`);
    this.#call = call;
    // Each call starts with nothing selected, nor a selection kept for a reconnect.
    this.store.setState({ selection: [], resumable: null });
    this.picker.configure();
    const settled = new Promise<CallResult<C>>((resolve, reject) => {
      this.#pending = { kind: call.kind, resolve, reject };
    });
    // The caller gets the outcome from the returned promise; it may settle while open() is still awaited.
    settled.catch(() => undefined);
    await this.picker.open();
    return settled;
  }

  /** A view finished with `value` (fs-pick's Blobs, fs-export's Blob): hand it to the waiting call, if any, and close. */
  finish(kind: PickerCall['kind'], value: unknown): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending?.kind === kind) pending.resolve(value as never);
    else pending?.reject(closedError(pending.kind));
    this.picker.close();
  }

  /** The picker closed. */
  end(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(closedError(pending.kind));
    this.#call = undefined;
    this.picker.configure();
  }
}
