/**
 * When each attempt is due, counted from the FIRST attempt (the guide's schedule): at once, +5 min,
 * +1 h, +12 h. After the fourth failure the delivery is failed (a person may retry it by hand).
 */
export const RETRY_SCHEDULE_MS = [0, 5 * 60_000, 60 * 60_000, 12 * 60 * 60_000] as const;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** Where a delivery stands after an attempt: its number, the delivery's status and when the next is due. */
export interface AttemptOutcome {
  attempt: number;
  status: DeliveryStatus;
  /** When the first attempt was made (this one, if it was the first): the schedule counts from it. */
  firstAt: number;
  /** Null once delivered or failed. */
  nextAt: number | null;
}

/**
 * What an attempt that started at `startedAt` makes of its delivery. `max_attempts` may exceed the
 * schedule (a manual retry allows one more); past the schedule's end there is no further retry.
 */
export function afterAttempt(
  delivery: { attempts: number; max_attempts: number; first_attempt_at: number | null },
  result: { ok: boolean; startedAt: number },
): AttemptOutcome {
  const attempt = delivery.attempts + 1;
  const firstAt = delivery.first_attempt_at ?? result.startedAt;
  const last = attempt >= delivery.max_attempts;
  const offset = RETRY_SCHEDULE_MS[attempt];
  const nextAt = result.ok || last || offset === undefined ? null : firstAt + offset;
  const status: DeliveryStatus = result.ok ? 'delivered' : nextAt === null ? 'failed' : 'pending';
  return { attempt, status, firstAt, nextAt };
}
