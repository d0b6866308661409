import * as v from 'valibot';
import { FILE_ROUTE } from '../../protocol/blob.ts';
import { compact } from '../../protocol/option-values.ts';
import type { CompanionClient } from './client.ts';
import { forgetHandleToken, handleTokenHeaders } from './handle-tokens.ts';
import { securityQuery, type Security } from './security.ts';

/*
 * A file's distributable link, `/api/file/:handle`: its content, its metadata, and removing it.
 */

export interface FileCall {
  security?: Security | undefined;
  signal?: AbortSignal | undefined;
}

export interface DownloadCall extends FileCall {
  /** Let the browser answer from its HTTP cache; by default the content is fetched fresh. */
  cache?: boolean | undefined;
  /** Called as bytes arrive: (loaded, total); total is `loaded` when the companion did not say the size up front. */
  onProgress?: ((loaded: number, total: number) => void) | undefined;
}

/** `GET /api/file/:handle`: the content, read as it streams (with progress), as a Blob of the answer's type. */
export async function downloadFile(client: CompanionClient, handle: string, call: DownloadCall = {}): Promise<Blob> {
  // Content can change under the same link (write): unless `cache` is set, a unique query keeps the
  // browser's HTTP cache out of it.
  const query = { ...securityQuery(call.security), ...(call.cache ? {} : { fresh: Date.now().toString(36) + Math.random().toString(36).slice(2, 6) }) };
  const response = await client.fetch(`${FILE_ROUTE}${handle}`, { signal: call.signal, query });
  const type = response.headers.get('Content-Type') ?? '';
  const total = Number(response.headers.get('Content-Length') ?? 0) || 0;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let loaded = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      call.onProgress?.(loaded, Math.max(total, loaded));
    }
  }
  return new Blob(chunks, { type });
}

/** What the companion tells about a file. */
export interface FileMetadata {
  filename: string;
  mimetype: string;
  /** Bytes. */
  size: number;
  /** When the companion first had the file (ms since 1970). */
  uploaded: number;
  /** Whether `write` may give it new content in its source (Alfresco: the person may update it). */
  writeable: boolean;
  /** The service it came from, e.g. 'ALFRESCO'. */
  source: string;
  /** The source's display name, e.g. "Alfresco". */
  client: string;
  handle: string;
  url: string;
  path?: string;
  key?: string;
  container?: string;
  /** 'local' or 'S3', for a stored file. */
  location?: string;
  /** Pixel width of an image, when asked for with `width: true`. */
  width?: number;
  /** Pixel height of an image, when asked for with `height: true`. */
  height?: number;
}

export const FileMetadataSchema = v.object({
  filename: v.string(),
  mimetype: v.string(),
  size: v.number(),
  uploaded: v.number(),
  writeable: v.boolean(),
  source: v.string(),
  client: v.string(),
  handle: v.string(),
  url: v.string(),
  path: v.optional(v.string()),
  key: v.optional(v.string()),
  container: v.optional(v.string()),
  location: v.optional(v.string()),
  width: v.optional(v.number()),
  height: v.optional(v.number()),
});

export interface MetadataCall extends FileCall {
  /** Also measure an image's pixel width / height. */
  width?: boolean | undefined;
  height?: boolean | undefined;
}

/** `GET /api/file/:handle/metadata`: name, type, size, upload time, writeability; fresh from Alfresco for a picked file. */
export async function fileMetadata(client: CompanionClient, handle: string, call: MetadataCall = {}): Promise<FileMetadata> {
  const query = { ...securityQuery(call.security), width: call.width || undefined, height: call.height || undefined };
  return compact<FileMetadata>(await client.request(`${FILE_ROUTE}${handle}/metadata`, FileMetadataSchema, { signal: call.signal, query }));
}

/**
 * `DELETE /api/file/:handle`: the link stops working, and a stored file's copy goes; a file in Alfresco stays
 * there. Sends this page's handle token for it, when the page made the handle (handle-tokens.ts).
 */
export async function removeFile(client: CompanionClient, handle: string, call: FileCall = {}): Promise<void> {
  await client.send(`${FILE_ROUTE}${handle}`, { method: 'DELETE', headers: handleTokenHeaders(client, handle), signal: call.signal, query: securityQuery(call.security) });
  forgetHandleToken(client, handle);
}
