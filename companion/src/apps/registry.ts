import { sql, type Kysely } from 'kysely';
import type { ServiceId, WebhookAction } from 'fs-picker/protocol';
import type { AppConfig, CompanionConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { newToken, SecretBox } from '../security/secrets.ts';
import type { SigningScheme } from '../webhooks/signing-headers.ts';
import { newStandardSecret } from '../webhooks/standard-signature.ts';

/** One webhook URL of a registered app; `secret` signs its deliveries (with `previousSecret` too until `previousSecretUntil`). */
export interface RegisteredWebhook {
  id: string;
  url: string;
  events: 'all' | WebhookAction[];
  secret: string;
  /** "fs" (FS-Signature) or "standard" (Standard Webhooks 1.0, with a whsec_ secret). */
  signing: SigningScheme;
  /** The secret before the last rotation; it signs too until `previousSecretUntil` (Unix ms). */
  previousSecret?: string;
  previousSecretUntil?: number;
}

/** An app's own S3 location, as entered in the portal. */
export interface AppStorageSettings {
  endpoint?: string;
  bucket: string;
  region: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/**
 * An app as the companion uses it: the configuration's shape (so policy, storage and access checks take
 * it unchanged) plus what the portal edits. Secrets are opened in memory only; the database holds them sealed.
 */
export type RegisteredApp = Omit<AppConfig, 'webhooks'> & {
  /** Stable id (the API key can be rotated). */
  id: string;
  webhooks: RegisteredWebhook[];
  /** The repository and identity-service URLs the owner entered with the App Key; they replace the operator's for this app (see alfrescoSiteOf). */
  alfrescoSettings: { repositoryUrl?: string; issuer?: string };
  storageSettings?: AppStorageSettings;
  /** The configuration's apiKey this app was seeded from, when it came from there. */
  configKey: string | null;
  createdAt: number;
  updatedAt: number;
};

/** Finds an app by its API key; what the request paths need. */
export interface AppLookup {
  get(apiKey: string | undefined): AppConfig | undefined;
}

/** A change to an app. `null` clears a setting; an absent key leaves it as it is. */
export interface AppPatch {
  name?: string;
  allowedOrigins?: string[];
  services?: ServiceId[];
  requirePolicy?: boolean;
  allowPrivateUrls?: boolean;
  allowPublicAccess?: boolean;
  alfresco?: { clientId?: string | null; clientSecret?: string | null; repositoryUrl?: string | null; issuer?: string | null };
  storage?: { endpoint?: string | null; bucket: string; region: string; forcePathStyle?: boolean; credentials?: { accessKeyId: string; secretAccessKey: string } | null } | null;
  /** The app's WebDAV server; null turns the source off. */
  webdav?: AppSources['webdav'] | null;
  /** The app's CMIS repository; null turns the source off. */
  cmis?: AppSources['cmis'] | null;
}

/** An app's sources beyond Alfresco, each with its endpoint: what `webdav` and `cmis` are in the configuration. */
export type AppSources = Pick<AppConfig, 'webdav' | 'cmis'>;

export interface WebhookInput {
  url: string;
  events: 'all' | WebhookAction[];
  /** "fs" by default. */
  signing?: SigningScheme;
}

/** A new secret of the form a scheme signs with. */
function newWebhookSecret(signing: SigningScheme): string {
  return signing === 'standard' ? newStandardSecret() : newToken(24);
}

type Row = Database['apps'];
type HookRow = Database['app_webhooks'];

/** Tables whose rows name an app by its API key; a key rotation moves them to the new key. */
const APP_KEY_TABLES = ['grants', 'sessions', 'handles', 'sign_in_attempts', 'webhook_events', 'webhook_deliveries'] as const;

const registries = new WeakMap<Kysely<Database>, Promise<AppRegistry>>();
const opened = new WeakMap<Kysely<Database>, AppRegistry>();
/** How often the in-memory copy asks the database whether another instance changed an app. */
const RECHECK_EVERY_MS = 1000;

/**
 * The one place the companion reads apps from: a table in its database, seeded at start with the
 * configuration's apps that it does not hold yet (matched by the apiKey they have in the configuration).
 * After that the database wins: the developer portal edits it and a changed configuration does not
 * overwrite it. Reads come from an in-memory copy that every write here refreshes, and that
 * `refreshIfChanged` (called by every request) re-reads when another instance on the database changed it.
 */
export class AppRegistry implements AppLookup {
  readonly #db: Kysely<Database>;
  readonly #box: SecretBox;
  #byKey = new Map<string, RegisteredApp>();
  #byId = new Map<string, RegisteredApp>();
  /** Webhooks by `url + " " + secret` (current or previous); null when several apps share that pair. */
  #bySignature = new Map<string, RegisteredWebhook | null>();
  /** How long a rotated webhook secret keeps signing (`webhooks.rotationGraceHours`). */
  readonly #rotationGraceMs: number;
  /** What the tables looked like when last read (counts and latest updated_at), and when that was asked. */
  #fingerprint = '';
  #checkedAt = 0;
  #checking: Promise<void> | undefined;

  private constructor(db: Kysely<Database>, box: SecretBox, rotationGraceMs: number) {
    this.#db = db;
    this.#box = box;
    this.#rotationGraceMs = rotationGraceMs;
  }

  /**
   * The registry of `db`, seeded from `config` the first time it is opened in this process; every later
   * call for the same database gets the same registry (the companion and its webhook worker share it).
   */
  static open(db: Kysely<Database>, config: CompanionConfig, box?: SecretBox): Promise<AppRegistry> {
    let registry = registries.get(db);
    if (!registry) {
      const made = new AppRegistry(db, box ?? new SecretBox(config.encryptionKey), config.webhooks.rotationGraceHours * 3_600_000);
      registry = made.#seed(config.apps).then(() => {
        opened.set(db, made);
        return made;
      });
      registries.set(db, registry);
      registry.catch(() => registries.delete(db));
    }
    return registry;
  }

  /** The registry already opened for `db` (by `buildApp`); throws when there is none. */
  static of(db: Kysely<Database>): AppRegistry {
    const registry = opened.get(db);
    if (!registry) throw new Error('The app registry of this database has not been opened (AppRegistry.open).');
    return registry;
  }

  get(apiKey: string | undefined): RegisteredApp | undefined {
    return apiKey === undefined ? undefined : this.#byKey.get(apiKey);
  }

  byId(id: string): RegisteredApp | undefined {
    return this.#byId.get(id);
  }

  /**
   * The webhook a delivery written with `secret` for `url` belongs to, as it is now (its secret may have
   * been rotated since: the old one is its `previousSecret`). Undefined when it is gone or not one webhook.
   */
  webhookSignedWith(url: string, secret: string): RegisteredWebhook | undefined {
    return this.#bySignature.get(`${url} ${secret}`) ?? undefined;
  }

  list(): RegisteredApp[] {
    return [...this.#byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  }

  /**
   * Re-reads the apps when another instance changed them: asked at most once every RECHECK_EVERY_MS,
   * by one query; a request meanwhile shares the check in flight. When the database cannot be asked,
   * the copy in memory serves on.
   */
  async refreshIfChanged(): Promise<void> {
    if (this.#checking) return this.#checking;
    if (Date.now() - this.#checkedAt < RECHECK_EVERY_MS) return;
    this.#checkedAt = Date.now();
    this.#checking = (async () => {
      if ((await this.#currentFingerprint()) !== this.#fingerprint) await this.#load();
    })()
      .catch(() => undefined)
      .finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  /** Changes an app's settings; returns it as it is now, undefined when there is no such app. */
  async update(id: string, patch: AppPatch): Promise<RegisteredApp | undefined> {
    const app = this.#byId.get(id);
    if (!app) return undefined;
    const set: Partial<Row> = { updated_at: Date.now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.allowedOrigins !== undefined) set.allowed_origins = JSON.stringify(patch.allowedOrigins);
    if (patch.services !== undefined) set.services = JSON.stringify(patch.services);
    if (patch.requirePolicy !== undefined) set.require_policy = patch.requirePolicy ? 1 : 0;
    if (patch.allowPrivateUrls !== undefined) set.allow_private_urls = patch.allowPrivateUrls ? 1 : 0;
    if (patch.allowPublicAccess !== undefined) set.allow_public_access = patch.allowPublicAccess ? 1 : 0;
    const alfresco = patch.alfresco;
    if (alfresco) {
      if (alfresco.clientId !== undefined) set.alfresco_client_id = alfresco.clientId;
      if (alfresco.clientId === null) set.alfresco_client_secret_sealed = null;
      if (alfresco.clientSecret !== undefined) set.alfresco_client_secret_sealed = alfresco.clientSecret === null ? null : this.#box.seal(alfresco.clientSecret);
      if (alfresco.repositoryUrl !== undefined) set.alfresco_repository_url = alfresco.repositoryUrl;
      if (alfresco.issuer !== undefined) set.alfresco_issuer = alfresco.issuer;
    }
    if (patch.webdav !== undefined || patch.cmis !== undefined) {
      set.sources = sourcesJson({ webdav: patch.webdav === undefined ? app.webdav : (patch.webdav ?? undefined), cmis: patch.cmis === undefined ? app.cmis : (patch.cmis ?? undefined) });
    }
    if (patch.storage === null) {
      set.storage = null;
      set.storage_credentials_sealed = null;
    } else if (patch.storage) {
      const { endpoint, bucket, region, forcePathStyle, credentials } = patch.storage;
      const before = app.storageSettings;
      set.storage = JSON.stringify({
        ...((endpoint === undefined ? before?.endpoint : endpoint) ? { endpoint: endpoint === undefined ? before?.endpoint : endpoint } : {}),
        bucket,
        region,
        forcePathStyle: forcePathStyle ?? before?.forcePathStyle ?? false,
      });
      if (credentials !== undefined) set.storage_credentials_sealed = credentials === null ? null : this.#box.seal(JSON.stringify(credentials));
    }
    await this.#db.updateTable('apps').set(set).where('id', '=', id).execute();
    await this.#load();
    return this.#byId.get(id);
  }

  /**
   * Gives the app a new API key; the old one stops working at once. The app's connections, files and
   * events move to the new key, so people stay connected and links keep working.
   */
  async rotateApiKey(id: string): Promise<string | undefined> {
    const app = this.#byId.get(id);
    if (!app) return undefined;
    const apiKey = `fsk_${newToken(24)}`;
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('apps').set({ api_key: apiKey, updated_at: Date.now() }).where('id', '=', id).execute();
      for (const table of APP_KEY_TABLES) {
        await trx.updateTable(table).set({ app_key: apiKey }).where('app_key', '=', app.apiKey).execute();
      }
    });
    await this.#load();
    return apiKey;
  }

  /** A new app secret (signs security policies); returned once, sealed in the database. */
  async rotateAppSecret(id: string): Promise<string | undefined> {
    if (!this.#byId.has(id)) return undefined;
    const secret = newToken(32);
    await this.#db.updateTable('apps').set({ app_secret_sealed: this.#box.seal(secret), updated_at: Date.now() }).where('id', '=', id).execute();
    await this.#load();
    return secret;
  }

  /** Adds a webhook URL with a new secret; returns it (with the secret, to show once). */
  async addWebhook(appId: string, input: WebhookInput): Promise<RegisteredWebhook | undefined> {
    const app = this.#byId.get(appId);
    if (!app) return undefined;
    const now = Date.now();
    const signing = input.signing ?? 'fs';
    const hook: RegisteredWebhook = { id: newToken(12), url: input.url, events: input.events, secret: newWebhookSecret(signing), signing };
    const position = Math.max(-1, ...(await this.#db.selectFrom('app_webhooks').select('position').where('app_id', '=', appId).execute()).map((row) => row.position)) + 1;
    await this.#db
      .insertInto('app_webhooks')
      .values({ id: hook.id, app_id: appId, url: hook.url, events: JSON.stringify(hook.events), secret_sealed: this.#box.seal(hook.secret), signing, previous_secret_sealed: null, previous_secret_until: null, position, created_at: now, updated_at: now })
      .execute();
    await this.#load();
    return hook;
  }

  /**
   * Changes a webhook URL, its events or its signing scheme, or rotates its secret; undefined when there
   * is no such webhook. Rotating keeps the old secret signing beside the new one for the grace period
   * (a rotation during another drops the oldest). A new scheme gets a new secret of its form at once,
   * with no previous one: a receiver changes its code for it anyway.
   */
  async updateWebhook(appId: string, hookId: string, change: Partial<WebhookInput> & { rotateSecret?: boolean }): Promise<RegisteredWebhook | undefined> {
    const hook = this.#byId.get(appId)?.webhooks.find((candidate) => candidate.id === hookId);
    if (!hook) return undefined;
    const now = Date.now();
    const set: Partial<HookRow> = { updated_at: now };
    if (change.url !== undefined) set.url = change.url;
    if (change.events !== undefined) set.events = JSON.stringify(change.events);
    if (change.signing !== undefined && change.signing !== hook.signing) {
      Object.assign(set, { signing: change.signing, secret_sealed: this.#box.seal(newWebhookSecret(change.signing)), previous_secret_sealed: null, previous_secret_until: null });
    } else if (change.rotateSecret) {
      const keepOld = this.#rotationGraceMs > 0;
      Object.assign(set, {
        secret_sealed: this.#box.seal(newWebhookSecret(hook.signing)),
        previous_secret_sealed: keepOld ? this.#box.seal(hook.secret) : null,
        previous_secret_until: keepOld ? now + this.#rotationGraceMs : null,
      });
    }
    await this.#db.updateTable('app_webhooks').set(set).where('id', '=', hookId).where('app_id', '=', appId).execute();
    await this.#load();
    return this.#byId.get(appId)?.webhooks.find((candidate) => candidate.id === hookId);
  }

  /** Removes a webhook URL (deliveries already written keep going to it); false when there was none. */
  async removeWebhook(appId: string, hookId: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('app_webhooks').where('id', '=', hookId).where('app_id', '=', appId).executeTakeFirst();
    await this.#load();
    return Number(result.numDeletedRows) > 0;
  }

  /** Inserts the configuration's apps the database does not hold yet, then loads every app. */
  async #seed(apps: readonly AppConfig[]): Promise<void> {
    // One transaction: it takes the (single SQLite) connection once, before anything queued after it.
    await this.#db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('apps').select(['config_key', 'api_key']).execute();
      const known = new Set(rows.flatMap((row) => [row.config_key, row.api_key]));
      let order = 0;
      for (const app of apps) {
        if (known.has(app.apiKey)) continue;
        known.add(app.apiKey);
        // Seeded apps keep the configuration's order.
        const now = Date.now() + order++;
        const id = newToken(12);
        await trx.insertInto('apps').values(this.#rowOf(id, app, now)).execute();
        const hooks = (app.webhooks ?? []).map((hook, position) => ({
          id: newToken(12),
          app_id: id,
          url: hook.url,
          events: JSON.stringify(hook.events),
          secret_sealed: this.#box.seal(hook.secret),
          signing: hook.signing,
          previous_secret_sealed: hook.previousSecret === undefined ? null : this.#box.seal(hook.previousSecret),
          previous_secret_until: hook.previousSecretUntil ?? null,
          position,
          created_at: now,
          updated_at: now,
        }));
        if (hooks.length > 0) await trx.insertInto('app_webhooks').values(hooks).execute();
      }
    });
    await this.#load();
  }

  #rowOf(id: string, app: AppConfig, now: number): Row {
    return {
      id,
      config_key: app.apiKey,
      api_key: app.apiKey,
      name: app.name,
      allowed_origins: JSON.stringify(app.allowedOrigins),
      services: JSON.stringify(app.services),
      app_secret_sealed: app.appSecret === undefined ? null : this.#box.seal(app.appSecret),
      require_policy: app.requirePolicy ? 1 : 0,
      allow_private_urls: app.allowPrivateUrls ? 1 : 0,
      allow_public_access: app.allowPublicAccess ? 1 : 0,
      alfresco_client_id: app.alfrescoOAuth?.clientId ?? null,
      alfresco_client_secret_sealed: app.alfrescoOAuth?.clientSecret === undefined ? null : this.#box.seal(app.alfrescoOAuth.clientSecret),
      alfresco_repository_url: null,
      alfresco_issuer: null,
      storage: null,
      storage_credentials_sealed: null,
      sources: sourcesJson(app),
      created_at: now,
      updated_at: now,
    };
  }

  /**
   * Changes on any instance move it: a row added or removed, or a row's updated_at (summed, not the
   * latest: another instance's clock may be behind this one's).
   */
  async #currentFingerprint(): Promise<string> {
    const row = await this.#db
      .selectNoFrom((eb) => [
        eb.selectFrom('apps').select(sql<string>`count(*) || ':' || coalesce(sum(updated_at), 0)`.as('v')).as('apps'),
        eb.selectFrom('app_webhooks').select(sql<string>`count(*) || ':' || coalesce(sum(updated_at), 0)`.as('v')).as('hooks'),
      ])
      .executeTakeFirstOrThrow();
    return `${row.apps}/${row.hooks}`;
  }

  async #load(): Promise<void> {
    // Taken before the rows: a change in between makes the next check read again, never miss it.
    const fingerprint = await this.#currentFingerprint();
    const rows = await this.#db.selectFrom('apps').selectAll().execute();
    const hooks = await this.#db.selectFrom('app_webhooks').selectAll().orderBy('position').execute();
    const byKey = new Map<string, RegisteredApp>();
    const byId = new Map<string, RegisteredApp>();
    for (const row of rows) {
      const app = this.#appOf(row, hooks.filter((hook) => hook.app_id === row.id));
      byKey.set(app.apiKey, app);
      byId.set(app.id, app);
    }
    this.#byKey = byKey;
    this.#byId = byId;
    this.#bySignature = signatureIndex(byId.values());
    this.#fingerprint = fingerprint;
  }

  #webhookOf(row: HookRow): RegisteredWebhook {
    const hook: RegisteredWebhook = { id: row.id, url: row.url, events: JSON.parse(row.events) as RegisteredWebhook['events'], secret: this.#box.open(row.secret_sealed), signing: row.signing === 'standard' ? 'standard' : 'fs' };
    if (row.previous_secret_sealed !== null && row.previous_secret_until !== null) {
      hook.previousSecret = this.#box.open(row.previous_secret_sealed);
      hook.previousSecretUntil = Number(row.previous_secret_until);
    }
    return hook;
  }

  #appOf(row: Row, hooks: HookRow[]): RegisteredApp {
    const storage = row.storage === null ? undefined : (JSON.parse(row.storage) as Omit<AppStorageSettings, 'accessKeyId' | 'secretAccessKey'>);
    const credentials = row.storage_credentials_sealed === null ? undefined : (JSON.parse(this.#box.open(row.storage_credentials_sealed)) as { accessKeyId: string; secretAccessKey: string });
    const app: RegisteredApp = {
      id: row.id,
      apiKey: row.api_key,
      name: row.name,
      allowedOrigins: JSON.parse(row.allowed_origins) as string[],
      services: JSON.parse(row.services) as ServiceId[],
      requirePolicy: row.require_policy === 1,
      allowPrivateUrls: row.allow_private_urls === 1,
      allowPublicAccess: row.allow_public_access === 1,
      webhooks: hooks.map((hook) => this.#webhookOf(hook)),
      alfrescoSettings: {
        ...(row.alfresco_repository_url === null ? {} : { repositoryUrl: row.alfresco_repository_url }),
        ...(row.alfresco_issuer === null ? {} : { issuer: row.alfresco_issuer }),
      },
      configKey: row.config_key,
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    };
    if (row.app_secret_sealed !== null) app.appSecret = this.#box.open(row.app_secret_sealed);
    if (row.alfresco_client_id !== null) {
      app.alfrescoOAuth = { clientId: row.alfresco_client_id };
      if (row.alfresco_client_secret_sealed !== null) app.alfrescoOAuth.clientSecret = this.#box.open(row.alfresco_client_secret_sealed);
    }
    if (storage) app.storageSettings = { ...storage, ...credentials };
    const sources = row.sources === null ? {} : (JSON.parse(row.sources) as AppSources);
    if (sources.webdav) app.webdav = sources.webdav;
    if (sources.cmis) app.cmis = sources.cmis;
    return app;
  }
}

/** The `sources` column: null when the app has neither. */
function sourcesJson({ webdav, cmis }: AppSources): string | null {
  return webdav || cmis ? JSON.stringify({ ...(webdav ? { webdav } : {}), ...(cmis ? { cmis } : {}) }) : null;
}

/** Each webhook under its URL with its current and its previous secret; a pair two webhooks share names neither. */
function signatureIndex(apps: Iterable<RegisteredApp>): Map<string, RegisteredWebhook | null> {
  const index = new Map<string, RegisteredWebhook | null>();
  for (const app of apps) {
    for (const hook of app.webhooks) {
      for (const secret of hook.previousSecret === undefined ? [hook.secret] : [hook.secret, hook.previousSecret]) {
        const key = `${hook.url} ${secret}`;
        index.set(key, index.has(key) && index.get(key) !== hook ? null : hook);
      }
    }
  }
  return index;
}
