import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { listen } from './listen.ts';
import { createLogger } from './logger.ts';

/** Runs the companion on its own: `tsx src/server/main.ts`, configured by FS_CONFIG and FS_* variables. */
const logger = createLogger();
try {
  const config = loadConfig();
  const server = await listen(await buildApp(config, { logger }), { host: config.host, port: config.port });
  logger.info({ url: server.url }, 'companion listening');
  const stop = (): void => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
