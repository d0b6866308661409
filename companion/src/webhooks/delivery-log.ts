import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { WebhookAction } from 'fs-picker/protocol';
import type { DeliveryStatus } from './retry-schedule.ts';

/**
 * One delivery in the log, with its attempts. Times are Unix milliseconds. An attempt's `error` (and
 * `lastError`) is the receiver's answer, "no answer within N s", or "could not deliver" for a refused or
 * unreachable URL, never which (attempt.ts says why).
 */
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

export interface DeliveryLogQuery {
  /** 50 by default, 500 at most. */
  limit?: number;
  /** Only deliveries older than this one (the next page). */
  beforeId?: number;
  status?: DeliveryStatus;
}

/**
 * The delivery log of an app, newest first, each delivery with its attempts (status, time, error,
 * next retry): what the portal shows. `status` filters ('failed' for the ones to retry by hand).
 */
export async function deliveryLog(db: Kysely<Database>, appKey: string, { limit = 50, beforeId, status }: DeliveryLogQuery = {}): Promise<DeliveryLogEntry[]> {
  let query = db
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
  const attempts = ids.length === 0 ? [] : await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', ids).orderBy('attempt').execute();
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

/**
 * Makes a failed delivery pending again, due at `now`, with one more attempt allowed (the portal's
 * "Retry"). False when there is no such failed delivery (for this app, when `appKey` is given).
 */
export async function reopenFailedDelivery(db: Kysely<Database>, now: number, deliveryId: number, appKey?: string): Promise<boolean> {
  let query = db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ status: 'pending', max_attempts: eb('attempts', '+', 1), next_attempt_at: now, updated_at: now }))
    .where('id', '=', deliveryId)
    .where('status', '=', 'failed');
  if (appKey !== undefined) query = query.where('app_key', '=', appKey);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
