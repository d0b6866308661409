import * as v from 'valibot';
import { FILE_ROUTE, toHandle, type FsBlob } from '../protocol/blob.ts';
import { BooleanSchema, compact } from '../protocol/option-values.ts';
import { notBoth, optionRules } from '../protocol/option-rules.ts';
import { parseOptions } from '../protocol/validate.ts';
import { securityQuery, throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './client.ts';

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
  // Content can change under the same link (write): unless `cache` is set, a unique query keeps the
  // browser's HTTP cache out of it.
  const query = { ...securityQuery(call.security), ...(parsed.cache ? {} : { fresh: Date.now().toString(36) + Math.random().toString(36).slice(2, 6) }) };
  const response = await client.fetch(`${FILE_ROUTE}${handle}`, { signal: call.signal, query });
  const type = response.headers.get('Content-Type') ?? '';
  const total = Number(response.headers.get('Content-Length') ?? 0) || 0;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let loaded = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      call.onProgress?.({ loaded, total: Math.max(total, loaded) });
    }
  }
  const blob = new Blob(chunks, { type });
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
