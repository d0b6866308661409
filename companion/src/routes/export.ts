import { Hono } from 'hono';
import { Readable } from 'node:stream';
import { FsError, ExportQuerySchema, ExportRequestSchema, type ExportResponse } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import { exportFile, type ExportSource, type ExportTarget } from '../export/export.ts';
import { linkOf } from '../files/link.ts';
import { concreteType, contentLength, readJson, readQuery } from '../requests/index.ts';
import { requireSession, type SessionEnv } from '../security/session.ts';
import type { SafeFetchOptions } from '../outbound/index.ts';
import { openStored } from '../storage/index.ts';
import { fetchUrlContent } from '../files/url-content.ts';

/** What tests (and an embedding server) may change; production uses the defaults. */
export interface ExportRouteOptions {
  /** The URL source's fetch: `resolve`/`isAllowed` replace DNS and the address check, e.g. in tests. */
  fetch?: Pick<SafeFetchOptions, 'resolve' | 'isAllowed' | 'timeoutMs' | 'maxRedirects'>;
}

// A URL source may take this long to send everything (the SSRF-safe fetch's limit covers the body too).
const URL_TIMEOUT_MS = 60 * 60 * 1000;

/**
 * Export: saving a file INTO Alfresco, mounted at /api/export behind the app key and a session (the file
 * is written as the signed-in person, with their grant, so Alfresco's own permissions decide).
 *
 *   POST /api/export?folderId=&filename=&conflict=&mimetype=   raw body = the file      → { blob }
 *   POST /api/export   {"folderId","filename","conflict"?,"mimetype"?,"source":{"handle"}|{"url"}} → { blob }
 *
 * The choice: one path, and the query decides the form. With `folderId` in the query the body IS the file
 * (a browser Blob/File sent as is by XHR, so the page gets upload progress, and any Content-Type, JSON
 * included, is just content); without it the body is a small JSON request naming where the file comes
 * from: a `handle` (a picked link, read from Alfresco with the picking person's grant, or a stored copy,
 * as /api/file/:handle serves them) or an http(s) `url` fetched with the SSRF-safe fetch (as
 * /api/store-url, within the app's allowPrivateUrls). Multipart was not used: it would make the browser
 * side build forms and the companion parse them, for one file.
 *
 * The content is piped into `POST nodes/{folder}/children` (multipart, built on the fly) or, to replace,
 * `PUT nodes/{id}/content` (a new version): never buffered whole, and a source that breaks off aborts the
 * upload so Alfresco creates nothing. `conflict`: `fail` (default) → 409 FS_ERR_CONFLICT naming the file;
 * `rename` → Alfresco's autoRename ("report-1.pdf"); `replace` → a new version of the existing file.
 * A folder the person may not write to → 403 FS_ERR_FORBIDDEN naming it, before any byte is read.
 * The answer's Blob: client "Alfresco", source "ALFRESCO", a distributable `url` like a picked file's.
 */
export function exportRoutes(companion: Companion, routeOptions: ExportRouteOptions = {}): Hono<SessionEnv> {
  return new Hono<SessionEnv>().post('/', requireSession(companion), async (c) => {
    const grant = c.get('grant');
    const app = c.get('app');

    if (c.req.query('folderId') !== undefined) {
      const query = readQuery(c, ExportQuerySchema, 'export');
      const target: ExportTarget = { folderId: query.folderId, filename: query.filename, conflict: query.conflict, sourceUrl: '' };
      const size = contentLength(c.req.header('Content-Length'));
      const { blob, handleTokens } = await exportFile(companion, grant, target, async () => {
        const body = c.req.raw.body;
        const stream = !body ? Readable.from([]) : body instanceof Readable ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
        // On failure the rest of the body is read and dropped, not reset, so the page gets the error answer.
        const discard = () => void stream.on('error', () => {}).resume();
        return { stream, discard, filename: query.filename, mimetype: query.mimetype ?? concreteType(c.req.header('Content-Type')) ?? '', ...(size === undefined ? {} : { size }) };
      });
      return c.json({ blob, handleTokens } satisfies ExportResponse);
    }

    const request = await readJson(c, ExportRequestSchema, 'export');
    const sourceUrl = 'handle' in request.source ? `${companion.publicUrl}/api/file/${request.source.handle}` : request.source.url;
    const target: ExportTarget = { folderId: request.folderId, filename: request.filename, conflict: request.conflict, sourceUrl };

    if ('handle' in request.source) {
      const existing = await companion.handles.get(request.source.handle);
      if (!existing || existing.appKey !== app.apiKey) throw new FsError('FS_ERR_NOT_FOUND', 'No such file handle.', { field: 'source' });
      const { blob, handleTokens } = await exportFile(companion, grant, target, async (): Promise<ExportSource> => {
        const mimetype = request.mimetype ?? existing.mimetype;
        if (existing.kind === 'stored') {
          const object = await openStored(companion, existing);
          return { stream: object.stream, filename: request.filename, mimetype, size: object.size };
        }
        const link = await linkOf(companion, existing);
        if (!link) throw new FsError('FS_ERR_NOT_FOUND', `The person who shared this file is no longer connected to ${companion.sources.clientOf(existing.source)}; pick it again.`, { field: 'source' });
        const response = await link.provider.download({ grant: link.grant }, link.itemId, { method: 'GET' });
        const size = contentLength(response.headers.get('Content-Length') ?? undefined);
        return { stream: response.body, filename: request.filename, mimetype, ...(size === undefined ? {} : { size }) };
      });
      return c.json({ blob, handleTokens } satisfies ExportResponse);
    }

    const url = request.source.url;
    const { blob, handleTokens } = await exportFile(companion, grant, target, async (): Promise<ExportSource> => {
      const response = await fetchUrlContent(companion.outbound, url, { timeoutMs: URL_TIMEOUT_MS, ...routeOptions.fetch, allowPrivate: app.allowPrivateUrls }, 'source');
      const size = contentLength(response.headers['content-length']);
      return { stream: response.body, filename: request.filename, mimetype: request.mimetype ?? concreteType(response.headers['content-type']) ?? '', ...(size === undefined ? {} : { size }) };
    });
    return c.json({ blob, handleTokens } satisfies ExportResponse);
  });
}
