import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { withJobLock } from './job-lock.ts';

export interface PeriodicJobOptions {
  /** What the job does; `signal` is aborted when the job stops, so long work can end between steps. */
  run: (signal: AbortSignal) => Promise<number>;
  everyMs: number;
  logger: Logger;
  /** Logged, with the error, when a scheduled run fails. */
  failure: string;
  /** The job's name and the database every instance shares: the job runs on one instance at a time. */
  lock: { db: Kysely<Database>; name: string };
}

/**
 * Housekeeping that runs when the companion starts and then on a timer: one run at a time (a run asked
 * for while another is going waits for it), never keeping the process alive, and stopped cleanly. Of
 * several instances on one database, one runs it at a time (jobs/job-lock.ts); a run that finds another
 * instance at it does nothing and resolves with 0.
 */
export class PeriodicJob {
  readonly #options: PeriodicJobOptions;
  #timer: NodeJS.Timeout | undefined;
  #stopping = new AbortController();
  #running: Promise<number> = Promise.resolve(0);

  constructor(options: PeriodicJobOptions) {
    this.#options = options;
  }

  /** Runs now, then every `everyMs`; a failed scheduled run is logged, not thrown. */
  start(): void {
    if (this.#timer) return;
    this.#stopping = new AbortController();
    const scheduled = (): void => {
      this.runNow().catch((error: unknown) => this.#options.logger.error({ err: error }, this.#options.failure));
    };
    this.#timer = setInterval(scheduled, this.#options.everyMs);
    this.#timer.unref();
    scheduled();
  }

  /** Stops the timer and waits for a run in progress, which is told to stop through its signal. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stopping.abort();
    await this.#running.catch(() => undefined);
  }

  /** Runs once more, after the run in progress if there is one; resolves with what the run returned. */
  runNow(): Promise<number> {
    const signal = this.#stopping.signal;
    const { db, name } = this.#options.lock;
    const run = this.#running.catch(() => 0).then(() => withJobLock(db, name, () => this.#options.run(signal), 0));
    this.#running = run;
    return run;
  }
}
