import type { FsBlob } from '../../protocol/blob.ts';
import { WRITE_ROUTE, WRITE_URL_ROUTE, WriteResponseSchema, type WriteUrlOptions } from '../../protocol/write.ts';
import type { CompanionClient } from './client.ts';
import type { FileCall } from './file.ts';
import { handleTokenHeaders } from './handle-tokens.ts';
import { securityQuery } from './security.ts';

export interface WriteFileCall extends FileCall {
  /** The new content's MIME type; by default the companion keeps the file's type. */
  mimetype?: string | undefined;
  /** Called as bytes go out: (sent, total). */
  onProgress?: ((sent: number, total: number) => void) | undefined;
}

/**
 * `POST /api/write/:handle` with the new bytes as the raw body: a file picked from Alfresco gets a new
 * version of its node, a stored file has its copy replaced; the handle and url stay. Sends this page's
 * handle token for it, when the page made the handle (handle-tokens.ts); else the call's policy must allow it.
 */
export async function writeFile(client: CompanionClient, handle: string, body: Blob, call: WriteFileCall = {}): Promise<FsBlob> {
  const query = { ...securityQuery(call.security), mimetype: call.mimetype };
  const { blob } = await client.upload(`${WRITE_ROUTE}${handle}`, body, WriteResponseSchema, { query, headers: handleTokenHeaders(client, handle), signal: call.signal, onProgress: call.onProgress });
  return blob;
}

/**
 * `POST /api/write-url/:handle`: the companion fetches `url` (public http(s) addresses only, unless the
 * app allows private ones) and writes it into the file as `writeFile` does.
 */
export async function writeFileFromUrl(client: CompanionClient, handle: string, url: string, options: WriteUrlOptions | undefined, call: FileCall = {}): Promise<FsBlob> {
  const json = { url, ...(options === undefined ? {} : { options }) };
  const { blob } = await client.request(`${WRITE_URL_ROUTE}${handle}`, WriteResponseSchema, { method: 'POST', json, headers: handleTokenHeaders(client, handle), signal: call.signal, query: securityQuery(call.security) });
  return blob;
}
