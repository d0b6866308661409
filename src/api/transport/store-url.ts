import type { FsBlob } from '../../protocol/blob.ts';
import type { StoreOptions } from '../../protocol/options.ts';
import { STORE_URL_ROUTE } from '../../protocol/store.ts';
import type { CompanionClient } from './client.ts';
import { rememberHandleTokens } from './handle-tokens.ts';
import { securityQuery, type Security } from './security.ts';
import { StoreResponseSchema } from './store.ts';

export interface StoreUrlCall {
  /** Sent as given: the companion checks them (the storeUrl verb checks them first, to fail early). */
  options?: StoreOptions | undefined;
  security?: Security | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * `POST /api/store-url`: the companion fetches `url` (public http(s) addresses only, unless the app
 * allows private ones) and stores it; resolves with the stored file's Blob (source URL).
 */
export async function storeUrl(client: CompanionClient, url: string, call: StoreUrlCall = {}): Promise<FsBlob> {
  const json = { url, ...(call.options === undefined ? {} : { options: call.options }) };
  const { blob, handleTokens } = await client.request(STORE_URL_ROUTE, StoreResponseSchema, { method: 'POST', json, signal: call.signal, query: securityQuery(call.security) });
  rememberHandleTokens(client, handleTokens);
  return blob;
}
