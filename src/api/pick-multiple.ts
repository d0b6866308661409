import type { FsBlob } from '../protocol/blob.ts';
import { PickOptionsSchema, type PickOptions } from '../protocol/options.ts';
import { parseOptions } from '../protocol/validate.ts';
import type { VerbCall } from './call.ts';
import type { CompanionClient } from './client.ts';
import { pickInDialog } from './picker-dialog.ts';

/**
 * v2's `pickMultiple(options)`: opens `<fs-picker>` for several files (within `maxFiles`/`minFiles`) and
 * resolves with their Blob records, `id` 0, 1, … in the order chosen.
 */
export async function pickMultiple(client: CompanionClient, options?: PickOptions, call: VerbCall = {}): Promise<FsBlob[]> {
  parseOptions('pickMultiple', PickOptionsSchema, options);
  return pickInDialog(client, { ...options, multiple: true }, call);
}
