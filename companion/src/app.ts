import { Hono } from 'hono';
import type { Logger } from 'pino';
import { FsError } from 'fs-picker/protocol';
import { AppRegistry } from './apps/registry.ts';
import { GrantRetention } from './auth/grant-retention.ts';
import { GrantStore } from './auth/grants.ts';
import { TokenRefresher } from './auth/refresher.ts';
import { SessionStore } from './auth/sessions.ts';
import { publicUrlOf, type CompanionConfig } from './config.ts';
import type { Companion } from './context.ts';
import { openDatabase, type Db } from './db/database.ts';
import { errorHandler } from './errors.ts';
import { handleRemovalSweep } from './files/handle-removals.ts';
import { HandleStore } from './files/handles.ts';
import { createLogger } from './logger.ts';
import { healthRoutes } from './operations/health-routes.ts';
import { Lifecycle } from './operations/lifecycle.ts';
import { Outbound } from './outbound/index.ts';
import { portalRoutes } from './portal/routes.ts';
import type { PortalScript } from './portal/ui.ts';
import { builtInProviders } from './providers/built-in.ts';
import type { Provider } from './providers/provider.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { authRoutes } from './routes/auth.ts';
import { browseRoutes } from './routes/browse.ts';
import { logOfficeIsolation } from './convert/office-sandbox.ts';
import { convertRoutes } from './routes/convert.ts';
import { exportRoutes } from './routes/export.ts';
import { fileRoutes } from './routes/file.ts';
import { pickRoutes } from './routes/pick.ts';
import { removeRoutes } from './routes/remove.ts';
import { servicesRoutes } from './routes/services.ts';
import { sessionRoutes } from './routes/session.ts';
import { storeRoutes } from './routes/store.ts';
import { writeRoutes } from './routes/write.ts';
import { bodyLimits } from './requests/index.ts';
import { appAccess } from './security/app-access.ts';
import { securityHeaders } from './security/headers.ts';
import { SecretBox } from './security/secrets.ts';
import { expiredCounterSweep } from './security/counter-sweep.ts';
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
  /** Sources offered besides Alfresco; an app offers those its `services` name. */
  providers?: readonly Provider[];
  /**
   * Every call the companion makes goes through it (outbound/). `main.ts` makes it, shares it with its
   * webhooks and closes it on shutdown; without it buildApp makes one of its own, which the app's `close()` ends.
   */
  outbound?: Outbound;
  /** Whether the process is stopping (/readyz then answers 503); main.ts makes it and says so on SIGTERM. */
  lifecycle?: Lifecycle;
}

/**
 * The companion's app; `close()` ends what buildApp opened for it: its own outbound's connections (an
 * outbound handed in is its owner's to close, as main.ts does on shutdown). Closing a server that
 * listens on the app leaves the app as it is: it may be served again, or called in process.
 */
export type CompanionApp = Hono & { close(): Promise<void> };

/** Builds the companion without listening; tests call `app.request()` on it, `main.ts` serves it. */
export async function buildApp(config: CompanionConfig, { logger = createLogger(), db, webhooks, portalScript, providers = [], outbound, lifecycle = new Lifecycle() }: AppDependencies = {}): Promise<CompanionApp> {
  const wayOut = outbound ?? new Outbound();
  // No checked URL may make the companion call itself (main.ts adds the port it really listens on).
  wayOut.addOwnPort(config.port);
  const companion = await createCompanion(config, logger, db ?? (await openDatabase(config.database)), providers, wayOut, webhooks);
  // Grants whose owner's sessions all ended long enough ago go, with the links picked through them.
  const grantRetention = new GrantRetention({ db: companion.db, logger: companion.logger, retentionDays: config.grants.retentionDays });
  grantRetention.start();
  const removals = handleRemovalSweep(companion);
  removals.start();
  // Rate-limit counters and storage reservations past their time go.
  const counterSweep = expiredCounterSweep(companion.db, companion.logger);
  counterSweep.start();
  const apps = AppRegistry.of(companion.db);
  // Which isolation LibreOffice conversions get on this machine, said once at start.
  void logOfficeIsolation(companion.logger);
  const api = new Hono()
    .use(appAccess(apps))
    .route('/services', servicesRoutes(companion))
    .route('/session', sessionRoutes(companion))
    .route('/pick', pickRoutes(companion))
    .route('/dialog', dialogRoutes(companion))
    .route('/export', exportRoutes(companion))
    .route('/convert', convertRoutes(companion))
    .route('/file', removeRoutes(companion))
    .route('/', storeRoutes(companion))
    .route('/', writeRoutes(companion))
    // Last: /api/<source>/… for every provider (`/api/alfresco/folders/-my-`).
    .route('/:source', browseRoutes(companion));

  const app = new Hono()
    // Every route's readJson takes its body limit from here (companion/src/requests).
    .use(securityHeaders(companion.publicUrl))
    .use(bodyLimits(config.limits))
    // /healthz and /readyz, for load balancers: no key, never cached.
    .route('/', healthRoutes(companion, lifecycle))
    // What the portal changed on another instance is seen here within a second.
    .use(async (_c, next) => {
      await apps.refreshIfChanged();
      await next();
    })
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
  const close = async (): Promise<void> => {
    await Promise.all([grantRetention.stop(), removals.stop(), counterSweep.stop()]);
    if (wayOut !== outbound) await wayOut.close();
  };
  return Object.assign(app, { close });
}

async function createCompanion(config: CompanionConfig, logger: Logger, db: Db, extraProviders: readonly Provider[], outbound: Outbound, webhooks = new Webhooks({ db, config, logger, outbound })): Promise<Companion> {
  const box = new SecretBox(config.encryptionKey);
  // The apps: seeded from the configuration, then read from the database (the portal edits them).
  const apps = await AppRegistry.open(db, config, box);
  const grants = new GrantStore(db, box);
  // Each grant is refreshed by the provider it came from (the registry is made just below).
  const refresher: TokenRefresher = new TokenRefresher(grants, (grant) => sources.of(grant.source).refresh(grant));
  const sources: ProviderRegistry = new ProviderRegistry([...builtInProviders({ config, publicUrl: publicUrlOf(config), refresher, apps, outbound }), ...extraProviders]);
  for (const app of config.apps) {
    const unknown = app.services.filter((id) => !sources.offers(id));
    if (unknown.length > 0) throw new Error(`apps[${app.apiKey}].services: no source is registered as ${unknown.join(', ')}`);
  }
  return {
    config,
    publicUrl: publicUrlOf(config),
    db,
    box,
    grants,
    sessions: new SessionStore(db),
    handles: new HandleStore(db, webhooks, (source) => sources.clientOf(source)),
    webhooks,
    refresher,
    sources,
    logger,
    outbound,
  };
}
