import { parsePickOptions } from '../core/call-options.ts';
import type { FsBlob } from '../protocol/blob.ts';
import { isRepository, REPOSITORY_SERVICES } from '../protocol/services.ts';
import type { PickOptions } from '../protocol/options.ts';
import type { VerbCall } from './call.ts';
import { pickInDialog } from './picker-dialog.ts';
import type { CompanionClient } from './transport/client.ts';

/**
 * v2's `pickFolder(options)`: opens `<fs-picker>` with folders selectable and resolves with the Blob
 * records of the files in the chosen folders (subfolders included, filtered by the options' mimetypes or
 * extensions, at most `maxFiles`). The choice: fs-picker has no Blob for a folder itself — a folder has no
 * content to link to — so the folder's files are what a host gets, each with its `path` in the repository.
 */
export async function pickFolder(client: CompanionClient, options?: PickOptions, call: VerbCall = {}): Promise<FsBlob[]> {
  const parsed = parsePickOptions('pickFolder', options);
  // Folders are a repository's: the device and link sources have none to choose.
  const services = parsed.services?.filter(isRepository) ?? [];
  return pickInDialog(client, { ...parsed, services: services.length > 0 ? services : [...REPOSITORY_SERVICES], folders: true, multiple: true }, call);
}
