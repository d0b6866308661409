import * as v from 'valibot';
import { HANDLE_PATTERN } from './blob.ts';

/*
 * Handle tokens: the proof, beyond the link and the public app key, that lets the browser which made a
 * handle write or remove it (v2 code does `store` then `remove`, or `pick` then `write`, on one page
 * without signing in again). The companion makes one random token per new handle and returns it once,
 * in the JSON answer of the call that made the handle (store, store-url, store-handle, convert, pick,
 * export) as `handleTokens: { [handle]: token }`, beside the Blob records and never inside them: a Blob
 * and its link are shared, the token is not. The companion keeps only its SHA-256.
 *
 * The browser sends it back in this header on `POST /api/write/:handle`, `POST /api/write-url/:handle`
 * and `DELETE /api/file/:handle`. The other proofs those calls accept: `Authorization: Bearer <session>`
 * of the person whose grant a picked handle uses, or a signed policy whose `call` rule names the call
 * (and whose `handle` rule, if any, names the handle).
 */
export const HANDLE_TOKEN_HEADER = 'X-FS-Handle-Token';

/** The field of an answer that made handles: each new handle's token, by handle. */
export const HANDLE_TOKENS_FIELD = 'handleTokens';

/** Each new handle's token, by handle. */
export type HandleTokens = Record<string, string>;

/** An answer that made handles carries their tokens (absent from older companions). */
export interface WithHandleTokens {
  handleTokens?: HandleTokens;
}

export const HandleTokensSchema = v.record(v.pipe(v.string(), v.regex(HANDLE_PATTERN)), v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,128}$/)));
