import type { FsBlob } from '../../protocol/blob.ts';
import type { StoreToOptions } from '../../protocol/options.ts';
import { STORE_HANDLE_ROUTE } from '../../protocol/store.ts';
import type { CompanionClient } from './client.ts';
import { rememberHandleTokens } from './handle-tokens.ts';
import { securityQuery, type Security } from './security.ts';
import { StoreResponseSchema } from './store.ts';

export interface StoreHandleCall {
  security?: Security | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * `POST /api/store-handle`: copies the file behind `handle` (a picked link or a stored file) into storage
 * under `options` (location, path, container/storeContainer, access, storeRegion); the original stays.
 */
export async function storeHandle(client: CompanionClient, handle: string, options: StoreToOptions | undefined, call: StoreHandleCall = {}): Promise<FsBlob> {
  const json = { handle, ...(options == null ? {} : { options }) };
  const { blob, handleTokens } = await client.request(STORE_HANDLE_ROUTE, StoreResponseSchema, { method: 'POST', json, signal: call.signal, query: securityQuery(call.security) });
  rememberHandleTokens(client, handleTokens);
  return blob;
}
