import type { FsBlob } from '../protocol/blob.ts';
import { PickOptionsSchema, StoreToOptionsSchema, type PickOptions, type StoreToOptions } from '../protocol/options.ts';
import { STORE_HANDLE_ROUTE } from '../protocol/store.ts';
import { parseOptions } from '../protocol/validate.ts';
import { securityQuery, throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './client.ts';
import { pickInDialog } from './picker-dialog.ts';
import { StoreResponseSchema } from './store.ts';

/**
 * `POST /api/store-handle`: copies the file behind `handle` (a picked link or a stored file) into storage
 * under `options` (location, path, container/storeContainer, access, storeRegion); the original stays.
 */
export async function storeHandle(client: CompanionClient, handle: string, options?: StoreToOptions, call: VerbCall = {}): Promise<FsBlob> {
  throwIfAborted(call.signal);
  const json = { handle, ...(options == null ? {} : { options }) };
  const { blob } = await client.request(STORE_HANDLE_ROUTE, StoreResponseSchema, { method: 'POST', json, signal: call.signal, query: securityQuery(call.security) });
  return blob;
}

/**
 * v2's `pickAndStore(pickOptions, storeOptions)`: a pick, then a stored copy of each picked file; resolves
 * with the stored Blobs (`key`, `container`, `path`), in the order picked. Both option objects are checked
 * before the picker opens. Progress counts the copies made (files, not bytes).
 */
export async function pickAndStore(client: CompanionClient, pickOptions?: PickOptions, storeOptions?: StoreToOptions, call: VerbCall = {}): Promise<FsBlob[]> {
  parseOptions('pickAndStore', PickOptionsSchema, pickOptions);
  parseOptions('pickAndStore', StoreToOptionsSchema, storeOptions);
  const picked = await pickInDialog(client, { ...pickOptions }, { ...call, onProgress: undefined });
  const stored: FsBlob[] = [];
  call.onProgress?.({ loaded: 0, total: picked.length });
  for (const [index, blob] of picked.entries()) {
    const copy = await storeHandle(client, blob.handle, storeOptions, call);
    stored.push({ ...copy, id: index });
    call.onProgress?.({ loaded: stored.length, total: picked.length });
  }
  return stored;
}
