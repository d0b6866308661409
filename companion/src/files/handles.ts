import type { Db } from '../db/database.ts';
import { newToken } from '../security/secrets.ts';
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
}

export type NewHandle = Omit<FileHandle, 'handle' | 'createdAt'>;

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
 */
export class HandleStore {
  constructor(
    private readonly db: Db,
    private readonly webhooks?: Webhooks,
    /** A source's name in `fp.upload`'s `text.client` (the provider registry's `clientOf`). */
    private readonly clientOf: (source: string) => string = (source) => source,
  ) {}

  /** One handle, with its event (`fp.upload` unless `event` says otherwise). */
  async create(init: NewHandle, { event }: { event?: HandleEvent } = {}): Promise<FileHandle> {
    const [handle] = await this.createMany([init], { event });
    return handle!;
  }

  /** Several handles (one pick) in one transaction, each with its event: all of them or none. */
  async createMany(inits: readonly NewHandle[], { event }: { event?: HandleEvent } = {}): Promise<FileHandle[]> {
    const now = Date.now();
    const handles = inits.map((init): FileHandle => ({ ...init, handle: newToken(15), createdAt: now }));
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

  async get(handle: string): Promise<FileHandle | undefined> {
    const row = await this.db.selectFrom('handles').selectAll().where('handle', '=', handle).executeTakeFirst();
    if (!row) return undefined;
    return {
      handle: row.handle,
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
    };
  }

  /**
   * Deletes a handle and writes `fp.delete` in the same transaction. True when this call deleted it
   * (so two concurrent removes make one event).
   */
  async delete(handle: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.deleteFrom('handles').where('handle', '=', handle).returning('app_key').executeTakeFirst();
      if (!row) return false;
      if (this.webhooks) await this.webhooks.emit(trx, row.app_key, deleteEvent(this.webhooks.publicUrl, { handle }));
      return true;
    });
  }
}

function toRow(handle: FileHandle) {
  return {
    handle: handle.handle,
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
    created_at: handle.createdAt,
  };
}
