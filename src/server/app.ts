import { Hono } from 'hono';
import type { Logger } from 'pino';
import { FsError } from '../protocol/errors.ts';
import type { CompanionConfig } from './config.ts';
import { errorHandler } from './errors.ts';
import { createLogger } from './logger.ts';
import { servicesRoutes } from './routes/services.ts';
import { appAccess } from './security/app-access.ts';

export interface AppDependencies {
  logger?: Logger;
}

/** Builds the companion without listening; tests call `app.request()` on it, `main.ts` serves it. */
export function buildApp(config: CompanionConfig, { logger = createLogger() }: AppDependencies = {}): Hono {
  const api = new Hono().use(appAccess(config.apps)).route('/services', servicesRoutes(config));

  return new Hono()
    .get('/healthz', (c) => c.json({ ok: true }))
    .route('/api', api)
    .notFound(() => {
      throw new FsError('FS_ERR_NOT_FOUND', 'No such endpoint on the companion.');
    })
    .onError(errorHandler(logger));
}
