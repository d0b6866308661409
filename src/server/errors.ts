import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { FsError } from '../protocol/errors.ts';

/** Turns anything thrown in a route into the protocol's error JSON; unexpected errors are logged, never echoed. */
export function errorHandler(logger: Logger) {
  return (error: Error, c: Context): Response => {
    if (error instanceof FsError) return c.json(error.toBody(), error.status as ContentfulStatusCode);
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json(new FsError('FS_ERR_INTERNAL').toBody(), 500);
  };
}
