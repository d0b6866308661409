import { sql, type ColumnDataType, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { hashToken } from '../security/secrets.ts';
import { isPostgres } from './dialect.ts';

/**
 * A numbered primary key, as each database writes one: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT (its
 * rowid, so it must be "integer"), PostgreSQL's BIGINT identity.
 */
function idColumn(db: Kysely<unknown>): [ColumnDataType, (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return isPostgres(db) ? ['bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()] : ['integer', (c) => c.primaryKey().autoIncrement()];
}

/** The type of a column that holds such a key. */
function idType(db: Kysely<unknown>): ColumnDataType {
  return isPostgres(db) ? 'bigint' : 'integer';
}

/** Migrations in code, in order; never edit one that has shipped, add the next. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-grants-sessions-handles': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('grants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_key', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('access_sealed', 'text', (c) => c.notNull())
        .addColumn('refresh_sealed', 'text')
        .addColumn('expires_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('grant_id', 'text', (c) => c.notNull().references('grants.id').onDelete('cascade'))
        .addColumn('app_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('handles')
        .addColumn('handle', 'text', (c) => c.primaryKey())
        .addColumn('app_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('grant_id', 'text', (c) => c.references('grants.id').onDelete('set null'))
        .addColumn('node_id', 'text')
        .addColumn('location', 'text')
        .addColumn('container', 'text')
        .addColumn('key', 'text')
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('mimetype', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sign_in_attempts')
        .addColumn('state', 'text', (c) => c.primaryKey())
        .addColumn('app_key', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .execute();
      await db.schema.createIndex('sessions_grant').on('sessions').column('grant_id').execute();
      await db.schema.createIndex('handles_app').on('handles').column('app_key').execute();
    },
  },
  '0002-sign-in-opener-nonce': {
    async up(db: Kysely<unknown>) {
      // The element's own nonce, echoed in the popup's message; `nonce` stays the OIDC nonce.
      await db.schema.alterTable('sign_in_attempts').addColumn('opener_nonce', 'text').execute();
    },
  },
  '0003-webhooks': {
    async up(db: Kysely<unknown>) {
      // One row per event, written in the same transaction as the change it reports.
      await db.schema
        .createTable('webhook_events')
        .addColumn('id', ...idColumn(db))
        .addColumn('app_key', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // One row per event and webhook URL: what the worker delivers, with its retry schedule.
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', ...idColumn(db))
        .addColumn('event_id', idType(db), (c) => c.notNull().references('webhook_events.id').onDelete('cascade'))
        .addColumn('app_key', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('first_attempt_at', 'bigint')
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // The delivery log the portal shows: one row per attempt.
      await db.schema
        .createTable('webhook_attempts')
        .addColumn('id', ...idColumn(db))
        .addColumn('delivery_id', idType(db), (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('next_attempt_at', 'bigint')
        .execute();
      await db.schema.createIndex('webhook_events_app').on('webhook_events').columns(['app_key', 'id']).execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_url_due').on('webhook_deliveries').columns(['url', 'status', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_event').on('webhook_deliveries').column('event_id').execute();
      await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').column('delivery_id').execute();
    },
  },
  '0004-apps': {
    async up(db: Kysely<unknown>) {
      // The app registry the developer portal edits; seeded from the configuration's apps at start.
      await db.schema
        .createTable('apps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('config_key', 'text', (c) => c.unique())
        .addColumn('api_key', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('allowed_origins', 'text', (c) => c.notNull())
        .addColumn('services', 'text', (c) => c.notNull())
        .addColumn('app_secret_sealed', 'text')
        .addColumn('require_policy', 'integer', (c) => c.notNull())
        .addColumn('allow_private_urls', 'integer', (c) => c.notNull())
        .addColumn('alfresco_client_id', 'text')
        .addColumn('alfresco_client_secret_sealed', 'text')
        .addColumn('alfresco_repository_url', 'text')
        .addColumn('alfresco_issuer', 'text')
        .addColumn('storage', 'text')
        .addColumn('storage_credentials_sealed', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('app_webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('app_webhooks_app').on('app_webhooks').columns(['app_id', 'position']).execute();
    },
  },
  '0005-webhook-events-created': {
    async up(db: Kysely<unknown>) {
      // Retention looks for events older than a cutoff; without this it would read every recent event each time.
      await db.schema.createIndex('webhook_events_created').on('webhook_events').columns(['created_at', 'id']).execute();
    },
  },
  '0006-portal-sessions': {
    async up(db: Kysely<unknown>) {
      // Owners' portal sessions were kept in memory: a restart signed everyone out.
      await db.schema
        .createTable('portal_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('csrf', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('portal_sessions_expires').on('portal_sessions').column('expires_at').execute();
    },
  },
  '0007-sources': {
    async up(db: Kysely<unknown>) {
      // Links name their item in the provider's terms, and a sign-in remembers which source it is for.
      await db.schema.alterTable('handles').renameColumn('node_id', 'item_id').execute();
      await db.schema.alterTable('sign_in_attempts').addColumn('source', 'text', (c) => c.notNull().defaultTo('ALFRESCO')).execute();
    },
  },
  '0008-handle-hashes': {
    async up(db: Kysely<unknown>) {
      // Handles were the rows' keys in the clear: a copy of the file gave working links. Rows are now keyed
      // by the handle's SHA-256, with the SHA-256 of the handle token beside it (files/handles.ts). Rows
      // from before have no token (null): only a session or a policy proves a write or remove on them.
      // secure_delete: the old rows' bytes are overwritten, not left in free pages of the file (SQLite;
      // on PostgreSQL the old tuples go with the dropped table's files).
      if (!isPostgres(db)) await sql`PRAGMA secure_delete = ON`.execute(db);
      await db.schema
        .createTable('handles_hashed')
        .addColumn('handle_hash', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text')
        .addColumn('app_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('grant_id', 'text', (c) => c.references('grants.id').onDelete('set null'))
        .addColumn('item_id', 'text')
        .addColumn('location', 'text')
        .addColumn('container', 'text')
        .addColumn('key', 'text')
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('mimetype', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      const columns = sql.raw('app_key, kind, source, grant_id, item_id, location, container, key, filename, mimetype, size, created_at');
      for (;;) {
        // A batch at a time, each old row moved under its hash and deleted, so memory stays flat.
        const { rows } = await sql<{ handle: string }>`SELECT handle FROM handles LIMIT 500`.execute(db);
        if (rows.length === 0) break;
        for (const { handle } of rows) {
          await sql`INSERT INTO handles_hashed (handle_hash, token_hash, ${columns}) SELECT ${hashToken(handle)}, NULL, ${columns} FROM handles WHERE handle = ${handle}`.execute(db);
          await sql`DELETE FROM handles WHERE handle = ${handle}`.execute(db);
        }
      }
      await db.schema.dropTable('handles').execute();
      await db.schema.alterTable('handles_hashed').renameTo('handles').execute();
      await db.schema.createIndex('handles_app').on('handles').column('app_key').execute();
      // Deleting a grant (sign-out, the grant retention) sets its handles' grant_id to null: find them fast.
      await db.schema.createIndex('handles_grant').on('handles').column('grant_id').execute();
    },
  },
  '0009-sign-in-attempts-app': {
    async up(db: Kysely<unknown>) {
      // Each start counts its app's open sign-ins (auth/attempts.ts: a cap per app): by app, then age.
      await db.schema.createIndex('sign_in_attempts_app').on('sign_in_attempts').columns(['app_key', 'created_at']).execute();
    },
  },
  '0010-s3-choices': {
    async up(db: Kysely<unknown>) {
      // Whether a store call may ask for a public-read ACL (access "public"); off unless the app allows it.
      await db.schema.alterTable('apps').addColumn('allow_public_access', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  '0011-handle-removals': {
    async up(db: Kysely<unknown>) {
      // A removed handle stops working at once; its stored copy is deleted after (files/handle-removals.ts).
      await db.schema.alterTable('handles').addColumn('removing_since', 'bigint').execute();
      await db.schema.createIndex('handles_removing').on('handles').column('removing_since').execute();
    },
  },
  '0012-webhook-leases': {
    async up(db: Kysely<unknown>) {
      // Several companions deliver from one outbox: each delivery is taken with a lease (due-deliveries.ts).
      await db.schema.alterTable('webhook_deliveries').addColumn('lease_owner', 'text').execute();
      await db.schema.alterTable('webhook_deliveries').addColumn('lease_until', 'bigint').execute();
      await db.schema.createIndex('webhook_deliveries_lease').on('webhook_deliveries').column('lease_owner').execute();
    },
  },
  '0013-webhook-signing': {
    async up(db: Kysely<unknown>) {
      // How a URL's deliveries are signed ("fs" or "standard"), and the secret a rotation keeps signing until `previous_secret_until`.
      await db.schema.alterTable('app_webhooks').addColumn('signing', 'text', (c) => c.notNull().defaultTo('fs')).execute();
      await db.schema.alterTable('app_webhooks').addColumn('previous_secret_sealed', 'text').execute();
      await db.schema.alterTable('app_webhooks').addColumn('previous_secret_until', 'bigint').execute();
    },
  },
  '0014-shared-counters': {
    async up(db: Kysely<unknown>) {
      // Rate limits and wrong-guess limits that every instance on the database counts into (security/shared-counters.ts).
      await db.schema
        .createTable('shared_counters')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('window_started_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('shared_counters_key', ['kind', 'key'])
        .execute();
      await db.schema.createIndex('shared_counters_expiry').on('shared_counters').column('expires_at').execute();
      // Bytes being streamed into storage for an app, counted against its quota by every instance (storage/quota.ts).
      await db.schema
        .createTable('storage_reservations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_key', 'text', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('storage_reservations_app').on('storage_reservations').columns(['app_key', 'expires_at']).execute();
    },
  },
  '0015-app-sources': {
    async up(db: Kysely<unknown>) {
      // An app's WebDAV server and CMIS repository (JSON `{ webdav?, cmis? }`, see apps/registry.ts): the sources beyond Alfresco.
      await db.schema.alterTable('apps').addColumn('sources', 'text').execute();
    },
  },
};

export const migrations: MigrationProvider = { getMigrations: async () => MIGRATIONS };
