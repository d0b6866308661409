import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { CompanionConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { pendingMigrations } from './migration-state.ts';
import { storageProblem } from './storage-reachable.ts';

/** Each check's answer: "ok", or a short reason that names no setting and no internal error. */
export interface ReadinessChecks {
  database: string;
  migrations: string;
  storage: string;
}

/** A check that has not answered by then is a failed one: a load balancer's probe must get an answer. */
const CHECK_TIMEOUT_MS = 5_000;

/**
 * Whether this instance can serve: the database answers, every migration this code knows has run, and
 * the storage stores go to takes files. Once the migrations were all seen applied they are not read
 * again (they do not un-apply); the database and the storage are asked on every call.
 */
export class Readiness {
  #migrated = false;
  #lastSaid: string | undefined;

  constructor(private readonly deps: { db: Db; config: CompanionConfig; logger: Logger }) {}

  async check(): Promise<{ ok: boolean; checks: ReadinessChecks }> {
    const [database, storage] = await Promise.all([this.#databaseAndMigrations(), within((signal) => storageProblem(this.deps.config, signal), 'storage did not answer in time')]);
    const checks: ReadinessChecks = { ...database, storage: storage ?? 'ok' };
    const ok = Object.values(checks).every((value) => value === 'ok');
    // Said when it changes, not at every probe of the load balancer.
    const said = JSON.stringify(checks);
    if (said !== this.#lastSaid) {
      if (ok) this.deps.logger.info({ checks }, 'readyz: ready');
      else this.deps.logger.warn({ checks }, 'readyz: not ready');
      this.#lastSaid = said;
    }
    return { ok, checks };
  }

  async #databaseAndMigrations(): Promise<Pick<ReadinessChecks, 'database' | 'migrations'>> {
    const { db } = this.deps;
    const database = await within(async () => {
      await sql`SELECT 1`.execute(db);
      return undefined;
    }, 'the database did not answer in time', 'the database cannot be reached');
    if (database !== undefined) return { database, migrations: 'not checked: the database cannot be reached' };
    if (this.#migrated) return { database: 'ok', migrations: 'ok' };
    const pending = await within(async () => {
      const names = await pendingMigrations(db);
      return names.length === 0 ? undefined : `${names.length} migration(s) not applied`;
    }, 'the migrations could not be read in time', 'the migrations could not be read');
    if (pending === undefined) this.#migrated = true;
    return { database: 'ok', migrations: pending ?? 'ok' };
  }
}

/**
 * Runs a check that answers a problem (or undefined when there is none) within CHECK_TIMEOUT_MS: past it
 * `late` is the problem, and a check that throws has `failed` as its problem (its error is not shown).
 */
async function within(check: (signal: AbortSignal) => Promise<string | undefined>, late: string, failed = late): Promise<string | undefined> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => (controller.abort(), resolve(late)), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check(controller.signal).catch(() => failed), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
