import { parsePickOptions } from '../core/call-options.ts';
import type { FsBlob } from '../protocol/blob.ts';
import type { PickOptions } from '../protocol/options.ts';
import type { VerbCall } from './call.ts';
import { pickInDialog } from './picker-dialog.ts';
import type { CompanionClient } from './transport/client.ts';

/**
 * v2's `pick(options)`: opens `<fs-picker>` for one file and resolves with its Blob record. The options
 * are checked before anything opens (FS_ERR_INVALID_OPTION naming the option); closing the picker
 * rejects with FS_ERR_PICKER_CLOSED (v2 code 101). Progress: bytes of a local file going up.
 */
export async function pick(client: CompanionClient, options?: PickOptions, call: VerbCall = {}): Promise<FsBlob> {
  const parsed = parsePickOptions('pick', options);
  const [blob] = await pickInDialog(client, { ...parsed, multiple: false }, call);
  return blob!;
}
