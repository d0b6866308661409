import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { FsError } from 'fs-picker/protocol';

/** Turns anything thrown in a route into the protocol's error JSON; unexpected errors are logged, never echoed. */
export function errorHandler(logger: Logger) {
  return (error: Error, c: Context): Response => {
    if (error instanceof FsError) {
      // A refusal for being busy says when to come back (FS_ERR_BUSY from the LibreOffice queue).
      const retryAfter = (error as FsError & { retryAfterSeconds?: number }).retryAfterSeconds;
      return c.json(error.toBody(), error.status as ContentfulStatusCode, retryAfter === undefined ? undefined : { 'Retry-After': String(retryAfter) });
    }
    if (clientWentAway(error, c)) {
      // A person cancelled an upload or closed the page: nothing failed on our side.
      logger.info({ path: c.req.path }, 'the client closed the connection');
      return c.body(null, 499 as ContentfulStatusCode);
    }
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json(new FsError('FS_ERR_INTERNAL').toBody(), 500);
  };
}

/** Whether the request failed because the client aborted it (not because an upstream connection broke). */
function clientWentAway(error: Error, c: Context): boolean {
  if (c.req.raw.signal.aborted) return true;
  const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  const incoming = (c.env as { incoming?: { destroyed?: boolean } } | undefined)?.incoming;
  return (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') && incoming?.destroyed === true;
}
