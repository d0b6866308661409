import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import type { AttemptRecord } from './attempt-recorder.ts';
import type { AttemptResult } from './attempt.ts';
import { countDue, dueUrls, nextDueAt, releaseLeases, renewLeases, takeDeliveries, type DueDelivery, type Lessee } from './due-deliveries.ts';
import { afterAttempt } from './retry-schedule.ts';

export interface DeliveryWorkerOptions {
  db: Kysely<Database>;
  logger: Logger;
  now: () => number;
  /** Deliveries in flight to one URL at a time. */
  concurrencyPerUrl: number;
  /** With no wake, due deliveries are looked for at least this often. */
  pollMs: number;
  /** This instance's id and how long its leases hold (renewed every third of it while it holds any). */
  lessee: Lessee;
  /** Makes one attempt; `stopping` aborts it when the worker stops. */
  attempt: (delivery: DueDelivery, stopping: AbortSignal) => Promise<AttemptResult>;
  /** Writes a finished attempt. */
  record: (record: AttemptRecord) => Promise<void>;
}

interface UrlQueue {
  pending: DueDelivery[];
  active: number;
  /** Ids queued or in flight (leased to this instance until their attempt is written). */
  ids: Set<number>;
  /** The last look filled the buffer: more may be due in the database. */
  more: boolean;
}

/** Deliveries a URL may have waiting in memory; the rest stay in the database until there is room. */
const BUFFER_PER_URL = 256;

/**
 * Takes due deliveries from the database and attempts them. Each URL has its own queue and
 * concurrency, so a slow or dead URL never delays another. It looks again when woken (a new event, a
 * manual retry), when the next retry falls due, and at least every `pollMs`.
 *
 * Every instance on a database runs one. A delivery is taken with a lease (due-deliveries.ts), so each
 * attempt is made by one instance; the lease is renewed while the delivery waits or is in flight, and
 * lapses when its instance dies, so another takes it over; a stopping instance lets go of its leases.
 */
export class DeliveryWorker {
  readonly #db: Kysely<Database>;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #attempt: DeliveryWorkerOptions['attempt'];
  readonly #record: DeliveryWorkerOptions['record'];
  readonly #lessee: Lessee;
  #renewal: NodeJS.Timeout | undefined;
  readonly #queues = new Map<string, UrlQueue>();
  #running = false;
  #stopping = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #scanning: Promise<void> | undefined;
  #rescan = false;
  #wakeQueued = false;
  #idleWaiters: Array<() => void> = [];

  constructor({ db, logger, now, concurrencyPerUrl, pollMs, lessee, attempt, record }: DeliveryWorkerOptions) {
    this.#lessee = lessee;
    this.#db = db;
    this.#logger = logger;
    this.#now = now;
    this.#concurrency = concurrencyPerUrl;
    this.#pollMs = pollMs;
    this.#attempt = attempt;
    this.#record = record;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopping = new AbortController();
    this.#renewal = setInterval(() => this.#renew(), Math.max(1, Math.floor(this.#lessee.leaseMs / 3)));
    this.#renewal.unref();
    this.wake();
  }

  /**
   * Attempts in flight are abandoned unrecorded; resolves once they have let go and this instance's
   * leases are released (another instance makes those attempts).
   */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    clearInterval(this.#renewal);
    this.#stopping.abort();
    await this.#scanning;
    // Queued, not started: left to the next start, or to another instance once the leases are released.
    for (const queue of this.#queues.values()) {
      for (const delivery of queue.pending.splice(0)) queue.ids.delete(delivery.id);
    }
    await this.#whenIdle();
    await releaseLeases(this.#db, this.#lessee.owner).catch((error: unknown) => {
      this.#logger.warn({ err: error }, 'webhooks: could not release leases; they lapse by themselves');
    });
  }

  #renew(): void {
    if (this.#isIdle()) return;
    renewLeases(this.#db, this.#now(), this.#lessee).catch((error: unknown) => {
      this.#logger.warn({ err: error }, 'webhooks: could not renew leases');
    });
  }

  wake(): void {
    if (this.#running) void this.#scan();
  }

  /** Wakes on the next turn of the event loop: many events written together make one look. */
  wakeSoon(): void {
    if (!this.#running || this.#wakeQueued) return;
    this.#wakeQueued = true;
    setImmediate(() => {
      this.#wakeQueued = false;
      this.wake();
    });
  }

  /** Sends everything due now and resolves once nothing due is left, started or not. */
  async drain(): Promise<void> {
    for (;;) {
      await this.#scan();
      await this.#whenIdle();
      if ((await countDue(this.#db, this.#now())) === 0) return;
    }
  }

  /** One scan at a time; a wake during a scan makes it look again when it ends. */
  #scan(): Promise<void> {
    if (this.#scanning) {
      this.#rescan = true;
      return this.#scanning;
    }
    this.#scanning = (async () => {
      try {
        do {
          this.#rescan = false;
          await this.#scanOnce();
        } while (this.#rescan);
      } catch (error) {
        this.#logger.error({ err: error }, 'webhooks: could not read due deliveries');
      } finally {
        this.#scanning = undefined;
        this.#schedule();
      }
    })();
    return this.#scanning;
  }

  async #scanOnce(): Promise<void> {
    const now = this.#now();
    for (const url of await dueUrls(this.#db, now)) {
      let queue = this.#queues.get(url);
      if (!queue) this.#queues.set(url, (queue = { pending: [], active: 0, ids: new Set(), more: false }));
      const room = BUFFER_PER_URL - queue.ids.size;
      if (room <= 0) continue;
      const rows = await takeDeliveries(this.#db, url, now, room, this.#lessee);
      queue.more = rows.length === room;
      for (const row of rows) {
        queue.ids.add(row.id);
        queue.pending.push(row);
      }
      this.#pump(url, queue);
    }
  }

  /** The next look: when the next retry falls due, but at least every `pollMs`. */
  #schedule(): void {
    clearTimeout(this.#timer);
    if (!this.#running) return;
    void nextDueAt(this.#db).then(
      (nextAt) => {
        if (!this.#running) return;
        const next = nextAt === null ? Infinity : nextAt - this.#now();
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.wake(), Math.max(0, Math.min(next, this.#pollMs)));
        this.#timer.unref();
      },
      () => undefined,
    );
  }

  #pump(url: string, queue: UrlQueue): void {
    while (!this.#stopping.signal.aborted && queue.active < this.#concurrency && queue.pending.length > 0) {
      const delivery = queue.pending.shift()!;
      queue.active++;
      void this.#deliver(delivery).then(({ recorded }) => {
        // The slot is free once the answer is in; the id stays taken until the attempt is written.
        queue.active--;
        this.#pump(url, queue);
        // Room again for this URL: take more of its due deliveries from the database. (New events wake
        // the worker themselves; retries fall due by the timer.)
        if (queue.more && queue.pending.length < BUFFER_PER_URL / 2 && this.#running) {
          queue.more = false;
          this.wakeSoon();
        }
        void recorded.then(() => {
          queue.ids.delete(delivery.id);
          if (queue.ids.size === 0 && this.#queues.get(url) === queue) this.#queues.delete(url);
          this.#checkIdle();
        });
      });
    }
  }

  /** Makes one attempt; resolves when the answer is in, with `recorded` for when it is written. */
  async #deliver(delivery: DueDelivery): Promise<{ recorded: Promise<void> }> {
    const result = await this.#attempt(delivery, this.#stopping.signal);
    if (result.stopped) return { recorded: Promise.resolve() }; // not an attempt: made again after the next start
    const outcome = afterAttempt(delivery, result);
    if (!result.ok) {
      this.#logger.warn(
        { deliveryId: delivery.id, eventId: delivery.event_id, url: delivery.url, attempt: outcome.attempt, status: result.status, error: result.detail ?? result.error, nextAttemptAt: outcome.nextAt },
        outcome.status === 'failed' ? 'webhook delivery failed' : 'webhook attempt failed; will retry',
      );
    }
    const recorded = this.#record({ deliveryId: delivery.id, previousAttempts: delivery.attempts, ...outcome, result }).catch((error: unknown) => {
      this.#logger.error({ err: error, deliveryId: delivery.id }, 'webhooks: could not record an attempt; it will be made again');
    });
    return { recorded };
  }

  #whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    for (const queue of this.#queues.values()) if (queue.ids.size > 0) return false;
    return true;
  }

  #checkIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
