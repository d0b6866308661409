import { randomBytes } from 'node:crypto';

/**
 * Alfresco tickets as a stock repository hands them out: one ticket per user (useSingleTicketPerUser),
 * valid until an hour passes without it being used (expiryMode AFTER_INACTIVITY, validDuration PT1H).
 */
export class Tickets {
  readonly #byTicket = new Map<string, { userId: string; lastUsed: number }>();

  constructor(private readonly validForMs = 60 * 60 * 1000) {}

  issue(userId: string): string {
    for (const [ticket, entry] of this.#byTicket) {
      if (entry.userId === userId && this.validate(ticket)) return ticket;
    }
    const ticket = `TICKET_${randomBytes(20).toString('hex')}`;
    this.#byTicket.set(ticket, { userId, lastUsed: Date.now() });
    return ticket;
  }

  /** The ticket's user, refreshing its inactivity timer; undefined when unknown or expired. */
  validate(ticket: string): string | undefined {
    const entry = this.#byTicket.get(ticket);
    if (!entry) return undefined;
    if (Date.now() - entry.lastUsed > this.validForMs) {
      this.#byTicket.delete(ticket);
      return undefined;
    }
    entry.lastUsed = Date.now();
    return entry.userId;
  }

  revoke(ticket: string): boolean {
    return this.#byTicket.delete(ticket);
  }

  revokeAll(): void {
    this.#byTicket.clear();
  }
}
