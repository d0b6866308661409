import type { Db } from '../db/database.ts';
import { addressKey } from '../requests/client-address.ts';
import { AttemptLimit, type Reservation } from '../security/attempt-limit.ts';

/** Unix milliseconds; tests move it. */
export interface PasswordLimitsOptions {
  now?: () => number;
}

/** A password try let through: settle it with what the source answered. */
export interface PasswordTry {
  /** The source refused the user name and password. */
  wrong(): Promise<void>;
  /** The source accepted them. */
  right(): Promise<void>;
  /** The source could not be asked (unreachable): the try counts for nothing. */
  undecided(): Promise<void>;
}

/**
 * The limits on wrong passwords at the ticket sign-in form. Three, each counting a try from the moment it
 * is let through (before the source is asked), so parallel tries cannot slip past:
 * - per address and user name: 5 wrong in 15 minutes (one person mistyping, or one guesser on one account);
 * - per address, whatever the user name: 20 wrong in 15 minutes (one guesser spraying user names);
 * - per user name, from every address: 10 wrong in 5 minutes (guessers spread over many addresses).
 * The last is the only one that can hold up the real person from their own address, so it is short, and
 * above what a single address can reach (5): one attacker alone never locks anyone out, and many lock a
 * user out for 5 minutes at a time, no longer, while they keep going. Addresses are the client's
 * (`trustedProxies`), IPv6 ones counted per /64. Counted in the database: every instance on it counts into
 * the same windows.
 */
export class PasswordLimits {
  readonly #perAddressAndUser: AttemptLimit;
  readonly #perAddress: AttemptLimit;
  readonly #perUser: AttemptLimit;

  constructor(db: Db, { now = () => Date.now() }: PasswordLimitsOptions = {}) {
    this.#perAddressAndUser = new AttemptLimit(db, { kind: 'password:address-user', now, maxFailures: 5, windowMs: 15 * 60_000 });
    this.#perAddress = new AttemptLimit(db, { kind: 'password:address', now, maxFailures: 20, windowMs: 15 * 60_000 });
    this.#perUser = new AttemptLimit(db, { kind: 'password:user', now, maxFailures: 10, windowMs: 5 * 60_000 });
  }

  /** Lets a try through and counts it, or says how long to wait. */
  async reserve(address: string, username: string): Promise<{ ok: true; attempt: PasswordTry } | { ok: false; retryAfterS: number }> {
    const client = addressKey(address);
    const user = username.toLowerCase();
    const asked: Array<[AttemptLimit, string]> = [
      [this.#perAddressAndUser, `${client}\n${user}`],
      [this.#perAddress, client],
      [this.#perUser, user],
    ];
    const reserved: Reservation[] = [];
    for (const [limit, key] of asked) {
      const result = await limit.reserve(key);
      if (!result.ok) {
        await Promise.all(reserved.map((reservation) => reservation.release()));
        return result;
      }
      reserved.push(result.reservation);
    }
    const [addressAndUser, byAddress, byUser] = reserved as [Reservation, Reservation, Reservation];
    return {
      ok: true,
      attempt: {
        wrong: async () => void (await Promise.all(reserved.map((reservation) => reservation.fail()))),
        right: async () => {
          // One right password does not wipe what this address guessed at other accounts.
          await Promise.all([addressAndUser.succeed(), byUser.succeed(), byAddress.release()]);
        },
        undecided: async () => void (await Promise.all(reserved.map((reservation) => reservation.release()))),
      },
    };
  }
}
