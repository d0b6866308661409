import { Hono } from 'hono';
import { ConvertRequestSchema, parseConvertRequest, type ConvertResponse, FsError } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import { convertFile, type ConvertSettings } from '../convert/convert.ts';
import { readJson } from '../requests/index.ts';
import type { AppEnv } from '../security/app-access.ts';
import { checkPolicy } from '../security/policy.ts';
import { resolveTarget } from '../storage/index.ts';

/**
 * The convert endpoint, mounted at /api/convert behind the app key (no session: the handle is the
 * capability, as for /api/store-handle). Full contract, option semantics and error codes:
 * src/protocol/convert.ts. In short:
 *
 *   POST /api/convert?key=APIKEY[&policy=&signature=]
 *        Content-Type: application/json
 *        {"handle": "<source handle>", "options": {width, height, fit, align, crop, crop_first, format,
 *         quality, rotate, exif, compress, filter, blurAmount, sharpenAmount, page, watermark,
 *         watermark_size, watermark_position, store*…}, "storeOptions": {location, path, container,
 *         storeContainer, access, storeRegion, filename}}
 *   → 200 {"blob": {url, filename, mimetype, size, key, container, path?, client, id: 0,
 *          isWriteable: false, handle, source, converted: true}}
 *
 * Images go through sharp (pixel limit: decompression bombs are 413 FS_ERR_TOO_LARGE); office documents
 * become PDFs with LibreOffice headless; a page of a PDF or office document becomes an image with
 * poppler. Missing programs are 500 FS_ERR_INTERNAL naming the Debian package to install. The result is
 * stored atomically in the requested location (default: the companion's default storage) with a new
 * handle and its `fp.converse` webhook event (text.provider: "internal", "amazon" or "Alfresco", where
 * the source lives). A failed conversion leaves no file, no handle and no event. The policy (query
 * parameters, or v2's `policy`/`signature` conversion keys) is checked with call "convert", the source
 * handle, the storage path and container.
 */
export function convertRoutes(companion: Companion, settings: ConvertSettings = {}): Hono<AppEnv> {
  return new Hono<AppEnv>().post('/', async (c) => {
    const app = c.get('app');
    const request = await readJson(c, ConvertRequestSchema, 'convert');
    const { options, store } = parseConvertRequest(request.options, request.storeOptions);

    const source = await companion.handles.get(request.handle);
    if (!source || source.appKey !== app.apiKey) throw new FsError('FS_ERR_NOT_FOUND', 'No such file handle.', { field: 'handle' });
    const target = resolveTarget(companion, store, app);
    const policy = checkPolicy(
      app,
      { call: 'convert', handle: source.handle, path: store.path ?? '', container: target.location.container },
      c.req.query('policy') ?? options.policy,
      c.req.query('signature') ?? options.signature,
    );
    const { blob, handleTokens } = await convertFile(companion, app, { source, options, store, target, ...(policy === undefined ? {} : { policy }), signal: c.req.raw.signal }, settings);
    return c.json({ blob, handleTokens } satisfies ConvertResponse);
  });
}
