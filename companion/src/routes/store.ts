import { Hono } from 'hono';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { FsError, StoreOptionsSchema, StoreToOptionsSchema, type ParsedStoreOptions, StoreHandleRequestSchema, StoreUrlRequestSchema, STORE_QUERY_EXTRAS, type StoreResponse, parseOptions, type ServiceId } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import { fetchUrlContent, isDecodingError } from '../files/url-content.ts';
import { linkOf } from '../files/link.ts';
import { watchSourceBody } from '../files/source-body.ts';
import { concreteType, contentLength, readJson } from '../requests/index.ts';
import type { AppEnv } from '../security/app-access.ts';
import { checkPolicy } from '../security/policy.ts';
import type { SafeFetchOptions } from '../outbound/index.ts';
import { openStored, resolveTarget, storeStream } from '../storage/index.ts';

/** What tests (and an embedding server) may change; production uses the defaults. */
export interface StoreRouteOptions {
  /** storeUrl's fetch: `resolve`/`isAllowed` replace DNS and the address check, e.g. in tests. */
  fetch?: Pick<SafeFetchOptions, 'resolve' | 'isAllowed' | 'timeoutMs' | 'maxRedirects'>;
}

/**
 * The store endpoints (mounted at /api, behind the app key; no session needed — as in v2, any page
 * with the key may store, within the app's security policy):
 *
 *   POST /api/store?filename=&mimetype=&location=&path=&container=&access=&storeRegion=&base64decode=&maxSize=
 *        raw body = the file, streamed to storage (never buffered whole)               → { blob }
 *   POST /api/store-url     {"url": "https://…", "options": StoreOptions}              → { blob }
 *   POST /api/store-handle  {"handle": "…", "options": StoreToOptions}                  → { blob }
 *        pickAndStore's copy step: the file behind a handle (a picked Alfresco link, streamed with the
 *        picking person's grant, or a stored file) copied into storage; the Blob has client "Alfresco"
 *        for Alfresco files. The original handle stays.
 *
 * Each checks the `policy`/`signature` query parameters with call "store" (and the policy's handle,
 * url, path, container and size rules). Sizes: the call's `maxSize`, the policy's and the server cap,
 * enforced while streaming (413 FS_ERR_TOO_LARGE, or 403 FS_ERR_POLICY when the policy's was the limit).
 * Each answer carries `handleTokens` beside the Blob: the new handle's token, the proof this page
 * gives to write or remove it later (src/protocol/handle-token.ts).
 * Each stored file gets one `fp.upload` webhook event, written with its handle once the bytes are in place
 * (HandleStore.create); a failed store leaves no file, no handle and no event.
 */
export function storeRoutes(companion: Companion, routeOptions: StoreRouteOptions = {}): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/store', async (c) => {
      const app = c.get('app');
      const { options, maxSize } = storeQuery(c.req.query());
      const target = resolveTarget(companion, options, app);
      const declared = contentLength(c.req.header('Content-Length'));
      const policy = checkPolicy(
        app,
        { call: 'store', path: options.path ?? '', container: target.location.container, ...(declared === undefined || options.base64decode ? {} : { size: declared }) },
        c.req.query('policy'),
        c.req.query('signature'),
      );
      const body = c.req.raw.body ?? Readable.from([]);
      const raw = body instanceof Readable ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
      const { blob, handleTokens } = await storeStream(companion, app, {
        stream: options.base64decode ? raw.pipe(new Base64Decode()).once('error', () => raw.destroy()) : raw,
        filename: options.filename ?? 'untitled',
        mimetype: options.mimetype ?? concreteType(c.req.header('Content-Type')) ?? 'application/octet-stream',
        options,
        source: 'COMPUTER',
        ...(options.base64decode || declared === undefined ? {} : { declaredSize: declared }),
        ...(maxSize === undefined ? {} : { maxSize }),
        ...(policy === undefined ? {} : { policy }),
      });
      return c.json({ blob, handleTokens } satisfies StoreResponse);
    })
    .post('/store-url', async (c) => {
      const app = c.get('app');
      const request = await readJson(c, StoreUrlRequestSchema, 'storeUrl');
      const options = parseOptions('storeUrl', StoreOptionsSchema, request.options);
      if (options.base64decode !== undefined) throw new FsError('FS_ERR_INVALID_OPTION', 'storeUrl: option "base64decode" applies to store only', { field: 'base64decode' });
      const target = resolveTarget(companion, options, app);
      const policy = checkPolicy(app, { call: 'store', url: request.url, path: options.path ?? '', container: target.location.container }, c.req.query('policy'), c.req.query('signature'));
      const response = await fetchUrlContent(companion.outbound, request.url, { ...routeOptions.fetch, allowPrivate: app.allowPrivateUrls }, 'url');
      const declared = response.declaredSize;
      try {
        const { blob, handleTokens } = await storeStream(companion, app, {
          stream: response.content,
          filename: options.filename ?? filenameOf(response.headers['content-disposition'], response.url),
          mimetype: options.mimetype ?? concreteType(response.headers['content-type']) ?? 'application/octet-stream',
          options,
          source: 'URL',
          ...(declared === undefined ? {} : { declaredSize: declared }),
          ...(policy === undefined ? {} : { policy }),
        });
        return c.json({ blob, handleTokens } satisfies StoreResponse);
      } catch (error) {
        if (response.signal.aborted) throw new FsError('FS_ERR_UPSTREAM', `The URL did not finish sending within ${response.timeoutMs / 1000} s.`, { cause: error, field: 'url' });
        if (error instanceof FsError) throw error;
        if (isDecodingError(error)) throw new FsError('FS_ERR_UPSTREAM', 'The URL sent compressed content that could not be decoded.', { cause: error, field: 'url' });
        throw new FsError('FS_ERR_UPSTREAM', 'The URL stopped sending before the file was complete.', { cause: error, field: 'url' });
      }
    })
    .post('/store-handle', async (c) => {
      const app = c.get('app');
      const request = await readJson(c, StoreHandleRequestSchema, 'pickAndStore');
      const options = parseOptions('pickAndStore', StoreToOptionsSchema, request.options);
      const existing = await companion.handles.get(request.handle);
      if (!existing || existing.appKey !== app.apiKey) throw new FsError('FS_ERR_NOT_FOUND', 'No such file handle.', { field: 'handle' });
      const target = resolveTarget(companion, options, app);
      const policy = checkPolicy(app, { call: 'store', handle: existing.handle, path: options.path ?? '', container: target.location.container }, c.req.query('policy'), c.req.query('signature'));

      let stream: Readable | ReadableStream<Uint8Array>;
      let declared: number | undefined;
      let sourceBody: ReturnType<typeof watchSourceBody> | undefined;
      if (existing.kind === 'stored') {
        const object = await openStored(companion, existing);
        stream = object.stream;
        declared = object.size;
      } else {
        const link = await linkOf(companion, existing);
        if (!link) throw new FsError('FS_ERR_NOT_CONNECTED', `The person who picked this file is no longer connected to ${companion.sources.clientOf(existing.source)}; pick it again.`);
        const response = await link.provider.download({ grant: link.grant }, link.itemId, { method: 'GET' });
        stream = response.body;
        sourceBody = watchSourceBody(response.body, link.provider.name);
        declared = contentLength(response.headers.get('Content-Length') ?? undefined);
      }
      const { blob, handleTokens } = await storeStream(companion, app, {
        stream,
        filename: existing.filename,
        mimetype: existing.mimetype,
        options,
        source: existing.source as ServiceId,
        ...(declared === undefined ? {} : { declaredSize: declared }),
        ...(policy === undefined ? {} : { policy }),
      }).catch((error: unknown) => {
        throw sourceBody ? sourceBody.failure(error) : error;
      });
      return c.json({ blob, handleTokens } satisfies StoreResponse);
    });
}

/** The store options in the query of POST /api/store, plus `maxSize`. */
function storeQuery(query: Record<string, string>): { options: ParsedStoreOptions; maxSize: number | undefined } {
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if ((STORE_QUERY_EXTRAS as readonly string[]).includes(name)) continue;
    input[name] = name === 'base64decode' && (value === 'true' || value === 'false') ? value === 'true' : value;
  }
  const options = parseOptions('store', StoreOptionsSchema, input);
  const rawMax = query.maxSize;
  if (rawMax !== undefined && !/^[1-9]\d{0,15}$/.test(rawMax)) {
    throw new FsError('FS_ERR_INVALID_OPTION', `store: option "maxSize" must be a positive whole number of bytes, got "${rawMax.slice(0, 40)}"`, { field: 'maxSize' });
  }
  return { options, maxSize: rawMax === undefined ? undefined : Number(rawMax) };
}

/** The name a fetched file goes by: Content-Disposition's, else the URL's last path segment. */
function filenameOf(disposition: string | undefined, url: string): string {
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition ?? '')?.[1];
  let name: string | undefined;
  try {
    name = star !== undefined ? decodeURIComponent(star) : plain;
    name ??= decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  } catch {
    name = undefined;
  }
  const base = name?.split(/[\\/]/).pop()?.trim();
  return base && base !== '.' && base !== '..' ? base.slice(0, 255) : 'download';
}

/** Decodes base64 text as it streams (whitespace ignored), for `base64decode`. */
class Base64Decode extends Transform {
  #rest = '';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const text = this.#rest + chunk.toString('latin1').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) {
      callback(new FsError('FS_ERR_INVALID_REQUEST', 'store: the body is not base64 (base64decode is set).'));
      return;
    }
    const whole = text.length - (text.length % 4);
    this.#rest = text.slice(whole);
    callback(null, Buffer.from(text.slice(0, whole), 'base64'));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.#rest ? Buffer.from(this.#rest, 'base64') : undefined);
  }
}
