import type { FsBlob } from '../protocol/blob.ts';
import { FsError } from '../protocol/errors.ts';
import { StoreOptionsSchema, type StoreOptions } from '../protocol/options.ts';
import { parseOptions } from '../protocol/validate.ts';
import { progressOf, throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './transport/client.ts';
import { storeContent } from './transport/store.ts';

/** What `store` takes: text (or base64 with `base64decode`), bytes, a Blob/File, or a file input. */
export type StoreData = string | Blob | ArrayBuffer | ArrayBufferView | HTMLInputElement;

/**
 * v2's `store(input, options)`: sends the content to the companion (raw body, upload progress) which
 * keeps it in the storage the options name (`location`, `path`, `container`, `access`, `storeRegion`);
 * resolves with the stored file's Blob. Options are checked first: an unknown or wrong one is an FsError
 * naming it.
 */
export async function store(client: CompanionClient, data: StoreData, options?: StoreOptions, call: VerbCall = {}): Promise<FsBlob> {
  const parsed = parseOptions('store', StoreOptionsSchema, options);
  const body = bodyOf(data);
  const filename = parsed.filename ?? ((body as Partial<File>).name || undefined);
  const mimetype = parsed.mimetype ?? (body.type && !parsed.base64decode ? body.type.split(';')[0]!.trim().toLowerCase() : undefined);
  throwIfAborted(call.signal);
  const query = { ...parsed, filename, mimetype, base64decode: parsed.base64decode ? true : undefined };
  return storeContent(client, body, { query, security: call.security, signal: call.signal, onProgress: progressOf(call) });
}

function bodyOf(data: StoreData): Blob {
  if (typeof data === 'string') return new Blob([data], { type: 'text/plain' });
  if (data instanceof Blob) return data;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return new Blob([data as BlobPart]);
  if (typeof HTMLInputElement !== 'undefined' && data instanceof HTMLInputElement) {
    const file = data.files?.[0];
    if (file) return file;
    throw new FsError('FS_ERR_INVALID_OPTION', 'store: the file input has no file chosen', { field: 'input' });
  }
  throw new FsError('FS_ERR_INVALID_OPTION', 'store: the input must be a string, a Blob or File, bytes, or a file input', { field: 'input' });
}
