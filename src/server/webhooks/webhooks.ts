import { sql, type Kysely, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { AppRegistry } from '../apps/registry.ts';
import { publicUrlOf, type CompanionConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { SecretBox } from '../security/secrets.ts';
import type { WebhookAction } from './actions.ts';
import { eventBody, type NewWebhookEvent } from './events.ts';
import { httpSender, type WebhookSender } from './send.ts';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './signature.ts';

/** A database or an open transaction: events are written with whatever the change is written with. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** One delivery in the log, with its attempts. Times are Unix milliseconds. */
export interface DeliveryLogEntry {
  id: number;
  eventId: number;
  action: WebhookAction;
  url: string;
  status: DeliveryStatus;
  attempts: Array<{ attempt: number; at: number; durationMs: number; status: number | null; ok: boolean; error: string | null; nextAttemptAt: number | null }>;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  createdAt: number;
}

/**
 * When each attempt is due, counted from the FIRST attempt (the guide's schedule): at once, +5 min,
 * +1 h, +12 h. After the fourth failure the delivery is failed (a person may retry it by hand).
 */
export const RETRY_SCHEDULE_MS = [0, 5 * 60_000, 60 * 60_000, 12 * 60 * 60_000] as const;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhooksOptions {
  db: Kysely<Database>;
  /** The apps (their `webhooks`), the encryption key and the public URL. */
  config: CompanionConfig;
  logger?: Logger;
  /** Seals the URLs' secrets in the database; by default one made from `config.encryptionKey`. */
  box?: SecretBox;
  /** The clock, Unix milliseconds; tests move it to reach the retries without waiting hours. */
  now?: () => number;
  /** How deliveries are sent; node:http(s) with keep-alive connections by default. */
  send?: WebhookSender;
  /** A 2xx within this many milliseconds is success; 10 s by default. */
  timeoutMs?: number;
  /** Deliveries in flight to one URL at a time; 16 by default. Each URL has its own. */
  concurrencyPerUrl?: number;
  /** With no wake, due deliveries are looked for at least this often; 1 s by default. */
  pollMs?: number;
}

interface DueDelivery {
  id: number;
  event_id: number;
  url: string;
  secret_sealed: string;
  attempts: number;
  max_attempts: number;
  first_attempt_at: number | null;
  action: string;
  timestamp: number;
  text: string;
}

interface UrlQueue {
  pending: DueDelivery[];
  active: number;
  /** Ids queued or in flight, so a scan does not take them twice. */
  ids: Set<number>;
  /** The last look filled the buffer: more may be due in the database. */
  more: boolean;
}

/** One finished attempt, to be written. */
interface AttemptRecord {
  deliveryId: number;
  /** The delivery's attempt count when the worker took it; the write applies only if it is unchanged. */
  previousAttempts: number;
  attempt: number;
  status: DeliveryStatus;
  firstAt: number;
  nextAt: number | null;
  result: AttemptResult;
}

interface AttemptResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  startedAt: number;
  durationMs: number;
  /** The worker was stopped during the attempt. */
  stopped: boolean;
}

/** How long finished attempts gather before they are written together. */
const WRITE_DELAY_MS = 5;

/** Deliveries a URL may have waiting in memory; the rest stay in the database until there is room. */
const BUFFER_PER_URL = 256;

/**
 * The webhook outbox and its delivery worker.
 *
 * `emit(executor, appKey, event)` writes the event and one delivery per subscribed URL with the
 * executor it is given — the transaction of the change it reports — so an event exists exactly when
 * its change does. The worker (`start()`) sends due deliveries: POST JSON, `FS-Timestamp` and
 * `FS-Signature`, 2xx within `timeoutMs` is success, else the next attempt per {@link RETRY_SCHEDULE_MS}.
 * Everything it needs is in the database, so a restart (even after SIGKILL) resumes where it was: a
 * delivery in flight when the process died is sent again (receivers should treat the event `id` as
 * the idempotency key), and the log of successful attempts holds each delivery once.
 *
 * Each URL has its own queue and concurrency, so a slow or dead URL never delays another. One process
 * works a database (SQLite); several companions on one PostgreSQL database would need row leases.
 */
export class Webhooks {
  readonly publicUrl: string;
  readonly #db: Kysely<Database>;
  readonly #apps: Promise<AppRegistry>;
  readonly #box: SecretBox;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #send: WebhookSender;
  readonly #timeoutMs: number;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #sealed = new Map<string, string>();
  readonly #opened = new Map<string, string>();
  readonly #queues = new Map<string, UrlQueue>();
  #running = false;
  #stopping = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #scanning: Promise<void> | undefined;
  #rescan = false;
  #wakeQueued = false;
  #idleWaiters: Array<() => void> = [];
  #writes: Array<{ record: AttemptRecord; done: (error?: Error) => void }> = [];
  #writing = false;

  constructor({ db, config, logger, box, now = Date.now, send, timeoutMs = 10_000, concurrencyPerUrl = 16, pollMs = 1000 }: WebhooksOptions) {
    this.publicUrl = publicUrlOf(config);
    this.#db = db;
    this.#box = box ?? new SecretBox(config.encryptionKey);
    // The app registry of this database (shared with the companion on it): the webhook URLs the portal edits.
    this.#apps = AppRegistry.open(db, config, this.#box);
    this.#apps.catch(() => undefined);
    this.#logger = logger ?? pino({ level: 'silent' });
    this.#now = now;
    this.#send = send ?? httpSender({ maxSocketsPerUrl: concurrencyPerUrl });
    this.#timeoutMs = timeoutMs;
    this.#concurrency = concurrencyPerUrl;
    this.#pollMs = pollMs;
  }

  /**
   * Writes an event and its deliveries with `executor` (pass the transaction of the change) and
   * returns the event's id. Every event is written, even for an app without webhook URLs (the portal's
   * log); deliveries are made for the URLs that take this action.
   */
  async emit(executor: Executor, appKey: string, event: NewWebhookEvent): Promise<number> {
    const now = this.#now();
    const { id } = await executor
      .insertInto('webhook_events')
      .values({ app_key: appKey, action: event.action, timestamp: Math.floor(now / 1000), text: JSON.stringify(event.text), created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const targets = ((await this.#apps).get(appKey)?.webhooks ?? []).filter((hook) => hook.events === 'all' || hook.events.includes(event.action));
    if (targets.length > 0) {
      await executor
        .insertInto('webhook_deliveries')
        .values(
          targets.map((hook) => ({
            event_id: id,
            app_key: appKey,
            url: hook.url,
            secret_sealed: this.#seal(hook.secret),
            status: 'pending',
            attempts: 0,
            max_attempts: RETRY_SCHEDULE_MS.length,
            first_attempt_at: null,
            next_attempt_at: now,
            last_status: null,
            last_error: null,
            delivered_at: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      // After the caller's commit: on SQLite the worker's query waits for the transaction's connection.
      this.#wakeSoon();
    }
    return id;
  }

  /** Starts delivering (due deliveries at once, then as events come and retries fall due). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopping = new AbortController();
    this.wake();
  }

  /** Stops delivering; attempts in flight are abandoned unrecorded and will be made again after a start. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#stopping.abort();
    await this.#scanning;
    await this.#whenIdle();
  }

  /** Looks for due deliveries now (after an event, or after a test moved the clock). */
  wake(): void {
    if (this.#running) void this.#scan();
  }

  /**
   * Sends everything that is due now and resolves once nothing due is left (retries scheduled for later
   * stay). For tests and benchmarks with an injected clock; works whether or not the worker is started.
   */
  async drain(): Promise<void> {
    for (;;) {
      await this.#scan();
      await this.#whenIdle();
      const due = await this.#db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', this.#now())
        .executeTakeFirstOrThrow();
      if (Number(due.count) === 0) return;
    }
  }

  /**
   * Tries a failed delivery once more, now (the portal's "Retry"). False when there is no such failed
   * delivery for this app.
   */
  async retry(deliveryId: number, appKey?: string): Promise<boolean> {
    const now = this.#now();
    let query = this.#db
      .updateTable('webhook_deliveries')
      .set((eb) => ({ status: 'pending', max_attempts: eb('attempts', '+', 1), next_attempt_at: now, updated_at: now }))
      .where('id', '=', deliveryId)
      .where('status', '=', 'failed');
    if (appKey !== undefined) query = query.where('app_key', '=', appKey);
    const result = await query.executeTakeFirst();
    const changed = Number(result.numUpdatedRows) > 0;
    if (changed) this.wake();
    return changed;
  }

  /**
   * The delivery log of an app, newest first, each delivery with its attempts (status, time, error,
   * next retry): what the portal shows. `status` filters ('failed' for the ones to retry by hand).
   */
  async deliveryLog(appKey: string, { limit = 50, beforeId, status }: { limit?: number; beforeId?: number; status?: DeliveryStatus } = {}): Promise<DeliveryLogEntry[]> {
    let query = this.#db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .select(['d.id', 'd.event_id', 'e.action', 'd.url', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_status', 'd.last_error', 'd.delivered_at', 'd.created_at'])
      .where('d.app_key', '=', appKey)
      .orderBy('d.id', 'desc')
      .limit(Math.min(Math.max(1, limit), 500));
    if (beforeId !== undefined) query = query.where('d.id', '<', beforeId);
    if (status !== undefined) query = query.where('d.status', '=', status);
    const deliveries = await query.execute();
    const ids = deliveries.map((row) => row.id);
    const attempts = ids.length === 0 ? [] : await this.#db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', ids).orderBy('attempt').execute();
    return deliveries.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      action: row.action as WebhookAction,
      url: row.url,
      status: row.status as DeliveryStatus,
      attempts: attempts
        .filter((attempt) => attempt.delivery_id === row.id)
        .map((attempt) => ({ attempt: attempt.attempt, at: attempt.started_at, durationMs: attempt.duration_ms, status: attempt.status_code, ok: attempt.ok === 1, error: attempt.error, nextAttemptAt: attempt.next_attempt_at })),
      nextAttemptAt: row.next_attempt_at,
      lastStatus: row.last_status,
      lastError: row.last_error,
      deliveredAt: row.delivered_at,
      createdAt: row.created_at,
    }));
  }

  #seal(secret: string): string {
    let sealed = this.#sealed.get(secret);
    if (sealed === undefined) {
      sealed = this.#box.seal(secret);
      this.#sealed.set(secret, sealed);
    }
    return sealed;
  }

  #open(sealed: string): string {
    let secret = this.#opened.get(sealed);
    if (secret === undefined) {
      secret = this.#box.open(sealed);
      this.#opened.set(sealed, secret);
    }
    return secret;
  }

  #wakeSoon(): void {
    if (!this.#running || this.#wakeQueued) return;
    this.#wakeQueued = true;
    setImmediate(() => {
      this.#wakeQueued = false;
      this.wake();
    });
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
    const urls = await this.#db.selectFrom('webhook_deliveries').select('url').where('status', '=', 'pending').where('next_attempt_at', '<=', now).groupBy('url').execute();
    for (const { url } of urls) {
      let queue = this.#queues.get(url);
      if (!queue) this.#queues.set(url, (queue = { pending: [], active: 0, ids: new Set(), more: false }));
      const room = BUFFER_PER_URL - queue.ids.size;
      if (room <= 0) continue;
      let query = this.#db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
        .select(['d.id', 'd.event_id', 'd.url', 'd.secret_sealed', 'd.attempts', 'd.max_attempts', 'd.first_attempt_at', 'e.action', 'e.timestamp', 'e.text'])
        .where('d.url', '=', url)
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', now)
        .orderBy('d.next_attempt_at')
        .orderBy('d.id')
        .limit(room);
      if (queue.ids.size > 0) query = query.where('d.id', 'not in', [...queue.ids]);
      const rows = await query.execute();
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
    void this.#db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('next'))
      .where('status', '=', 'pending')
      .executeTakeFirst()
      .then(
        (row) => {
          if (!this.#running) return;
          const next = row?.next === null || row?.next === undefined ? Infinity : Number(row.next) - this.#now();
          clearTimeout(this.#timer);
          this.#timer = setTimeout(() => this.wake(), Math.max(0, Math.min(next, this.#pollMs)));
          this.#timer.unref();
        },
        () => undefined,
      );
  }

  #pump(url: string, queue: UrlQueue): void {
    while (queue.active < this.#concurrency && queue.pending.length > 0) {
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
          this.#wakeSoon();
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
    const attempt = delivery.attempts + 1;
    const result = await this.#attempt(delivery, this.#stopping.signal);
    if (result.stopped) return { recorded: Promise.resolve() }; // not an attempt: made again after the next start
    const firstAt = delivery.first_attempt_at ?? result.startedAt;
    const last = attempt >= delivery.max_attempts;
    const offset = RETRY_SCHEDULE_MS[attempt];
    const nextAt = result.ok || last || offset === undefined ? null : firstAt + offset;
    const status: DeliveryStatus = result.ok ? 'delivered' : nextAt === null ? 'failed' : 'pending';
    if (!result.ok) {
      this.#logger.warn({ deliveryId: delivery.id, eventId: delivery.event_id, url: delivery.url, attempt, status: result.status, error: result.error, nextAttemptAt: nextAt }, status === 'failed' ? 'webhook delivery failed' : 'webhook attempt failed; will retry');
    }
    const record: AttemptRecord = {
      deliveryId: delivery.id,
      previousAttempts: delivery.attempts,
      attempt,
      status,
      firstAt,
      nextAt,
      result,
    };
    const recorded = this.#write(record).catch((error: unknown) => {
      this.#logger.error({ err: error, deliveryId: delivery.id }, 'webhooks: could not record an attempt; it will be made again');
    });
    return { recorded };
  }

  async #attempt(delivery: DueDelivery, stopping: AbortSignal): Promise<AttemptResult> {
    const startedAt = this.#now();
    const began = performance.now();
    const done = (ok: boolean, status: number | null, error: string | null): AttemptResult => ({ ok, status, error, startedAt, durationMs: Math.round(performance.now() - began), stopped: false });
    try {
      const body = eventBody(delivery.event_id, delivery.action as WebhookAction, Number(delivery.timestamp), delivery.text);
      const timestamp = Math.floor(startedAt / 1000);
      const signal = AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), stopping]);
      const response = await this.#send(delivery.url, {
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'fs-picker-webhooks/1',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(this.#open(delivery.secret_sealed), timestamp, body),
        },
        body,
        signal,
      });
      if (response.status >= 200 && response.status <= 299) return done(true, response.status, null);
      return done(false, response.status, `answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    } catch (error) {
      if (stopping.aborted) return { ...done(false, null, 'the companion stopped'), stopped: true };
      const name = (error as Error).name;
      if (name === 'TimeoutError') return done(false, null, `no answer within ${this.#timeoutMs / 1000} s`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return done(false, null, cause?.code ?? cause?.message ?? (error as Error).message);
    }
  }

  /** Attempts are recorded in batches: one transaction (two statements) for all that finished meanwhile. */
  #write(record: AttemptRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#writes.push({ record, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (this.#writing) return;
      // Better-sqlite3 works synchronously: a few milliseconds of answers per transaction, not one each,
      // keeps the event loop free for the deliveries.
      this.#writing = true;
      setTimeout(() => void this.#flush(), WRITE_DELAY_MS);
    });
  }

  async #flush(): Promise<void> {
    this.#writing = true;
    while (this.#writes.length > 0) {
      const batch = this.#writes.splice(0, 500);
      try {
        await this.#db.transaction().execute((trx) => this.#record(trx, batch.map((write) => write.record)));
        for (const write of batch) write.done();
      } catch (error) {
        for (const write of batch) write.done(error instanceof Error ? error : new Error('could not record webhook attempts', { cause: error }));
      }
    }
    this.#writing = false;
  }

  /**
   * Updates the deliveries (only those still pending with the attempt count the worker read, so an
   * attempt is never recorded twice) and logs an attempt for each one updated.
   */
  async #record(trx: Transaction<Database>, records: AttemptRecord[]): Promise<void> {
    const now = this.#now();
    const values = sql.join(
      records.map(
        (r) =>
          sql`(${r.deliveryId}, ${r.previousAttempts}, ${r.status}, ${r.attempt}, ${r.firstAt}, ${r.nextAt}, ${r.result.status}, ${r.result.error}, ${r.result.ok ? r.result.startedAt + r.result.durationMs : null})`,
      ),
    );
    // VALUES columns are column1, column2, … in SQLite and PostgreSQL alike.
    const updated = await sql<{ id: number }>`
      UPDATE webhook_deliveries SET status = v.column3, attempts = v.column4, first_attempt_at = v.column5, next_attempt_at = v.column6,
        last_status = v.column7, last_error = v.column8, delivered_at = v.column9, updated_at = ${now}
      FROM (VALUES ${values}) AS v
      WHERE webhook_deliveries.id = v.column1 AND webhook_deliveries.status = 'pending' AND webhook_deliveries.attempts = v.column2
      RETURNING webhook_deliveries.id AS id`.execute(trx);
    const recorded = new Set(updated.rows.map((row) => Number(row.id)));
    const attempts = records
      .filter((r) => recorded.has(r.deliveryId))
      .map((r) => ({
        delivery_id: r.deliveryId,
        attempt: r.attempt,
        started_at: r.result.startedAt,
        duration_ms: r.result.durationMs,
        status_code: r.result.status,
        ok: r.result.ok ? 1 : 0,
        error: r.result.error,
        next_attempt_at: r.nextAt,
      }));
    if (attempts.length > 0) await trx.insertInto('webhook_attempts').values(attempts).execute();
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

