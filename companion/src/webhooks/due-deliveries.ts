import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** A pending delivery whose attempt is due, with the event it carries: all an attempt needs. */
export interface DueDelivery {
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

/** The URLs with a delivery due at `now`. */
export async function dueUrls(db: Kysely<Database>, now: number): Promise<string[]> {
  const rows = await db.selectFrom('webhook_deliveries').select('url').where('status', '=', 'pending').where('next_attempt_at', '<=', now).groupBy('url').execute();
  return rows.map((row) => row.url);
}

/** Up to `limit` deliveries due at `now` for one URL, oldest due first, leaving out the ids in `taken`. */
export async function dueDeliveries(db: Kysely<Database>, url: string, now: number, limit: number, taken: ReadonlySet<number>): Promise<DueDelivery[]> {
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.event_id', 'd.url', 'd.secret_sealed', 'd.attempts', 'd.max_attempts', 'd.first_attempt_at', 'e.action', 'e.timestamp', 'e.text'])
    .where('d.url', '=', url)
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .limit(limit);
  if (taken.size > 0) query = query.where('d.id', 'not in', [...taken]);
  return query.execute();
}

/** How many deliveries are due at `now`. */
export async function countDue(db: Kysely<Database>, now: number): Promise<number> {
  const due = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .executeTakeFirstOrThrow();
  return Number(due.count);
}

/** When the earliest pending delivery is due (Unix milliseconds), null when none is pending. */
export async function nextDueAt(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('next'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.next === null || row?.next === undefined ? null : Number(row.next);
}
