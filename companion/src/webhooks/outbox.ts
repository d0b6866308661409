import type { Kysely, Transaction } from 'kysely';
import type { AppRegistry } from '../apps/registry.ts';
import type { Database } from '../db/schema.ts';
import type { SecretBox } from '../security/secrets.ts';
import { sealEventText } from './event-text.ts';
import type { NewWebhookEvent } from './events.ts';
import { RETRY_SCHEDULE_MS } from './retry-schedule.ts';
import type { SecretCache } from './secret-cache.ts';

/** A database or an open transaction: events are written with whatever the change is written with. */
export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The outbox: writes an event and one pending delivery per subscribed URL with the executor it is
 * given (the transaction of the change it reports), so an event exists exactly when its change does.
 */
export class Outbox {
  readonly #apps: Promise<AppRegistry>;
  readonly #secrets: SecretCache;
  readonly #box: SecretBox;
  readonly #now: () => number;

  constructor({ apps, secrets, box, now }: { apps: Promise<AppRegistry>; secrets: SecretCache; box: SecretBox; now: () => number }) {
    this.#apps = apps;
    this.#secrets = secrets;
    this.#box = box;
    this.#now = now;
  }

  /**
   * Writes the event (always, even for an app without webhook URLs: the portal's log) and a delivery
   * for each URL that takes this action, due at once. Returns the event's id and the deliveries made.
   */
  async record(executor: Executor, appKey: string, event: NewWebhookEvent): Promise<{ id: number; deliveries: number }> {
    const now = this.#now();
    const { id } = await executor
      .insertInto('webhook_events')
      .values({ app_key: appKey, action: event.action, timestamp: Math.floor(now / 1000), text: sealEventText(this.#box, event.text), created_at: now })
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
            // The secret as it is now: a later change of the URL's secret does not re-sign old events.
            secret_sealed: this.#secrets.seal(hook.secret),
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
    }
    return { id, deliveries: targets.length };
  }
}
