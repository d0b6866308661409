import * as v from 'valibot';
import { BlobSchema, type FsBlob } from '../../protocol/blob.ts';
import { HandleTokensSchema } from '../../protocol/handle-token.ts';
import type { ParsedStoreOptions } from '../../protocol/options.ts';
import { STORE_ROUTE, type StoreResponse } from '../../protocol/store.ts';
import type { CompanionClient } from './client.ts';
import { rememberHandleTokens } from './handle-tokens.ts';
import { securityQuery, type Security } from './security.ts';

export const StoreResponseSchema = v.object({ blob: BlobSchema, handleTokens: v.optional(HandleTokensSchema) }) satisfies v.GenericSchema<unknown, StoreResponse>;

/** The query of `POST /api/store`: the stored file's name and type, where it goes, and a size limit. */
export type StoreQuery = ParsedStoreOptions & {
  /** Refuse (413) a body larger than this many bytes, while streaming. */
  maxSize?: number | undefined;
};

export interface StoreContentCall {
  query: StoreQuery;
  security?: Security | undefined;
  signal?: AbortSignal | undefined;
  /** Called as bytes go out: (sent, total). */
  onProgress?: ((sent: number, total: number) => void) | undefined;
}

/** `POST /api/store` with `body` as the raw body (not multipart) and `query` as given; resolves with the stored file's Blob. */
export async function storeContent(client: CompanionClient, body: Blob, call: StoreContentCall): Promise<FsBlob> {
  const query = { ...securityQuery(call.security), ...call.query };
  const { blob, handleTokens } = await client.upload(STORE_ROUTE, body, StoreResponseSchema, { query, signal: call.signal, onProgress: call.onProgress });
  rememberHandleTokens(client, handleTokens);
  return blob;
}

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
 * A local file into storage (My Computer's uploads): `POST /api/store` with its bytes, its name and type
 * taken from the file unless given; resolves with the stored file's Blob (client "Computer", source COMPUTER).
 */
export async function storeFile(client: CompanionClient, file: Blob & { name?: string }, call: StoreFileCall = {}): Promise<FsBlob> {
  const filename = call.filename ?? (file.name || undefined);
  const mimetype = call.mimetype ?? (concrete(file.type) ? file.type.split(';')[0]!.trim().toLowerCase() : undefined);
  const query = { filename, mimetype, maxSize: call.maxSize ? call.maxSize : undefined };
  return storeContent(client, file, { query, signal: call.signal, onProgress: call.onProgress });
}

/** Whether a browser-given type is worth sending (browsers give "" for unknown ones). */
function concrete(type: string): boolean {
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(?:\s*;.*)?$/i.test(type) && !/^multipart\//i.test(type);
}
