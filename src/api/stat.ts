import * as v from 'valibot';
import { FILE_ROUTE, toHandle, type FsBlob } from '../protocol/blob.ts';
import { BooleanSchema, compact } from '../protocol/option-values.ts';
import { parseOptions } from '../protocol/validate.ts';
import { securityQuery, throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './client.ts';

/** What `stat` can tell about a file. */
export interface StatResult {
  filename: string;
  mimetype: string;
  /** Bytes. */
  size: number;
  /** When the companion first had the file (ms since 1970). */
  uploaded: number;
  /** Whether `write` may give it new content in its source (Alfresco: the person may update it). */
  writeable: boolean;
  /** The service it came from, e.g. 'ALFRESCO'. */
  source: string;
  /** The source's display name, e.g. "Alfresco". */
  client: string;
  handle: string;
  url: string;
  path?: string;
  key?: string;
  container?: string;
  /** 'local' or 'S3', for a stored file. */
  location?: string;
  /** Pixel width of an image, when asked for with `width: true`. */
  width?: number;
  /** Pixel height of an image, when asked for with `height: true`. */
  height?: number;
}

export type StatField = Exclude<keyof StatResult, 'source' | 'client' | 'handle' | 'url'>;

/** v2's stat options: ask for some fields only (`{ size: true }`); none given = every field. */
export type StatOptions = Partial<Record<StatField, boolean>>;

const STAT_FIELDS = ['filename', 'mimetype', 'size', 'uploaded', 'writeable', 'path', 'key', 'container', 'location', 'width', 'height'] as const satisfies readonly StatField[];

export const StatOptionsSchema = v.pipe(
  v.strictObject(Object.fromEntries(STAT_FIELDS.map((field) => [field, v.optional(BooleanSchema)])) as Record<StatField, v.OptionalSchema<typeof BooleanSchema, undefined>>),
  v.transform((options): StatOptions => compact(options)),
);

export const StatResultSchema = v.object({
  filename: v.string(),
  mimetype: v.string(),
  size: v.number(),
  uploaded: v.number(),
  writeable: v.boolean(),
  source: v.string(),
  client: v.string(),
  handle: v.string(),
  url: v.string(),
  path: v.optional(v.string()),
  key: v.optional(v.string()),
  container: v.optional(v.string()),
  location: v.optional(v.string()),
  width: v.optional(v.number()),
  height: v.optional(v.number()),
});

/**
 * A file's metadata (`GET /api/file/:handle/metadata`): name, type, size, upload time, whether it can be
 * written; an image's pixel size with `width`/`height: true`. With some fields asked for, only those come
 * back (v2); fresh from Alfresco for a picked file.
 */
export async function stat(client: CompanionClient, input: FsBlob | string, options?: StatOptions, call: VerbCall = {}): Promise<Partial<StatResult>> {
  const parsed = parseOptions('stat', StatOptionsSchema, options);
  const handle = toHandle(input, 'stat');
  throwIfAborted(call.signal);
  const query = { ...securityQuery(call.security), width: parsed.width || undefined, height: parsed.height || undefined };
  const result: StatResult = compact<StatResult>(await client.request(`${FILE_ROUTE}${handle}/metadata`, StatResultSchema, { signal: call.signal, query }));
  const asked = STAT_FIELDS.filter((field) => parsed[field] === true);
  if (asked.length === 0) return result;
  const picked: Partial<StatResult> = Object.fromEntries(asked.filter((field) => result[field] !== undefined).map((field) => [field, result[field]]));
  return picked;
}
