import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { AppRegistry } from '../apps/registry.ts';
import { publicUrlOf, type CompanionConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Outbound } from '../outbound/index.ts';
import { SecretBox } from '../security/secrets.ts';
import { AttemptRecorder } from './attempt-recorder.ts';
import { attemptDelivery } from './attempt.ts';
import { deliveryLog, reopenFailedDelivery, type DeliveryLogEntry, type DeliveryLogQuery } from './delivery-log.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import type { DueDelivery } from './due-deliveries.ts';
import { openEventText } from './event-text.ts';
import type { NewWebhookEvent } from './events.ts';
import { Outbox, type Executor } from './outbox.ts';
import { EventRetention } from './retention.ts';
import { RETRY_SCHEDULE_MS, type DeliveryStatus } from './retry-schedule.ts';
import { SecretCache } from './secret-cache.ts';
import { signingAt } from './signing-keys.ts';
import { httpSender, type OutboundSender, type WebhookSender } from './send.ts';

// The public names stay importable from here, where they always were.
export type { Executor } from './outbox.ts';
export type { DeliveryLogEntry } from './delivery-log.ts';
export { RETRY_SCHEDULE_MS, type DeliveryStatus };

export interface WebhooksOptions {
  db: Kysely<Database>;
  /** The apps (their `webhooks`), the encryption key, the public URL and `webhooks.retentionDays`. */
  config: CompanionConfig;
  logger?: Logger;
  /** Seals the URLs' secrets in the database; by default one made from `config.encryptionKey`. */
  box?: SecretBox;
  /** The clock, Unix milliseconds; tests move it to reach the retries without waiting hours. */
  now?: () => number;
  /** How deliveries are sent; through `outbound`, with keep-alive connections, by default. */
  send?: WebhookSender;
  /** The companion's way out (closed by its owner); without it the default sender has its own, closed by `stop()`. */
  outbound?: Outbound;
  /** A 2xx within this many milliseconds is success; 10 s by default. */
  timeoutMs?: number;
  /** Deliveries in flight to one URL at a time; 16 by default. Each URL has its own. */
  concurrencyPerUrl?: number;
  /** With no wake, due deliveries are looked for at least this often; 1 s by default. */
  pollMs?: number;
  /**
   * The owner of the deliveries this worker takes: `config.instanceId` and a random part by default, so
   * each run (and each worker, even two in one process) holds its own leases.
   */
  leaseOwner?: string;
  /**
   * How long a taken delivery stays this instance's without renewal: after it dies, another instance
   * takes its deliveries over this long after its last renewal. `webhooks.leaseSeconds` (60) by default; keep it well above `timeoutMs`.
   */
  leaseMs?: number;
}

/**
 * The webhook outbox and its delivery worker.
 *
 * `emit(executor, appKey, event)` writes the event and one delivery per subscribed URL with the
 * executor it is given — the transaction of the change it reports — so an event exists exactly when
 * its change does. The worker (`start()`) sends due deliveries: POST JSON signed in the URL's scheme
 * (FS-Signature or Standard Webhooks, see signing-keys.ts), 2xx within `timeoutMs` is success, else the next attempt per {@link RETRY_SCHEDULE_MS}.
 * Everything it needs is in the database, so a restart (even after SIGKILL) resumes where it was: a
 * delivery in flight when the process died is sent again (receivers should treat the event `id` as
 * the idempotency key), and the log of successful attempts holds each delivery once. While it runs,
 * finished events older than `webhooks.retentionDays` are deleted with their deliveries and attempts.
 *
 * Each URL has its own queue and concurrency, so a slow or dead URL never delays another. Any number of
 * companions may deliver from one database: each delivery is taken with a lease, so each attempt is made
 * by one of them, and one that dies has its deliveries taken over once its leases lapse (`leaseMs`).
 *
 * This class wires the parts together: {@link Outbox} (writing events), {@link DeliveryWorker}
 * (sending them), {@link AttemptRecorder} (writing attempts), {@link EventRetention} (deleting old
 * ones) and the delivery log's queries.
 */
export class Webhooks {
  readonly publicUrl: string;
  readonly #db: Kysely<Database>;
  readonly #now: () => number;
  readonly #outbox: Outbox;
  readonly #worker: DeliveryWorker;
  readonly #retention: EventRetention;
  readonly #sender: OutboundSender | undefined;

  constructor({ db, config, logger, box, now = Date.now, send, outbound, timeoutMs = 10_000, concurrencyPerUrl = 16, pollMs = 1000, leaseOwner = `${config.instanceId}.${randomBytes(3).toString('hex')}`, leaseMs = config.webhooks.leaseSeconds * 1000 }: WebhooksOptions) {
    this.publicUrl = publicUrlOf(config);
    this.#db = db;
    this.#now = now;
    const secretBox = box ?? new SecretBox(config.encryptionKey);
    const secrets = new SecretCache(secretBox);
    // The app registry of this database (shared with the companion on it): the webhook URLs the portal edits.
    const apps = AppRegistry.open(db, config, secretBox);
    apps.catch(() => undefined);
    // Attempts sign with the URLs' secrets of the moment, read from the registry's copy in memory.
    let registry: AppRegistry | undefined;
    void apps.then((opened) => (registry = opened), () => undefined);
    const signing = (delivery: DueDelivery, at: number) => {
      void registry?.refreshIfChanged();
      return signingAt(registry, delivery.url, secrets.open(delivery.secret_sealed), at);
    };
    this.#outbox = new Outbox({ apps, secrets, box: secretBox, now });
    const sender = send ?? (this.#sender = httpSender({ maxSocketsPerUrl: concurrencyPerUrl, outbound, allowPrivate: config.outbound.allowPrivateTargets }));
    const recorder = new AttemptRecorder({ db, now, owner: leaseOwner });
    const log = logger ?? pino({ level: 'silent' });
    this.#worker = new DeliveryWorker({
      db,
      logger: log,
      now,
      concurrencyPerUrl,
      pollMs,
      lessee: { owner: leaseOwner, leaseMs },
      attempt: (delivery, stopping) => attemptDelivery(delivery, stopping, { send: sender, timeoutMs, now, signing, openText: (stored) => openEventText(secretBox, stored) }),
      record: (record) => recorder.write(record),
    });
    this.#retention = new EventRetention({ db, logger: log, now, retentionDays: config.webhooks.retentionDays });
  }

  /**
   * Writes an event and its deliveries with `executor` (pass the transaction of the change) and
   * returns the event's id. Every event is written, even for an app without webhook URLs (the portal's
   * log); deliveries are made for the URLs that take this action.
   */
  async emit(executor: Executor, appKey: string, event: NewWebhookEvent): Promise<number> {
    const { id, deliveries } = await this.#outbox.record(executor, appKey, event);
    // After the caller's commit: on SQLite the worker's query waits for the transaction's connection.
    if (deliveries > 0) this.#worker.wakeSoon();
    return id;
  }

  /**
   * Starts delivering (due deliveries at once, then as events come and retries fall due) and pruning
   * (at once, then hourly).
   */
  start(): void {
    this.#worker.start();
    this.#retention.start();
  }

  /** Stops delivering and pruning; attempts in flight are abandoned unrecorded and will be made again after a start. */
  async stop(): Promise<void> {
    await Promise.all([this.#worker.stop(), this.#retention.stop()]);
    await this.#sender?.close();
  }

  /** Looks for due deliveries now (after an event, or after a test moved the clock). */
  wake(): void {
    this.#worker.wake();
  }

  /**
   * Sends everything that is due now and resolves once nothing due is left (retries scheduled for later
   * stay). For tests and benchmarks with an injected clock; works whether or not the worker is started.
   */
  drain(): Promise<void> {
    return this.#worker.drain();
  }

  /**
   * Deletes finished events older than the retention now (by the injected clock), with their deliveries
   * and attempts, and resolves with how many events went. The worker does this hourly by itself.
   */
  prune(): Promise<number> {
    return this.#retention.prune();
  }

  /**
   * Tries a failed delivery once more, now (the portal's "Retry"). False when there is no such failed
   * delivery for this app.
   */
  async retry(deliveryId: number, appKey?: string): Promise<boolean> {
    const changed = await reopenFailedDelivery(this.#db, this.#now(), deliveryId, appKey);
    if (changed) this.wake();
    return changed;
  }

  /**
   * The delivery log of an app, newest first, each delivery with its attempts (status, time, error,
   * next retry): what the portal shows. `status` filters ('failed' for the ones to retry by hand).
   */
  deliveryLog(appKey: string, options: DeliveryLogQuery = {}): Promise<DeliveryLogEntry[]> {
    return deliveryLog(this.#db, appKey, options);
  }
}

