import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { isPostgres } from '../db/dialect.ts';
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

/** Who takes deliveries, and for how long a lease holds before another instance may take them over. */
export interface Lessee {
  /** This instance's id. */
  owner: string;
  leaseMs: number;
}

type Deliveries = ExpressionBuilder<Database, 'webhook_deliveries'>;

/** Pending, due at `now`, and held by no live lease (none, or one that ran out: its instance died or stalled). */
function takeable(eb: Deliveries, now: number): Expression<SqlBool> {
  return eb.and([
    eb('status', '=', 'pending'),
    eb('next_attempt_at', '<=', now),
    eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]),
  ]);
}

/** The URLs with a delivery that can be taken at `now`. */
export async function dueUrls(db: Kysely<Database>, now: number): Promise<string[]> {
  const rows = await db.selectFrom('webhook_deliveries').select('url').where((eb) => takeable(eb, now)).groupBy('url').execute();
  return rows.map((row) => row.url);
}

/**
 * Takes up to `limit` due deliveries of one URL, oldest due first, leasing them to `lessee.owner`, and
 * returns them with their events. On PostgreSQL the rows are picked FOR UPDATE SKIP LOCKED: instances
 * taking at the same moment each get other rows, and none waits for another. On SQLite one writer at a
 * time does the same.
 */
export async function takeDeliveries(db: Kysely<Database>, url: string, now: number, limit: number, { owner, leaseMs }: Lessee): Promise<DueDelivery[]> {
  const postgres = isPostgres(db);
  const taken = await db
    .updateTable('webhook_deliveries')
    .set({ lease_owner: owner, lease_until: now + leaseMs })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('url', '=', url)
        .where((inner) => takeable(inner, now))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .$if(postgres, (query) => query.forUpdate().skipLocked()),
    )
    .returning('id')
    .execute();
  if (taken.length === 0) return [];
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.event_id', 'd.url', 'd.secret_sealed', 'd.attempts', 'd.max_attempts', 'd.first_attempt_at', 'e.action', 'e.timestamp', 'e.text'])
    .where('d.id', 'in', taken.map((row) => row.id))
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .execute();
}

/** Extends the leases `owner` holds, so deliveries waiting in its queue are not taken over while it lives. */
export async function renewLeases(db: Kysely<Database>, now: number, { owner, leaseMs }: Lessee): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ lease_until: now + leaseMs }).where('lease_owner', '=', owner).where('status', '=', 'pending').execute();
}

/** Lets go of every lease `owner` holds (a stopping instance): another instance takes them at once. */
export async function releaseLeases(db: Kysely<Database>, owner: string): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner).execute();
}

/** How many deliveries can be taken at `now`. */
export async function countDue(db: Kysely<Database>, now: number): Promise<number> {
  const due = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where((eb) => takeable(eb, now))
    .executeTakeFirstOrThrow();
  return Number(due.count);
}

/**
 * When a pending delivery can next be taken (Unix milliseconds): when it falls due, or when the lease
 * another instance holds on it runs out. Null when none is pending.
 */
export async function nextDueAt(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select(sql<number | null>`min(CASE WHEN lease_until > next_attempt_at THEN lease_until ELSE next_attempt_at END)`.as('next'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.next === null || row?.next === undefined ? null : Number(row.next);
}
