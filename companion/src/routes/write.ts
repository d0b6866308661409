import { Hono } from 'hono';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileUrl, isHandle, type FsBlob, FsError, parseOptions, WriteUrlOptionsSchema, WriteUrlRequestSchema, type WriteResponse, type ServiceId } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import type { FileHandle } from '../files/handles.ts';
import { fetchUrlContent } from '../files/url-content.ts';
import { linkOf, sourceBlob } from '../files/link.ts';
import { concreteType, contentLength, readJson } from '../requests/index.ts';
import type { AppEnv } from '../security/app-access.ts';
import { requireHandleProof } from '../security/handle-proof.ts';
import { checkPolicy } from '../security/policy.ts';
import type { SafeFetchOptions } from '../outbound/index.ts';
import { DEFAULT_MAX_STORE_SIZE, locationOf } from '../storage/index.ts';
import { tooLarge } from '../storage/location.ts';

/** What tests (and an embedding server) may change; production uses the defaults. */
export interface WriteRouteOptions {
  /** writeUrl's fetch: `resolve`/`isAllowed` replace DNS and the address check, e.g. in tests. */
  fetch?: Pick<SafeFetchOptions, 'resolve' | 'isAllowed' | 'timeoutMs' | 'maxRedirects'>;
}

/** The query parameters that are not write options. */
const QUERY_EXTRAS = new Set(['key', 'policy', 'signature']);

/** The new content of a write, whatever it came from. */
interface WriteSource {
  stream: Readable;
  mimetype: string;
  /** The size announced up front, when there is one. */
  size?: number;
  /** What to do with the rest of the stream after a failure (default: destroy it). */
  discard?: () => void;
}

/**
 * Write-back (v2's `write` and `writeUrl`), mounted at /api behind the app key (see
 * src/protocol/write.ts for the contract). The key and the link are not enough: each call needs the
 * handle token, the picking person's session or a policy naming the call (security/handle-proof.ts),
 * checked before any byte of the new content is read or fetched.
 *
 *   POST /api/write/:handle?mimetype=     raw body = the new content, streamed      → { blob }
 *   POST /api/write-url/:handle  {"url": "https://…", "options": {"mimetype"?}}     → { blob }
 *
 * A link handle (a file picked from Alfresco) gets the content as a new minor version of its node, sent
 * with the picking person's grant (`PUT nodes/{id}/content`, streamed: a body that breaks off aborts the
 * upload and Alfresco keeps the old version). A stored handle has its object replaced under the same key:
 * the storage locations publish a write only once it is complete (local: temp file + rename; S3: one PUT
 * or a completed multipart upload), so readers never see a mix and a failure keeps the old content. The
 * handle row then gets the new size and type. Base64 input is decoded by the browser side, not here.
 */
export function writeRoutes(companion: Companion, routeOptions: WriteRouteOptions = {}): Hono<AppEnv> {
  const findHandle = async (raw: string, appKey: string): Promise<FileHandle> => {
    const handle = isHandle(raw) ? await companion.handles.get(raw) : undefined;
    if (!handle || handle.appKey !== appKey) throw new FsError('FS_ERR_NOT_FOUND', 'No such file handle.', { field: 'handle' });
    return handle;
  };

  return new Hono<AppEnv>()
    .post('/write/:handle', async (c) => {
      const app = c.get('app');
      const handle = await findHandle(c.req.param('handle'), app.apiKey);
      const options = parseOptions('write', WriteUrlOptionsSchema, optionsOf(c.req.query()));
      const declared = contentLength(c.req.header('Content-Length'));
      const policy = checkPolicy(app, { call: 'write', handle: handle.handle, ...(declared === undefined ? {} : { size: declared }) }, c.req.query('policy'), c.req.query('signature'));
      await requireHandleProof(companion, c, handle, 'write', policy);
      const body = c.req.raw.body;
      const stream = !body ? Readable.from([]) : body instanceof Readable ? body : Readable.fromWeb(body as WebReadableStream<Uint8Array>);
      const blob = await writeContent(companion, handle, {
        stream,
        mimetype: options.mimetype ?? concreteType(c.req.header('Content-Type')) ?? handle.mimetype,
        ...(declared === undefined ? {} : { size: declared }),
        // On failure the rest of the body is read and dropped, not reset, so the page gets the error answer.
        discard: () => void stream.on('error', () => {}).resume(),
      }, policy?.maxSize);
      return c.json({ blob } satisfies WriteResponse);
    })
    .post('/write-url/:handle', async (c) => {
      const app = c.get('app');
      const handle = await findHandle(c.req.param('handle'), app.apiKey);
      const request = await readJson(c, WriteUrlRequestSchema, 'writeUrl');
      const options = parseOptions('writeUrl', WriteUrlOptionsSchema, request.options);
      const policy = checkPolicy(app, { call: 'writeUrl', handle: handle.handle, url: request.url }, c.req.query('policy'), c.req.query('signature'));
      await requireHandleProof(companion, c, handle, 'writeUrl', policy);
      const response = await fetchUrlContent(companion.outbound, request.url, { ...routeOptions.fetch, allowPrivate: app.allowPrivateUrls }, 'url');
      const declared = response.declaredSize;
      try {
        const blob = await writeContent(companion, handle, {
          stream: response.content,
          mimetype: options.mimetype ?? concreteType(response.headers['content-type']) ?? handle.mimetype,
          ...(declared === undefined ? {} : { size: declared }),
        }, policy?.maxSize);
        return c.json({ blob } satisfies WriteResponse);
      } catch (error) {
        if (response.signal.aborted) throw new FsError('FS_ERR_UPSTREAM', `The URL did not finish sending within ${response.timeoutMs / 1000} s.`, { cause: error, field: 'url' });
        throw error;
      }
    });
}

/** Writes `source` into the file behind `handle` and answers its Blob with the new size and type. */
async function writeContent(companion: Companion, handle: FileHandle, source: WriteSource, policyMax: number | undefined): Promise<FsBlob> {
  const url = fileUrl(companion.publicUrl, handle.handle);
  if (handle.kind === 'stored') {
    const maxSize = Math.min(DEFAULT_MAX_STORE_SIZE, policyMax ?? Infinity);
    if (handle.key === undefined) throw new FsError('FS_ERR_NOT_FOUND', 'This file has no stored copy.');
    if (source.size !== undefined && source.size > maxSize) {
      (source.discard ?? (() => source.stream.destroy()))();
      throw tooLarge(maxSize);
    }
    const location = locationOf(companion, handle);
    let size: number;
    try {
      ({ size } = await location.put(handle.key, source.stream, { contentType: source.mimetype, maxSize }));
    } catch (error) {
      (source.discard ?? (() => source.stream.destroy()))();
      throw error;
    }
    await companion.handles.updateContent(handle.handle, { size, mimetype: source.mimetype });
    const path = handle.key.includes('/') ? handle.key.slice(0, handle.key.lastIndexOf('/') + 1) : '';
    const service = handle.source as ServiceId;
    return {
      url,
      filename: handle.filename,
      mimetype: source.mimetype,
      size,
      key: handle.key,
      container: location.container,
      ...(path === '' ? {} : { path }),
      client: companion.sources.clientOf(handle.source),
      id: 0,
      isWriteable: false,
      handle: handle.handle,
      source: service,
    };
  }

  const link = await linkOf(companion, handle);
  if (!link) {
    (source.discard ?? (() => source.stream.destroy()))();
    throw new FsError('FS_ERR_NOT_CONNECTED', `The person who picked this file is no longer connected to ${companion.sources.clientOf(handle.source)}; pick it again to write to it.`);
  }
  let item;
  try {
    const content = { stream: source.stream, filename: handle.filename, mimetype: source.mimetype, ...(source.size === undefined ? {} : { size: source.size }) };
    item = await link.provider.writeVersion({ grant: link.grant }, link.itemId, content);
  } catch (error) {
    (source.discard ?? (() => source.stream.destroy()))();
    throw error;
  }
  await companion.handles.updateContent(handle.handle, { size: item.size, mimetype: item.mimetype, filename: item.name });
  return sourceBlob(link.provider, item, { url, handle: handle.handle, id: 0 });
}

/** The write options in a query: everything but the key and the policy. */
function optionsOf(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([name]) => !QUERY_EXTRAS.has(name)));
}
