import { parseExportOptions, type SaveInput } from '../core/call-options.ts';
import type { FsBlob } from '../protocol/blob.ts';
import { FsError } from '../protocol/errors.ts';
import type { ExportFileOptions } from '../protocol/options.ts';
import { isHttpUrl } from '../protocol/urls.ts';
import { describeValue } from '../protocol/validate.ts';
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
  checkInput(input);
  const parsed = parseExportOptions('exportFile', options);
  return saveInDialog(client, typeof input === 'string' ? input.trim() : input, parsed, call);
}

function checkInput(input: unknown): void {
  const fail = (message: string) => new FsError('FS_ERR_INVALID_OPTION', `exportFile: ${message}`, { field: 'input' });
  if (typeof input === 'string') {
    const text = input.trim();
    if (text === '') throw fail('give the file to save: a Blob, a companion file URL or an http(s) URL (got an empty string)');
    if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !isHttpUrl(text)) throw fail(`a URL to save must be http or https, got ${describeValue(input)}`);
    return;
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) return;
  if (typeof input === 'object' && input !== null && (typeof (input as FsBlob).url === 'string' || typeof (input as FsBlob).handle === 'string')) return;
  throw fail(`give the file to save: a Blob, a companion file URL or an http(s) URL (got ${describeValue(input)})`);
}
