import { Hono } from 'hono';
import { FsError, NDJSON, PickRequestSchema, type PickResponse, type PickStreamLine } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import { pickFiles, resolvePicked } from '../files/pick.ts';
import { readJson } from '../requests/index.ts';
import { requireSession, type SessionEnv } from '../security/session.ts';

/**
 * POST /api/pick `{ itemIds, maxFiles?, accept? }` → `{ blobs, truncated }`: handles and Blob records
 * for chosen items, folders expanded.
 *
 * Progress: a request with `Accept: application/x-ndjson` gets the answer as NDJSON, one line per
 * upstream page while folders are expanded (`{"type":"progress","found","scanned"}`), then one
 * `{"type":"done","blobs","truncated"}` line (or `{"type":"error","error":{code,message}}` if the walk
 * fails midway, since the 200 has already been sent). NDJSON over the one POST, rather than a job id to
 * poll or server-sent events, keeps it one request that `fetch` can read as it arrives and that needs no
 * state on the companion. Without that Accept the answer is plain JSON at the end. The picked items are
 * read before the stream starts, so a bad id or a refused item is an ordinary HTTP error either way.
 */
export function pickRoutes(companion: Companion): Hono<SessionEnv> {
  return new Hono<SessionEnv>().post('/', requireSession(companion), async (c) => {
    const grant = c.get('grant');
    const provider = companion.sources.of(grant.source);
    // No request signal: the NDJSON answer goes on after this handler returns.
    const call = { grant };
    const input = await readJson(c, PickRequestSchema, 'pick');
    const picked = await resolvePicked(provider, call, input);

    if (!(c.req.header('Accept') ?? '').includes(NDJSON)) {
      return c.json((await pickFiles(companion, provider, call, input, picked)) satisfies PickResponse);
    }
    const encoder = new TextEncoder();
    const line = (value: PickStreamLine) => encoder.encode(`${JSON.stringify(value)}\n`);
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        try {
          controller.enqueue(line({ type: 'progress', found: 0, scanned: 0 }));
          const result = await pickFiles(companion, provider, call, input, picked, ({ found, scanned }) => controller.enqueue(line({ type: 'progress', found, scanned })));
          controller.enqueue(line({ type: 'done', ...result }));
        } catch (error) {
          const fsError = error instanceof FsError ? error : new FsError('FS_ERR_INTERNAL');
          if (!(error instanceof FsError)) companion.logger.error({ err: error }, 'pick failed');
          controller.enqueue(line({ type: 'error', error: fsError.toBody().error }));
        }
        controller.close();
      },
    });
    return c.body(body, 200, { 'Content-Type': `${NDJSON}; charset=utf-8`, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  });
}
