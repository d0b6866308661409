import type { Db } from '../db/database.ts';
import { newToken } from '../security/secrets.ts';

/** A file the companion can serve at /api/file/:handle. */
export interface FileHandle {
  handle: string;
  appKey: string;
  /** 'link': served from the source with the picking person's grant. 'stored': a copy in a storage location. */
  kind: 'link' | 'stored';
  /** The ServiceId it came from ('ALFRESCO', 'COMPUTER', 'URL'). */
  source: string;
  grantId: string | undefined;
  nodeId: string | undefined;
  location: string | undefined;
  container: string | undefined;
  key: string | undefined;
  filename: string;
  mimetype: string;
  size: number | undefined;
  createdAt: number;
}

export type NewHandle = Omit<FileHandle, 'handle' | 'createdAt'>;

/** Handles in the database. A handle is 20 random URL-safe characters: unguessable, short enough for a URL. */
export class HandleStore {
  constructor(private readonly db: Db) {}

  async create(init: NewHandle): Promise<FileHandle> {
    const handle: FileHandle = { ...init, handle: newToken(15), createdAt: Date.now() };
    await this.db
      .insertInto('handles')
      .values({
        handle: handle.handle,
        app_key: handle.appKey,
        kind: handle.kind,
        source: handle.source,
        grant_id: handle.grantId ?? null,
        node_id: handle.nodeId ?? null,
        location: handle.location ?? null,
        container: handle.container ?? null,
        key: handle.key ?? null,
        filename: handle.filename,
        mimetype: handle.mimetype,
        size: handle.size ?? null,
        created_at: handle.createdAt,
      })
      .execute();
    return handle;
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
      nodeId: row.node_id ?? undefined,
      location: row.location ?? undefined,
      container: row.container ?? undefined,
      key: row.key ?? undefined,
      filename: row.filename,
      mimetype: row.mimetype,
      size: row.size ?? undefined,
      createdAt: row.created_at,
    };
  }

  async delete(handle: string): Promise<void> {
    await this.db.deleteFrom('handles').where('handle', '=', handle).execute();
  }
}
