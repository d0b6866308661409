import * as v from 'valibot';
import { HandleSchema, type FsBlob } from './blob.ts';
import type { StoreOptions, StoreToOptions } from './options.ts';
import type { WithHandleTokens } from './handle-token.ts';
import { HttpUrlSchema } from './urls.ts';

/*
 * The store endpoints of the companion (all under /api, all need the app key; none needs a session):
 *
 *   POST   /api/store?filename=&mimetype=&location=&path=&container=&access=&storeRegion=&base64decode=&maxSize=
 *          body: the file's bytes, raw (not multipart), streamed          → 200 StoreResponse
 *   POST   /api/store-url      body: StoreUrlRequest (JSON)                 → 200 StoreResponse
 *   POST   /api/store-handle   body: StoreHandleRequest (JSON)              → 200 StoreResponse
 *          the copy step of pickAndStore: copies a picked (or stored) file into storage
 *   DELETE /api/file/:handle                                               → 204, no body
 *          needs the handle's proof, as write does (src/protocol/handle-token.ts); else 403 FS_ERR_HANDLE_PROOF
 *
 * The store answers carry `handleTokens` beside the Blob: the new handle's token, for this page only.
 * Each also takes `policy` and `signature` query parameters (a signed security policy, see POLICY_CALLS).
 */

export const STORE_ROUTE = '/api/store';
export const STORE_URL_ROUTE = '/api/store-url';
export const STORE_HANDLE_ROUTE = '/api/store-handle';

/** The answer of every store endpoint: the new stored file. */
/** `handleTokens`: the new handle's token (src/protocol/handle-token.ts), for this browser only. */
export interface StoreResponse extends WithHandleTokens {
  blob: FsBlob;
}

/** Query parameters of `POST /api/store` that are not store options. */
export const STORE_QUERY_EXTRAS = ['key', 'policy', 'signature', 'maxSize'] as const;

// `options` are checked on their own (parseOptions), for messages that name the option and the verb.
export const StoreUrlRequestSchema = v.strictObject({
  /** An absolute http(s) URL. */
  url: HttpUrlSchema,
  options: v.optional(v.unknown()),
});

/** `POST /api/store-url`: fetch `url` on the companion and store what it answers. */
export type StoreUrlRequest = Omit<v.InferInput<typeof StoreUrlRequestSchema>, 'options'> & { options?: StoreOptions };

export const StoreHandleRequestSchema = v.strictObject({
  handle: HandleSchema,
  options: v.optional(v.unknown()),
});

/** `POST /api/store-handle`: copy the file behind `handle` (a picked link or a stored file) into storage, with pickAndStore's store options. */
export type StoreHandleRequest = Omit<v.InferInput<typeof StoreHandleRequestSchema>, 'options'> & { options?: StoreToOptions };

/**
 * The `call` names of a security policy (filestack-js `security.schema.ts`). The companion checks:
 * `store` for /api/store, /api/store-url and /api/store-handle; `remove` for DELETE /api/file/:handle.
 */
export const POLICY_CALLS = ['pick', 'read', 'stat', 'write', 'writeUrl', 'store', 'convert', 'remove', 'exif', 'runWorkflow'] as const;
export type PolicyCall = (typeof POLICY_CALLS)[number];

const Pattern = v.pipe(v.string('must be a regular expression (a string)'), v.maxLength(1000, 'must be at most 1000 characters'));
const Bytes = v.pipe(v.number('must be a number of bytes'), v.integer('must be a whole number of bytes'), v.minValue(0, 'must not be negative'));

/** A security policy before base64: what an app's server signs (notes §c.3). */
export const SecurityPolicySchema = v.strictObject({
  /** Unix seconds after which the policy is refused. */
  expiry: v.pipe(v.number('must be a unix time in seconds'), v.finite('must be a unix time in seconds')),
  /** The calls it allows; absent = every call except `exif` (as Filestack). One call may be given alone. */
  call: v.optional(v.pipe(v.union([v.picklist(POLICY_CALLS), v.array(v.picklist(POLICY_CALLS))], `must list calls among ${POLICY_CALLS.join(', ')}`), v.transform((value) => (Array.isArray(value) ? value : [value])))),
  /** Calls that act on a file may act on this handle only. */
  handle: v.optional(v.string('must be a string')),
  /** A regular expression the whole URL of storeUrl must match. */
  url: v.optional(Pattern),
  /** The largest file (bytes) it lets be stored. */
  maxSize: v.optional(Bytes),
  /** The smallest file (bytes) it lets be stored. */
  minSize: v.optional(Bytes),
  /** A regular expression the whole storage path must match ("" when none is given). */
  path: v.optional(Pattern),
  /** A regular expression the whole container (bucket or folder) name must match. */
  container: v.optional(Pattern),
});

/** A policy as an app's server writes it. */
export type SecurityPolicy = v.InferInput<typeof SecurityPolicySchema>;
/** A policy as the companion has checked it: `call` always a list. */
export type ParsedSecurityPolicy = v.InferOutput<typeof SecurityPolicySchema>;
