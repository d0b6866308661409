import * as v from 'valibot';
import { BlobSchema, type FsBlob } from './blob.ts';
import { BooleanSchema, ConcreteMimetypeSchema, compact } from './option-values.ts';
import { HttpUrlSchema } from './urls.ts';

/*
 * Write-back: new content for a file the companion already has a handle for (filepicker v2's `write`
 * and `writeUrl`). Both are behind the app key, and the key and the link are not enough: each needs the
 * handle token of the page that made the handle (`X-FS-Handle-Token`, src/protocol/handle-token.ts), the
 * session of the person who picked it, or a policy whose `call` names the call; else 403
 * FS_ERR_HANDLE_PROOF. An Alfresco file is written as the person who picked it (Alfresco's permissions decide).
 *
 *   POST /api/write/:handle?mimetype=
 *        body: the new content's bytes, raw (not multipart), streamed              → 200 WriteResponse
 *   POST /api/write-url/:handle   body: WriteUrlRequest (JSON)                   → 200 WriteResponse
 *        the companion fetches the URL (SSRF-safe, as storeUrl) and writes what it answers
 *
 * For a file picked from Alfresco the content becomes a new (minor) version of that node
 * (`PUT nodes/{id}/content`): its name and history stay, the version label goes up. For a stored file
 * (store, storeUrl, pickAndStore, convert) the stored object is replaced atomically: a reader gets the old
 * bytes or the new ones, never a mix, and a failed write leaves the old content in place.
 * The handle, and so the Blob's `url`, stays the same; the answer is the Blob with its new size and type.
 *
 * Each checks the `policy`/`signature` query parameters with call "write" (or "writeUrl") and the
 * policy's handle rule (and url rule for writeUrl). Errors: 404 FS_ERR_NOT_FOUND for an unknown handle
 * (or one of another app), 403 FS_ERR_FORBIDDEN when Alfresco refuses, 400 naming a bad option.
 */

export const WRITE_ROUTE = '/api/write/';
export const WRITE_URL_ROUTE = '/api/write-url/';

export const WriteOptionsSchema = v.pipe(
  v.strictObject({
    /** The new content's MIME type; by default the body's Content-Type, else the file's current type. */
    mimetype: v.optional(ConcreteMimetypeSchema),
    /** Whether string data is base64 to decode before writing (the browser decodes it before sending). */
    base64decode: v.optional(BooleanSchema),
  }),
  v.transform((options) => compact(options)),
);

/** Options of `write(blob, data, options)` (v2's names). */
export type WriteOptions = v.InferInput<typeof WriteOptionsSchema>;

export const WriteUrlOptionsSchema = v.pipe(
  v.strictObject({
    /** The new content's MIME type; by default the URL's Content-Type, else the file's current type. */
    mimetype: v.optional(ConcreteMimetypeSchema),
  }),
  v.transform((options) => compact(options)),
);

/** Options of `writeUrl(blob, url, options)`. */
export type WriteUrlOptions = v.InferInput<typeof WriteUrlOptionsSchema>;

export const WriteUrlRequestSchema = v.strictObject({
  /** An absolute http(s) URL. */
  url: HttpUrlSchema,
  // Checked on their own (parseOptions), for messages that name the option.
  options: v.optional(v.unknown()),
});

/** `POST /api/write-url/:handle`: fetch `url` on the companion and write what it answers into the file. */
export type WriteUrlRequest = Omit<v.InferInput<typeof WriteUrlRequestSchema>, 'options'> & { options?: WriteUrlOptions };

/** The answer of both: the same file (same handle and url) with its new size and type. */
export interface WriteResponse {
  blob: FsBlob;
}

export const WriteResponseSchema = v.object({ blob: BlobSchema }) satisfies v.GenericSchema<unknown, WriteResponse>;
