import * as v from 'valibot';
import type { FsBlob } from './blob.ts';
import { ACCEPT_ITEM, itemIdSchema } from './browse.ts';
import type { WithHandleTokens } from './handle-token.ts';

/** `POST /api/pick` */
export const DEFAULT_MAX_FILES = 1000;
export const MAX_MAX_FILES = 10_000;

export const PickRequestSchema = v.strictObject({
  itemIds: v.pipe(
    v.array(itemIdSchema('must be item ids'), 'must be a list of item ids'),
    v.minLength(1, 'must name at least one item'),
    v.maxLength(MAX_MAX_FILES, `must name at most ${MAX_MAX_FILES} items`),
  ),
  maxFiles: v.optional(
    v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(MAX_MAX_FILES, `must be at most ${MAX_MAX_FILES}`)),
    DEFAULT_MAX_FILES,
  ),
  accept: v.optional(
    v.array(v.pipe(v.string(), v.regex(ACCEPT_ITEM, 'must be MIME types (image/*, application/pdf) or extensions (.pdf)')), 'must be a list of MIME types and extensions'),
    [],
  ),
});

/** `handleTokens`: each new handle's token (src/protocol/handle-token.ts), for this browser only. */
export interface PickResponse extends WithHandleTokens {
  blobs: FsBlob[];
  /** True when folders held more matching files than `maxFiles`; `blobs` then has exactly `maxFiles`. */
  truncated: boolean;
}

/**
 * With `Accept: application/x-ndjson` the companion streams one JSON object per line while it expands
 * folders: `progress` lines, then exactly one `done` (or `error`) line.
 */
export type PickStreamLine =
  | { type: 'progress'; found: number; scanned: number }
  | ({ type: 'done' } & PickResponse)
  | { type: 'error'; error: { code: string; message: string; field?: string } };

export const NDJSON = 'application/x-ndjson';
