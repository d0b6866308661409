import { checkSaveInput, parseExportOptions, type SaveInput } from '../core/call-options.ts';
import type { FsBlob } from '../protocol/blob.ts';
import type { ExportFileOptions } from '../protocol/options.ts';
import type { VerbCall } from './call.ts';
import { saveInDialog } from './picker-dialog.ts';
import type { CompanionClient } from './transport/client.ts';

/**
 * v2's `exportFile(input, options)`: opens `<fs-picker>` in export mode; the person chooses an Alfresco
 * folder and confirms the name; the companion streams the input there. `input` is a Blob record, a
 * companion file URL, any http(s) URL (fetched by the companion), or a browser Blob/File. Resolves with
 * the new file's Blob (`client: "Alfresco"`, `isWriteable: true`); closing rejects with
 * FS_ERR_EXPORT_CLOSED (v2 code 131). An empty or missing input is refused before anything opens.
 */
export async function exportFile(client: CompanionClient, input: SaveInput, options?: ExportFileOptions, call: VerbCall = {}): Promise<FsBlob> {
  checkSaveInput('exportFile', input);
  const parsed = parseExportOptions('exportFile', options);
  return saveInDialog(client, typeof input === 'string' ? input.trim() : input, parsed, call);
}
