import type { Db } from '../db/database.ts';
import { hashToken, newToken } from '../security/secrets.ts';

const THIRTY_DAYS = 30 * 24 * 60 * 60 * 1000;

/**
 * Browser sessions: the token goes to the page once (in the sign-in popup's message) and only its
 * SHA-256 is kept, so the database alone cannot be used to act as anyone.
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly ttlMs = THIRTY_DAYS,
  ) {}

  async create(grantId: string, appKey: string): Promise<string> {
    const token = newToken();
    const now = Date.now();
    await this.db.insertInto('sessions').values({ token_hash: hashToken(token), grant_id: grantId, app_key: appKey, created_at: now, expires_at: now + this.ttlMs }).execute();
    return token;
  }

  /** The grant id behind a live session of this app; undefined for unknown, expired or other apps' tokens. */
  async grantIdOf(token: string, appKey: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('sessions').select(['grant_id', 'app_key', 'expires_at']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row || row.app_key !== appKey || row.expires_at < Date.now()) return undefined;
    return row.grant_id;
  }

  async delete(token: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
  }
}
