import * as v from 'valibot';
import { BlobSchema, type FsBlob } from '../protocol/blob.ts';
import { STORE_ROUTE, type StoreResponse } from '../protocol/store.ts';
import type { CompanionClient } from './client.ts';

export const StoreResponseSchema = v.object({ blob: BlobSchema }) satisfies v.GenericSchema<unknown, StoreResponse>;

export interface StoreFileCall {
  /** The name to store it under; the file's own name by default. */
  filename?: string | undefined;
  /** Its MIME type; the file's own type (when the browser knows one) by default. */
  mimetype?: string | undefined;
  /** Refuse (413) a file larger than this many bytes, while streaming; 0 or undefined = no limit. */
  maxSize?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Called as bytes go out: (sent, total). */
  onProgress?: ((sent: number, total: number) => void) | undefined;
}

/**
 * `POST /api/store` with the file's bytes as the raw body (not multipart), reporting upload progress;
 * resolves with the stored file's Blob (client "Computer", source COMPUTER).
 */
export async function storeFile(client: CompanionClient, file: Blob & { name?: string }, call: StoreFileCall = {}): Promise<FsBlob> {
  const filename = call.filename ?? (file.name || undefined);
  const mimetype = call.mimetype ?? (concrete(file.type) ? file.type.split(';')[0]!.trim().toLowerCase() : undefined);
  const query = { filename, mimetype, maxSize: call.maxSize ? call.maxSize : undefined };
  const { blob } = await client.upload(STORE_ROUTE, file, StoreResponseSchema, { query, signal: call.signal, onProgress: call.onProgress });
  return blob;
}

/** Whether a browser-given type is worth sending (browsers give "" for unknown ones). */
function concrete(type: string): boolean {
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(?:\s*;.*)?$/i.test(type) && !/^multipart\//i.test(type);
}
