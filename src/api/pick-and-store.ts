import { parsePickOptions } from '../core/call-options.ts';
import type { FsBlob } from '../protocol/blob.ts';
import { StoreToOptionsSchema, type PickOptions, type StoreToOptions } from '../protocol/options.ts';
import { parseOptions } from '../protocol/validate.ts';
import { throwIfAborted, type VerbCall } from './call.ts';
import { pickInDialog } from './picker-dialog.ts';
import type { CompanionClient } from './transport/client.ts';
import { storeHandle } from './transport/store-handle.ts';

/**
 * v2's `pickAndStore(pickOptions, storeOptions)`: a pick, then a stored copy of each picked file; resolves
 * with the stored Blobs (`key`, `container`, `path`), in the order picked. Both option objects are checked
 * before the picker opens. Progress counts the copies made (files, not bytes).
 */
export async function pickAndStore(client: CompanionClient, pickOptions?: PickOptions, storeOptions?: StoreToOptions, call: VerbCall = {}): Promise<FsBlob[]> {
  const parsed = parsePickOptions('pickAndStore', pickOptions);
  // The companion reads the store options itself; they are checked here so a bad one fails before the pick.
  parseOptions('pickAndStore', StoreToOptionsSchema, storeOptions);
  const picked = await pickInDialog(client, parsed, { ...call, onProgress: undefined });
  const stored: FsBlob[] = [];
  call.onProgress?.({ loaded: 0, total: picked.length });
  for (const [index, blob] of picked.entries()) {
    throwIfAborted(call.signal);
    const copy = await storeHandle(client, blob.handle, storeOptions, call);
    stored.push({ ...copy, id: index });
    call.onProgress?.({ loaded: stored.length, total: picked.length });
  }
  return stored;
}
