import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { isHandle, FsError } from 'fs-picker/protocol';
import { AppRegistry } from '../apps/registry.ts';
import type { Companion } from '../context.ts';
import type { FileHandle } from '../files/handles.ts';
import { contentDisposition, forwardConditional, isInlineSafe, servedType } from '../files/http.ts';
import { imageSize, readAtMost } from '../files/image-size.ts';
import { linkOf, type Link } from '../files/link.ts';
import { storedSource } from '../files/stored-source.ts';
import { webBody } from '../files/web-body.ts';
import { UpstreamBody } from '../outbound/index.ts';
import { checkPolicy } from '../security/policy.ts';
import type { Content, ContentRequest } from '../providers/provider.ts';
import { collectSpentChunks } from '../spent-chunks.ts';
import { openStored } from '../storage/index.ts';

// How long the source may take to start answering; the body itself may take as long as it takes.
const HEADERS_TIMEOUT_MS = 30_000;

/**
 * GET/HEAD /api/file/:handle and /metadata: the distributable link, public (the handle is the
 * capability). Any page may fetch it (`Access-Control-Allow-Origin: *`, no credentials involved).
 * A link that carries `policy`/`signature` has them checked against the handle's app, with call "read"
 * (the content) or "stat" (the metadata) and the policy's handle rule, as every other call does; a bad
 * or expired one is refused (403 FS_ERR_POLICY). Without them the link reads as it always did, unless
 * the app has `requirePolicy` (403 FS_ERR_POLICY_REQUIRED: that app's links carry a policy).
 */
export function fileRoutes(companion: Companion): Hono {
  const apps = AppRegistry.of(companion.db);
  const findHandle = async (c: Context, call: 'read' | 'stat'): Promise<FileHandle> => {
    const raw = c.req.param('handle') ?? '';
    const handle = isHandle(raw) ? await companion.handles.get(raw) : undefined;
    if (!handle) throw new FsError('FS_ERR_NOT_FOUND', 'There is no file at this link.');
    // An app removed since: its links have no policy to check and still read (they cannot be written).
    const app = apps.get(handle.appKey);
    if (app) checkPolicy(app, { call, handle: handle.handle }, c.req.query('policy'), c.req.query('signature'));
    return handle;
  };
  /**
   * The answer when a link's owner is gone (signed out, grant revoked or expired beyond refresh). The
   * person opening the link is usually not the one who picked the file, so "connect again" would be wrong:
   * it is FS_ERR_NOT_FOUND (the closest to 410 Gone in the registry) with a message saying why.
   */
  const gone = (handle: FileHandle, cause?: unknown) =>
    new FsError('FS_ERR_NOT_FOUND', `This link no longer works: the person who shared the file is no longer connected to ${companion.sources.clientOf(handle.source)}.`, cause === undefined ? {} : { cause });
  /**
   * Calls the source for a link handle as the picking person. The source must start answering within the
   * headers timeout; after that only a reader that goes away ends the exchange, however long the body takes.
   */
  const callLink = async <T>(handle: FileHandle, signal: AbortSignal | undefined, call: (link: Link, signal: AbortSignal) => Promise<T>): Promise<T> => {
    const link = await linkOf(companion, handle);
    if (!link) throw gone(handle);
    const headersTimeout = new AbortController();
    const timer = setTimeout(() => headersTimeout.abort(), HEADERS_TIMEOUT_MS);
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    headersTimeout.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await call(link, abort.signal);
    } catch (error) {
      if (error instanceof FsError && error.code === 'FS_ERR_RECONNECT') throw gone(handle, error);
      if (headersTimeout.signal.aborted) throw new FsError('FS_ERR_UPSTREAM', `${link.provider.name} did not start sending the file in time; try again later.`, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  /** A link's bytes, streamed from its source as a Node stream (the relay below needs one). */
  const streamLink = (handle: FileHandle, request: ContentRequest, signal?: AbortSignal): Promise<Content> =>
    callLink(handle, signal, ({ provider, grant, itemId }, abort) => provider.download({ grant, signal: abort }, itemId, request));

  return new Hono()
    // Errors too: a page on another origin must see the 404 of a removed file, not a network error.
    .use(async (c, next) => {
      await next();
      c.res.headers.set('Access-Control-Allow-Origin', '*');
    })
    /**
     * `{ filename, mimetype, size, uploaded, writeable, source, client, handle, url, path?, key?,
     * container?, width?, height? }`: v2's stat. `?width=true` / `?height=true` add the pixel size of an
     * image, read from a prefix of its header (see files/image-size.ts), never the whole image.
     */
    .get('/:handle/metadata', async (c) => {
      const handle = await findHandle(c, 'stat');
      publicHeaders(c);
      const wantsSize = c.req.query('width') === 'true' || c.req.query('height') === 'true';
      const base = {
        filename: handle.filename,
        mimetype: handle.mimetype,
        size: handle.size ?? 0,
        uploaded: handle.createdAt,
        // A stored copy can be replaced with write(); a link is writeable when its source lets the person change it.
        writeable: handle.kind === 'stored',
        source: handle.source,
        client: companion.sources.clientOf(handle.source),
        handle: handle.handle,
        url: `${companion.publicUrl}/api/file/${handle.handle}`,
        ...(handle.key === undefined ? {} : { key: handle.key }),
        ...(handle.container === undefined ? {} : { container: handle.container }),
        ...(handle.location === undefined ? {} : { location: handle.location }),
      };
      if (handle.kind === 'stored') {
        if (!wantsSize || !base.mimetype.startsWith('image/') || base.size === 0) return c.json(base);
        const dimensions = await imageSize(async (bytes) => {
          const { stream } = await openStored(companion, handle, { start: 0, end: Math.min(bytes, base.size) - 1 });
          return readAtMost(webBody(stream), bytes);
        }, base.size);
        return c.json({ ...base, ...(dimensions ?? {}) });
      }
      // A link's name, type, size, path and writeability are asked of its source now: they may have changed.
      const item = await callLink(handle, c.req.raw.signal, ({ provider, grant, itemId }, signal) => provider.stat({ grant, signal }, itemId));
      const fresh = {
        ...base,
        filename: item.name,
        mimetype: item.isFile ? item.mimetype : handle.mimetype,
        size: item.isFile ? item.size : base.size,
        writeable: item.canWrite,
        ...(item.path ? { path: item.path } : {}),
      };
      if (!wantsSize || !fresh.mimetype.startsWith('image/')) return c.json(fresh);
      const dimensions = await imageSize(async (bytes) => {
        const upstream = await streamLink(handle, { method: 'GET', headers: { Range: `bytes=0-${bytes - 1}` } }, c.req.raw.signal);
        if (upstream.status === 416) {
          upstream.body.destroy();
          return Buffer.alloc(0);
        }
        return readAtMost(webBody(upstream.body), bytes);
      }, fresh.size);
      return c.json({ ...fresh, ...(dimensions ?? {}) });
    })

    /**
     * The bytes: from the source with the picking person's grant for a link, piped through (never held
     * whole), with Range (206/416 as the source answers), ETag/If-None-Match (the source's ETag), Content-Length and a download disposition.
     * `?dl=false` shows a file inline, and only for types that run no script (files/http.ts INLINE_SAFE);
     * HTML, SVG, XML, JavaScript and anything unknown are always downloads, with `nosniff` and a
     * `sandbox` CSP on every answer.
     */
    .on(['GET', 'HEAD'], '/:handle', async (c) => {
      const handle = await findHandle(c, 'read');
      const method = c.req.method === 'HEAD' ? 'HEAD' : 'GET';
      const range = c.req.header('Range');
      const upstream = handle.kind === 'stored' ? await storedSource(companion, handle, range) : await streamLink(handle, { method, headers: range ? { Range: range } : {} }, c.req.raw.signal);
      // One rule for links and stored files, whatever string the source holds (files/http.ts).
      const contentType = servedType(upstream.headers.get('Content-Type') ?? handle.mimetype);
      const mimetype = contentType.split(';')[0]!;
      const inline = c.req.query('dl') === 'false' && isInlineSafe(mimetype);
      const headers = new Headers({
        'Content-Type': contentType,
        'Content-Disposition': contentDisposition(handle.filename, inline),
        'Cache-Control': 'private, no-cache',
        'Accept-Ranges': 'bytes',
        ...fileSecurityHeaders(inline && mimetype === 'application/pdf'),
      });
      const answer = await forwardConditional(c.req.raw, new Response(null, { status: upstream.status, headers: upstream.headers }), headers);
      if (method === 'HEAD' || (answer.status !== 200 && answer.status !== 206)) {
        upstream.body.destroy();
        return answer;
      }
      // Served by @hono/node-server: a source's bytes go from the read buffer straight to the response
      // (UpstreamBody.relayTo), a stored file is piped Node stream to Node stream; no web streams in
      // between (the bench/stream figures depend on it). Elsewhere (app.request in tests): a web stream.
      const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
      if (outgoing) {
        outgoing.writeHead(answer.status, Object.fromEntries(answer.headers));
        // The reader went away or the source broke off: both ends are destroyed, which is all there is to do.
        const done = upstream.body instanceof UpstreamBody ? upstream.body.relayTo(outgoing) : pipeline(collectSpentChunks(upstream.body), outgoing);
        done.catch(() => undefined);
        return RESPONSE_ALREADY_SENT;
      }
      return new Response(webBody(upstream.body), { status: answer.status, headers: answer.headers });
    });
}

function publicHeaders(c: Context): void {
  for (const [name, value] of Object.entries(fileSecurityHeaders(false))) c.header(name, value);
}

/**
 * Headers of everything served from a link. `sandbox` keeps any document from running script with our
 * origin; Chrome's PDF viewer does not run under it, so a PDF shown inline (a safe type) goes without.
 */
function fileSecurityHeaders(pdfInline: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    ...(pdfInline ? {} : { 'Content-Security-Policy': "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox" }),
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Content-Disposition, ETag, Accept-Ranges',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
}
