import type { Logger } from 'pino';
import type { CompanionApp } from '../app.ts';
import type { Db } from '../db/database.ts';
import type { Listening } from '../listen.ts';
import type { Outbound } from '../outbound/index.ts';
import type { Webhooks } from '../webhooks/webhooks.ts';
import type { Lifecycle } from './lifecycle.ts';

export interface Running {
  signal: NodeJS.Signals;
  deadlineMs: number;
  lifecycle: Lifecycle;
  server: Listening;
  app: CompanionApp;
  webhooks: Webhooks;
  outbound: Outbound;
  db: Db;
  /** The root logger: its lines carry the instance id. */
  logger: Logger;
}

/**
 * The companion's orderly stop, each step logged: /readyz says 503 and no connection is accepted any
 * more; requests and downloads in flight finish, up to `deadlineMs`, then what is left is cut; the
 * webhook worker stops (and gives up what it had taken), the app's periodic jobs end, outbound
 * connections close, and the database's connections (the pool) last, since every step before may write.
 */
export async function shutDown({ signal, deadlineMs, lifecycle, server, app, webhooks, outbound, db, logger }: Running): Promise<void> {
  lifecycle.beginShutdown();
  // Drain closes the listening socket at once: only then is "not accepting" true, and logged.
  const draining = server.drain(deadlineMs);
  logger.info({ signal, deadlineMs }, 'shutdown: not ready any more and not accepting connections; finishing requests in flight');
  const { cut } = await draining;
  if (cut > 0) logger.warn({ cut, deadlineMs }, 'shutdown: the deadline passed; cut the connections still open');
  else logger.info('shutdown: every request in flight finished');
  await webhooks.stop();
  logger.info('shutdown: webhook worker stopped');
  await app.close();
  await outbound.close();
  logger.info('shutdown: periodic jobs and outbound connections closed');
  await db.destroy();
  logger.info('shutdown: database closed; exiting');
}
