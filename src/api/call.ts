import type { Security } from './transport/security.ts';

export type { Security } from './transport/security.ts';

/** Progress of a call: `loaded` of `total` units (bytes for transfers, files for pickAndStore's copies). */
export interface Progress {
  loaded: number;
  total: number;
}

/** What every verb of the promise API takes besides its own arguments. */
export interface VerbCall {
  /** Cancels the call; it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called as the call progresses, where there is progress to report. */
  onProgress?: ((progress: Progress) => void) | undefined;
  /** Overrides the client's security policy for this call. */
  security?: Security | undefined;
}

/** A verb's `onProgress` as the transport's `(loaded, total)` callback, when there is one. */
export function progressOf(call: VerbCall): ((loaded: number, total: number) => void) | undefined {
  const { onProgress } = call;
  return onProgress && ((loaded, total) => onProgress({ loaded, total }));
}

/** Throws the signal's reason when it is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('The call was aborted.', 'AbortError');
}
