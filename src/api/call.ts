import type { Query } from './client.ts';

/** A signed security policy (base64 JSON) and its hex HMAC-SHA256 signature, added to each call. */
export interface Security {
  policy: string;
  signature: string;
}

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

/** The `policy`/`signature` query parameters of `security`, if any. */
export function securityQuery(security: Security | undefined): Query {
  return security ? { policy: security.policy, signature: security.signature } : {};
}

/** Throws the signal's reason when it is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('The call was aborted.', 'AbortError');
}
