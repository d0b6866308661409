import * as v from 'valibot';
import { toHandle, type FsBlob } from '../protocol/blob.ts';
import { BooleanSchema, compact } from '../protocol/option-values.ts';
import { parseOptions } from '../protocol/validate.ts';
import { throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './transport/client.ts';
import { fileMetadata, type FileMetadata } from './transport/file.ts';

/** What `stat` can tell about a file. */
export type StatResult = FileMetadata;

export type StatField = Exclude<keyof StatResult, 'source' | 'client' | 'handle' | 'url'>;

/** v2's stat options: ask for some fields only (`{ size: true }`); none given = every field. */
export type StatOptions = Partial<Record<StatField, boolean>>;

const STAT_FIELDS = ['filename', 'mimetype', 'size', 'uploaded', 'writeable', 'path', 'key', 'container', 'location', 'width', 'height'] as const satisfies readonly StatField[];

export const StatOptionsSchema = v.pipe(
  v.strictObject(Object.fromEntries(STAT_FIELDS.map((field) => [field, v.optional(BooleanSchema)])) as Record<StatField, v.OptionalSchema<typeof BooleanSchema, undefined>>),
  v.transform((options): StatOptions => compact(options)),
);

/**
 * v2's `stat(blob, options)`: a file's metadata: name, type, size, upload time, whether it can be
 * written; an image's pixel size with `width`/`height: true`. With some fields asked for, only those come
 * back (v2); fresh from Alfresco for a picked file.
 */
export async function stat(client: CompanionClient, input: FsBlob | string, options?: StatOptions, call: VerbCall = {}): Promise<Partial<StatResult>> {
  const parsed = parseOptions('stat', StatOptionsSchema, options);
  const handle = toHandle(input, 'stat');
  throwIfAborted(call.signal);
  const result = await fileMetadata(client, handle, { width: parsed.width, height: parsed.height, security: call.security, signal: call.signal });
  const asked = STAT_FIELDS.filter((field) => parsed[field] === true);
  if (asked.length === 0) return result;
  const picked: Partial<StatResult> = Object.fromEntries(asked.filter((field) => result[field] !== undefined).map((field) => [field, result[field]]));
  return picked;
}
