import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { hashToken, newToken } from '../security/secrets.ts';
import { deleteEvent, uploadEvent, type NewWebhookEvent } from '../webhooks/events.ts';
import type { Executor, Webhooks } from '../webhooks/webhooks.ts';

/** A file the companion can serve at /api/file/:handle. */
export interface FileHandle {
  handle: string;
  appKey: string;
  /** 'link': served from the source with the picking person's grant. 'stored': a copy in a storage location. */
  kind: 'link' | 'stored';
  /** The service it came from: a provider's id ('ALFRESCO'), 'COMPUTER' or 'URL'. */
  source: string;
  grantId: string | undefined;
  /** A link's item at its source, in the provider's own terms. */
  itemId: string | undefined;
  location: string | undefined;
  container: string | undefined;
  key: string | undefined;
  filename: string;
  mimetype: string;
  size: number | undefined;
  createdAt: number;
  /** SHA-256 of the handle token (src/protocol/handle-token.ts); undefined for rows from before tokens. */
  tokenHash: string | undefined;
}

export type NewHandle = Omit<FileHandle, 'handle' | 'createdAt' | 'tokenHash'>;

/** A removed handle whose stored copy is still to be deleted: what storage needs to find it. */
export type PendingRemoval = Pick<FileHandle, 'appKey' | 'kind' | 'location' | 'container' | 'key'> & { handleHash: string };

/** A handle just made, with its token in the clear: it goes to the browser that made it, once, and is kept nowhere. */
export type CreatedHandle = FileHandle & { token: string };

/** The `handleTokens` field of an answer that made `handles` (src/protocol/handle-token.ts). */
export function handleTokensOf(handles: readonly CreatedHandle[]): Record<string, string> {
  return Object.fromEntries(handles.map((handle) => [handle.handle, handle.token]));
}

/** A link handle to an item of the grant's source, served with `grant`: what pick and export both create. */
export function linkHandle(grant: { id: string; appKey: string; source: string }, item: { id: string; name: string; mimetype: string; size: number }): NewHandle {
  return {
    appKey: grant.appKey,
    kind: 'link',
    source: grant.source,
    grantId: grant.id,
    itemId: item.id,
    location: undefined,
    container: undefined,
    key: undefined,
    filename: item.name,
    mimetype: item.mimetype,
    size: item.size,
  };
}

/**
 * The webhook event written with a new handle, in the same transaction: by default `fp.upload` (a
 * pick's symlink or a stored copy). The export and convert routes pass their own (`exportEvent`,
 * `converseEvent` from webhooks/events.ts); `false` writes none.
 */
export type HandleEvent = false | NewWebhookEvent | ((handle: FileHandle) => NewWebhookEvent);

/**
 * Handles in the database. A handle is 20 random URL-safe characters: unguessable, short enough for a URL.
 * With `webhooks`, creating and deleting a handle writes its webhook event in the same transaction.
 * Rows are keyed by the handle's SHA-256 and hold only the SHA-256 of its token, as sessions are kept:
 * a copy of the database file yields no link that works and no token (a handle is 120 random bits, so
 * an unsalted hash cannot be reversed by guessing). Whoever needs the handle itself (webhook events,
 * logs) takes it from the request or from create's answer, never from a row.
 */
export class HandleStore {
  constructor(
    private readonly db: Db,
    private readonly webhooks?: Webhooks,
    /** A source's name in `fp.upload`'s `text.client` (the provider registry's `clientOf`). */
    private readonly clientOf: (source: string) => string = (source) => source,
  ) {}

  /** One handle, with its event (`fp.upload` unless `event` says otherwise). */
  async create(init: NewHandle, { event }: { event?: HandleEvent } = {}): Promise<CreatedHandle> {
    const [handle] = await this.createMany([init], { event });
    return handle!;
  }

  /** Several handles (one pick) in one transaction, each with its event: all of them or none. */
  async createMany(inits: readonly NewHandle[], { event }: { event?: HandleEvent } = {}): Promise<CreatedHandle[]> {
    const now = Date.now();
    const handles = inits.map((init): CreatedHandle => {
      const token = newToken();
      return { ...init, handle: newToken(15), createdAt: now, token, tokenHash: hashToken(token) };
    });
    const write = async (executor: Executor): Promise<void> => {
      for (let start = 0; start < handles.length; start += 500) {
        await executor.insertInto('handles').values(handles.slice(start, start + 500).map(toRow)).execute();
      }
      if (!this.webhooks || event === false) return;
      for (const handle of handles) {
        const chosen = event === undefined ? uploadEvent(this.webhooks.publicUrl, handle, this.clientOf(handle.source)) : typeof event === 'function' ? event(handle) : event;
        await this.webhooks.emit(executor, handle.appKey, chosen);
      }
    };
    if (handles.length === 1 && (!this.webhooks || event === false)) await write(this.db);
    else if (handles.length > 0) await this.db.transaction().execute(write);
    return handles;
  }

  /** The handle's row, looked up by its hash; `handle` in the answer is the one asked for. */
  async get(handle: string): Promise<FileHandle | undefined> {
    const row = await this.db.selectFrom('handles').selectAll().where('handle_hash', '=', hashToken(handle)).where('removing_since', 'is', null).executeTakeFirst();
    if (!row) return undefined;
    return {
      handle,
      appKey: row.app_key,
      kind: row.kind === 'stored' ? 'stored' : 'link',
      source: row.source,
      grantId: row.grant_id ?? undefined,
      itemId: row.item_id ?? undefined,
      location: row.location ?? undefined,
      container: row.container ?? undefined,
      key: row.key ?? undefined,
      filename: row.filename,
      mimetype: row.mimetype,
      size: row.size ?? undefined,
      createdAt: row.created_at,
      tokenHash: row.token_hash ?? undefined,
    };
  }

  /** Whether `token` is the handle token made with `handle` (compared as hashes, in constant time). */
  tokenMatches(handle: FileHandle, token: string | undefined): boolean {
    if (token === undefined || handle.tokenHash === undefined) return false;
    const given = Buffer.from(hashToken(token), 'hex');
    const kept = Buffer.from(handle.tokenHash, 'hex');
    return given.length === kept.length && timingSafeEqual(given, kept);
  }

  /** The new name, type and size after a write. */
  async updateContent(handle: string, content: { filename?: string; mimetype: string; size: number }): Promise<void> {
    await this.db.updateTable('handles').set({ ...content }).where('handle_hash', '=', hashToken(handle)).execute();
  }

  /**
   * Removes a handle: from now on it is not found, and `fp.delete` is written in the same transaction.
   * The row stays, marked, until its stored copy is deleted (`pendingRemovals`, `forget`): a crash in
   * between leaves neither a handle pointing to nothing nor a copy that is never deleted. True when this
   * call removed it (so two concurrent removes make one event).
   */
  async remove(handle: string, now = Date.now()): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('handles')
        .set({ removing_since: now })
        .where('handle_hash', '=', hashToken(handle))
        .where('removing_since', 'is', null)
        .returning('app_key')
        .executeTakeFirst();
      if (!row) return false;
      if (this.webhooks) await this.webhooks.emit(trx, row.app_key, deleteEvent(this.webhooks.publicUrl, { handle }));
      return true;
    });
  }

  /** Removed handles whose stored copy may still exist, oldest first. */
  async pendingRemovals(limit: number): Promise<PendingRemoval[]> {
    const rows = await this.db
      .selectFrom('handles')
      .select(['handle_hash', 'app_key', 'kind', 'location', 'container', 'key'])
      .where('removing_since', 'is not', null)
      .orderBy('removing_since')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ handleHash: row.handle_hash, appKey: row.app_key, kind: row.kind === 'stored' ? 'stored' : 'link', location: row.location ?? undefined, container: row.container ?? undefined, key: row.key ?? undefined }));
  }

  /** Deletes the row of a removed handle, once nothing of it is left in storage. */
  async forget(handleHash: string): Promise<void> {
    await this.db.deleteFrom('handles').where('handle_hash', '=', handleHash).where('removing_since', 'is not', null).execute();
  }
}

function toRow(handle: FileHandle) {
  return {
    handle_hash: hashToken(handle.handle),
    token_hash: handle.tokenHash ?? null,
    app_key: handle.appKey,
    kind: handle.kind,
    source: handle.source,
    grant_id: handle.grantId ?? null,
    item_id: handle.itemId ?? null,
    location: handle.location ?? null,
    container: handle.container ?? null,
    key: handle.key ?? null,
    filename: handle.filename,
    mimetype: handle.mimetype,
    size: handle.size ?? null,
    removing_since: null,
    created_at: handle.createdAt,
  };
}
