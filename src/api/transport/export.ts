import type { SaveInput } from '../../core/call-options.ts';
import { FILE_ROUTE, toHandle, type FsBlob } from '../../protocol/blob.ts';
import { FsError } from '../../protocol/errors.ts';
import { EXPORT_ROUTE, ExportResponseSchema, type ConflictMode } from '../../protocol/export.ts';
import { isHttpUrl } from '../../protocol/urls.ts';
import type { CompanionClient } from './client.ts';
import { rememberHandleTokens } from './handle-tokens.ts';

export interface ExportCall {
  /** The signed-in person's companion session; the file is written as them. */
  session: string;
  /** The destination folder's node id. */
  folderId: string;
  filename: string;
  /** When the name is taken: `fail` (default, FS_ERR_CONFLICT), `rename` (keep both) or `replace` (new version). */
  conflict?: ConflictMode | undefined;
  /** The new file's type; by default the Blob's own, the fetched URL's or the handle's. */
  mimetype?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Upload progress (sent, total); called only for browser Blobs, whose bytes go out from the page. */
  onProgress?: ((sent: number, total: number) => void) | undefined;
}

/**
 * Saves `input` into a folder of the session's repository through the companion (`POST /api/export`) and resolves with the
 * new file's Blob. A browser Blob goes as the raw body (with progress); a Blob record or companion link goes
 * by handle; another URL is fetched by the companion. Errors are FsErrors (FS_ERR_CONFLICT for a taken name).
 */
export async function saveToRepository(client: CompanionClient, input: SaveInput, call: ExportCall): Promise<FsBlob> {
  const { session, folderId, filename, conflict = 'fail', mimetype, signal, onProgress } = call;
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const type = mimetype ?? (input.type ? input.type.split(';')[0]!.trim().toLowerCase() : undefined);
    const query = { folderId, filename, conflict, mimetype: type };
    const { blob, handleTokens } = await client.upload(EXPORT_ROUTE, input, ExportResponseSchema, { session, query, signal, onProgress });
    rememberHandleTokens(client, handleTokens);
    return blob;
  }
  const json = { folderId, filename, conflict, ...(mimetype ? { mimetype } : {}), source: sourceOf(client, input as FsBlob | string) };
  const { blob, handleTokens } = await client.request(EXPORT_ROUTE, ExportResponseSchema, { method: 'POST', session, json, signal });
  rememberHandleTokens(client, handleTokens);
  return blob;
}

function sourceOf(client: CompanionClient, input: FsBlob | string): { handle: string } | { url: string } {
  if (typeof input !== 'string') return { handle: toHandle(input, 'save') };
  const text = input.trim();
  if (text.startsWith(`${client.server}${FILE_ROUTE}`) || !/^[a-z][a-z0-9+.-]*:/i.test(text)) return { handle: toHandle(text, 'save') };
  if (!isHttpUrl(text)) throw new FsError('FS_ERR_INVALID_OPTION', 'save: a URL to save must be http or https', { field: 'input' });
  return { url: text };
}
