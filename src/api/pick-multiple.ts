import { parsePickOptions } from '../core/call-options.ts';
import type { FsBlob } from '../protocol/blob.ts';
import type { PickOptions } from '../protocol/options.ts';
import type { VerbCall } from './call.ts';
import { pickInDialog } from './picker-dialog.ts';
import type { CompanionClient } from './transport/client.ts';

/**
 * v2's `pickMultiple(options)`: opens `<fs-picker>` for several files (within `maxFiles`/`minFiles`) and
 * resolves with their Blob records, `id` 0, 1, … in the order chosen.
 */
export async function pickMultiple(client: CompanionClient, options?: PickOptions, call: VerbCall = {}): Promise<FsBlob[]> {
  const parsed = parsePickOptions('pickMultiple', options);
  return pickInDialog(client, { ...parsed, multiple: true }, call);
}
