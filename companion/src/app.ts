import { Hono } from 'hono';
import type { Logger } from 'pino';
import { FsError } from 'fs-picker/protocol';
import { AppRegistry } from './apps/registry.ts';
import { GrantStore } from './auth/grants.ts';
import { alfrescoRefresh } from './auth/oauth.ts';
import { TokenRefresher, type RefreshUpstream } from './auth/refresher.ts';
import { SessionStore } from './auth/sessions.ts';
import { publicUrlOf, type CompanionConfig } from './config.ts';
import type { Companion } from './context.ts';
import { openDatabase, type Db } from './db/database.ts';
import { errorHandler } from './errors.ts';
import { HandleStore } from './files/handles.ts';
import { createLogger } from './logger.ts';
import { portalRoutes } from './portal/routes.ts';
import type { PortalScript } from './portal/ui.ts';
import { AlfrescoClient } from './providers/alfresco/client.ts';
import { authRoutes } from './routes/auth.ts';
import { browseRoutes } from './routes/browse.ts';
import { convertRoutes } from './routes/convert.ts';
import { exportRoutes } from './routes/export.ts';
import { fileRoutes } from './routes/file.ts';
import { pickRoutes } from './routes/pick.ts';
import { removeRoutes } from './routes/remove.ts';
import { servicesRoutes } from './routes/services.ts';
import { sessionRoutes } from './routes/session.ts';
import { storeRoutes } from './routes/store.ts';
import { writeRoutes } from './routes/write.ts';
import { appAccess } from './security/app-access.ts';
import { SecretBox } from './security/secrets.ts';
import { dialogRoutes } from './webhooks/routes.ts';
import { Webhooks } from './webhooks/webhooks.ts';

export interface AppDependencies {
  logger?: Logger;
  /** An open database; by default `config.database` is opened (and migrated). */
  db?: Db;
  /**
   * The webhook outbox and worker, on the same `db`; `main.ts` makes it and starts it. Without it events
   * are still written (delivered once a worker runs on the database).
   */
  webhooks?: Webhooks;
  /** The developer portal's script; by default the one the package's build wrote (the repository's stack bundles the source). */
  portalScript?: PortalScript;
}

/** Builds the companion without listening; tests call `app.request()` on it, `main.ts` serves it. */
export async function buildApp(config: CompanionConfig, { logger = createLogger(), db, webhooks, portalScript }: AppDependencies = {}): Promise<Hono> {
  const companion = await createCompanion(config, logger, db ?? (await openDatabase(config.database)), webhooks);
  const api = new Hono()
    .use(appAccess(AppRegistry.of(companion.db)))
    .route('/services', servicesRoutes(config))
    .route('/session', sessionRoutes(companion))
    .route('/alfresco', browseRoutes(companion))
    .route('/pick', pickRoutes(companion))
    .route('/dialog', dialogRoutes(companion))
    .route('/export', exportRoutes(companion))
    .route('/convert', convertRoutes(companion))
    .route('/file', removeRoutes(companion))
    .route('/', storeRoutes(companion))
    .route('/', writeRoutes(companion));

  return new Hono()
    .get('/healthz', (c) => c.json({ ok: true }))
    .route('/auth', authRoutes(companion))
    // Distributable links work without the app key, so they come before the key check of /api.
    .route('/api/file', fileRoutes(companion))
    .route('/api', api)
    // The developer portal (its own sign-in, CSRF and errors).
    .route('/portal', portalRoutes(companion, { script: portalScript }))
    .notFound(() => {
      throw new FsError('FS_ERR_NOT_FOUND', 'No such endpoint on the companion.');
    })
    .onError(errorHandler(companion.logger));
}

async function createCompanion(config: CompanionConfig, logger: Logger, db: Db, webhooks = new Webhooks({ db, config, logger })): Promise<Companion> {
  const box = new SecretBox(config.encryptionKey);
  // The apps: seeded from the configuration, then read from the database (the portal edits them).
  const apps = await AppRegistry.open(db, config, box);
  const grants = new GrantStore(db, box);
  const refreshUpstream: RefreshUpstream = alfrescoRefresh(config, publicUrlOf(config), apps);
  const refresher = new TokenRefresher(grants, refreshUpstream);
  return {
    config,
    publicUrl: publicUrlOf(config),
    db,
    box,
    grants,
    sessions: new SessionStore(db),
    handles: new HandleStore(db, webhooks),
    webhooks,
    refresher,
    alfresco: new AlfrescoClient(config.alfresco.repositoryUrl, refresher),
    logger,
  };
}
