import * as v from 'valibot';
import { toHandle, type FsBlob } from '../protocol/blob.ts';
import { BooleanSchema, compact } from '../protocol/option-values.ts';
import { notBoth, optionRules } from '../protocol/option-rules.ts';
import { parseOptions } from '../protocol/validate.ts';
import { progressOf, throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './transport/client.ts';
import { downloadFile } from './transport/file.ts';

/** Options of `read` (v2's `base64encode`, `asText`, `cache`, plus `asBlob`). */
export interface ReadOptions {
  /** Answer the content as base64 text (for binary files). */
  base64encode?: boolean;
  /** Answer the content as text, decoded as UTF-8 (the default). */
  asText?: boolean;
  /** Answer the content as a browser Blob. Not with `base64encode` or `asText`. */
  asBlob?: boolean;
  /** Let the browser answer from its HTTP cache (v2's `cache`); by default (false) the content is fetched fresh. */
  cache?: boolean;
}

const ReadObject = v.strictObject({
  base64encode: v.optional(BooleanSchema),
  asText: v.optional(BooleanSchema),
  asBlob: v.optional(BooleanSchema),
  cache: v.optional(BooleanSchema),
});

export const ReadOptionsSchema = v.pipe(
  ReadObject,
  optionRules<v.InferOutput<typeof ReadObject>>(notBoth(['base64encode', 'asText'], ['asBlob'])),
  v.transform((options): ReadOptions => compact(options)),
);

/**
 * The content of a file (a Blob record, its companion URL or a handle), read through its distributable
 * link: text by default, base64 with `base64encode`, a browser Blob with `asBlob`. Reports download
 * progress in bytes (total 0 when the companion does not know the size up front).
 */
export async function read(client: CompanionClient, input: FsBlob | string, options?: ReadOptions, call: VerbCall = {}): Promise<string | Blob> {
  const parsed = parseOptions('read', ReadOptionsSchema, options);
  const handle = toHandle(input, 'read');
  throwIfAborted(call.signal);
  const blob = await downloadFile(client, handle, { cache: parsed.cache, security: call.security, signal: call.signal, onProgress: progressOf(call) });
  if (parsed.asBlob) return blob;
  if (parsed.base64encode) return base64Of(new Uint8Array(await blob.arrayBuffer()));
  return blob.text();
}

/** Bytes as standard base64. */
export function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}
