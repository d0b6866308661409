import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { SecretBox } from '../security/secrets.ts';

/** A person's connection to a source for one app, with its secrets in the clear (only ever in memory). */
export interface Grant {
  id: string;
  appKey: string;
  source: string;
  userId: string;
  userName: string;
  kind: 'oauth' | 'ticket';
  accessToken: string;
  refreshToken: string | undefined;
  /** Unix ms when the access token expires; undefined when the source does not say. */
  expiresAt: number | undefined;
}

export type NewGrant = Omit<Grant, 'id'>;

/** Grants in the database; tokens are sealed on the way in and opened on the way out. */
export class GrantStore {
  constructor(
    readonly db: Db,
    private readonly box: SecretBox,
  ) {}

  async create(grant: NewGrant): Promise<Grant> {
    const id = randomUUID();
    const now = Date.now();
    await this.db
      .insertInto('grants')
      .values({
        id,
        app_key: grant.appKey,
        source: grant.source,
        user_id: grant.userId,
        user_name: grant.userName,
        kind: grant.kind,
        access_sealed: this.box.seal(grant.accessToken),
        refresh_sealed: grant.refreshToken === undefined ? null : this.box.seal(grant.refreshToken),
        expires_at: grant.expiresAt ?? null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { ...grant, id };
  }

  async get(id: string): Promise<Grant | undefined> {
    const row = await this.db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      appKey: row.app_key,
      source: row.source,
      userId: row.user_id,
      userName: row.user_name,
      kind: row.kind === 'oauth' ? 'oauth' : 'ticket',
      accessToken: this.box.open(row.access_sealed),
      refreshToken: row.refresh_sealed === null ? undefined : this.box.open(row.refresh_sealed),
      expiresAt: row.expires_at ?? undefined,
    };
  }

  async updateTokens(id: string, tokens: { accessToken: string; refreshToken: string | undefined; expiresAt: number | undefined }): Promise<void> {
    await this.db
      .updateTable('grants')
      .set({
        access_sealed: this.box.seal(tokens.accessToken),
        refresh_sealed: tokens.refreshToken === undefined ? null : this.box.seal(tokens.refreshToken),
        expires_at: tokens.expiresAt ?? null,
        updated_at: Date.now(),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Deletes the grant; its sessions go with it. */
  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('grants').where('id', '=', id).execute();
  }
}
