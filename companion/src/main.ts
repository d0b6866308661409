import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { listen } from './listen.ts';
import { createLogger } from './logger.ts';
import { shutDown } from './operations/shutdown.ts';
import { Lifecycle } from './operations/lifecycle.ts';
import { Outbound } from './outbound/index.ts';
import { exposeCollector } from './spent-chunks.ts';
import { refuseDevSecretsBeyondLoopback } from './startup-checks.ts';
import { sweepTemporaryFiles } from './storage/leftovers.ts';
import { Webhooks } from './webhooks/webhooks.ts';

/** Runs the companion on its own: `tsx companion/src/main.ts` (or the package's command, cli.ts), configured by FS_CONFIG and FS_* variables. */
// This process is the companion's own: it may collect spent chunks (V8's --expose-gc, set here and
// never on import; spent-chunks.ts says why it pays).
exposeCollector();
// Temporary files older than this are an earlier run's, cut off by its end (see the sweep below).
const startedAt = Date.now();
try {
  const config = loadConfig();
  // Every line carries the instance id: several instances write into one log store.
  const logger = createLogger(undefined, undefined, { instance: config.instanceId });
  // The embedded dev settings (their password, their client secret) never serve beyond loopback.
  refuseDevSecretsBeyondLoopback(config, { configured: Boolean(process.env.FS_CONFIG) });
  const db = await openDatabase(config.database);
  // One way out for the app and the webhook worker, closed once both have stopped.
  const outbound = new Outbound();
  // The webhook worker delivers what the database holds, including what an earlier run left undelivered.
  const webhooks = new Webhooks({ db, config, logger, outbound });
  const lifecycle = new Lifecycle();
  const app = await buildApp(config, { logger, db, webhooks, outbound, lifecycle });
  const server = await listen(app, { host: config.host, port: config.port });
  // A port picked at listen time (0 in the configuration) is the companion's own too: no checked URL reaches it.
  outbound.addOwnPort(server.port);
  webhooks.start();
  logger.info({ url: server.url, instances: config.instances }, 'companion listening');
  // What a killed run was writing into local storage, swept after listening so a large folder does not
  // delay the start; the temporary names are never served, so nothing half-written is visible meanwhile.
  sweepTemporaryFiles(config.storage.local.root, { before: startedAt }).then(
    (removed) => logger.info({ removed }, 'storage: swept temporary files left by earlier runs'),
    (error: unknown) => logger.warn({ err: error }, 'storage: could not sweep temporary files left by earlier runs'),
  );
  const stop = (signal: NodeJS.Signals): void => {
    if (lifecycle.shuttingDown) return logger.info({ signal }, 'shutdown: already stopping');
    shutDown({ signal, deadlineMs: config.shutdown.deadlineMs, lifecycle, server, app, webhooks, outbound, db, logger }).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown: failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop).on('SIGTERM', stop);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
