import type { Generated } from 'kysely';

/**
 * The companion's tables. Times are Unix milliseconds; columns ending in `_sealed` hold SecretBox
 * values. Kept to types every SQL database has, so a PostgreSQL dialect can serve the same queries.
 */
export interface Database {
  /** A person's connection to a source, for one app: what lets the companion act as them. */
  grants: {
    id: string;
    app_key: string;
    source: string;
    user_id: string;
    user_name: string;
    /** 'oauth' (access + refresh token) or 'ticket' (an Alfresco ticket). */
    kind: string;
    access_sealed: string;
    refresh_sealed: string | null;
    /** When the access token expires; null when unknown (tickets). */
    expires_at: number | null;
    created_at: number;
    updated_at: number;
  };
  /** A browser's session with the companion, tied to one grant; only the token's hash is stored. */
  sessions: {
    token_hash: string;
    grant_id: string;
    app_key: string;
    created_at: number;
    expires_at: number;
  };
  /** A developer-portal owner's session; only the cookie value's hash is stored. */
  portal_sessions: {
    token_hash: string;
    /** The token the portal page repeats in X-FS-CSRF; of no use without the cookie. */
    csrf: string;
    created_at: number;
    expires_at: number;
  };
  /**
   * A picked or stored file: what `/api/file/:handle` serves. Keyed by the handle's SHA-256 (never the
   * handle itself); `token_hash` is the SHA-256 of the handle token that proves a write or remove.
   */
  handles: {
    handle_hash: string;
    /** Null for handles made before handle tokens (migration 0008). */
    token_hash: string | null;
    app_key: string;
    /** 'link' (served from the source with the grant) or 'stored' (a copy in a storage location). */
    kind: string;
    source: string;
    grant_id: string | null;
    /** A link's item at its source (the provider's id for it). */
    item_id: string | null;
    location: string | null;
    container: string | null;
    key: string | null;
    filename: string;
    mimetype: string;
    size: number | null;
    created_at: number;
    /** Set when the handle was removed and its stored copy is not yet deleted: no longer served. */
    removing_since: number | null;
  };
  /** A sign-in in progress: what the callback checks (state, PKCE verifier, nonce, opener origin). */
  sign_in_attempts: {
    state: string;
    app_key: string;
    /** The provider signed in to. */
    source: string;
    origin: string;
    code_verifier: string;
    /** The OpenID Connect nonce sent to the identity service. */
    nonce: string | null;
    /** The element's nonce for this attempt, echoed to the opener. */
    opener_nonce: string | null;
    created_at: number;
    used_at: number | null;
  };
  /** A webhook event (envelope `{id, action, timestamp, text}`), written with the change it reports. */
  webhook_events: {
    id: Generated<number>;
    app_key: string;
    /** 'fp.upload', 'fp.delete', … */
    action: string;
    /** Unix seconds: the envelope's `timestamp`. */
    timestamp: number;
    /** The envelope's `text`, as JSON. */
    text: string;
    created_at: number;
  };
  /** One event for one webhook URL: its state and retry schedule. */
  webhook_deliveries: {
    id: Generated<number>;
    event_id: number;
    app_key: string;
    url: string;
    /** The URL's signing secret (SecretBox), taken when the event was written. */
    secret_sealed: string;
    /** 'pending', 'delivered' or 'failed'. */
    status: string;
    /** Attempts made so far. */
    attempts: number;
    /** Attempts allowed in all (4 by the schedule; a manual retry allows one more). */
    max_attempts: number;
    first_attempt_at: number | null;
    /** When the next attempt is due; null once delivered or failed. */
    next_attempt_at: number | null;
    /** The last answer's HTTP status, null when there was none (timeout, refused). */
    last_status: number | null;
    last_error: string | null;
    delivered_at: number | null;
    created_at: number;
    updated_at: number;
    /** The instance that took the delivery to attempt it (webhooks/due-deliveries.ts), null when none holds it. */
    lease_owner: string | null;
    /** Until when that lease holds; the instance renews it while it holds the delivery, another takes it over after. */
    lease_until: number | null;
  };
  /** The delivery log: one row per attempt. */
  webhook_attempts: {
    id: Generated<number>;
    delivery_id: number;
    /** 1 for the first attempt, 2 for the second, … */
    attempt: number;
    started_at: number;
    duration_ms: number;
    status_code: number | null;
    /** 1 when the URL answered 2xx in time. */
    ok: number;
    error: string | null;
    /** When the next attempt is due after this one; null when there is none (delivered or failed). */
    next_attempt_at: number | null;
  };
  /**
   * An app of the companion (the registry the developer portal edits). Seeded once from the
   * configuration's `apps` (`config_key` = the apiKey it had there); the database wins afterwards.
   */
  apps: {
    id: string;
    /** The configuration's apiKey this row was seeded from; null for apps made in the portal. */
    config_key: string | null;
    api_key: string;
    name: string;
    /** JSON array of origins. */
    allowed_origins: string;
    /** JSON array of service ids. */
    services: string;
    app_secret_sealed: string | null;
    require_policy: number;
    allow_private_urls: number;
    /** 1: store calls may ask for access "public" (migration 0010). */
    allow_public_access: number;
    /** The app's own Alfresco OAuth application (App Key); the App Secret is sealed. */
    alfresco_client_id: string | null;
    alfresco_client_secret_sealed: string | null;
    alfresco_repository_url: string | null;
    alfresco_issuer: string | null;
    /** JSON `{endpoint?, bucket, region, forcePathStyle}` of the app's S3 location, or null. */
    storage: string | null;
    /** JSON `{accessKeyId, secretAccessKey}`, sealed. */
    storage_credentials_sealed: string | null;
    /** JSON `{ webdav?: { url }, cmis?: { url, repositoryId?, signIn } }`: the app's sources beyond Alfresco (migration 0015). */
    sources: string | null;
    created_at: number;
    updated_at: number;
  };
  /** One webhook URL of an app. */
  app_webhooks: {
    id: string;
    app_id: string;
    url: string;
    /** JSON: "all" or an array of actions. */
    events: string;
    secret_sealed: string;
    /** "fs" (FS-Signature) or "standard" (Standard Webhooks 1.0). */
    signing: 'fs' | 'standard';
    /** The secret before the last rotation, sealed; it signs too until `previous_secret_until` (Unix ms). */
    previous_secret_sealed: string | null;
    previous_secret_until: number | null;
    position: number;
    created_at: number;
    updated_at: number;
  };
  /**
   * A fixed-window counter shared by every instance (security/shared-counters.ts): `count` tries or hits in
   * the window that began at `window_started_at`, `pending` of them reserved and not yet settled. `key`
   * is a SHA-256, never an address or a user name.
   */
  shared_counters: {
    kind: string;
    key: string;
    count: number;
    pending: Generated<number>;
    window_started_at: number;
    expires_at: number;
  };
  /** Bytes a store is streaming in for an app right now; stops counting at `expires_at` unless refreshed (storage/quota.ts). */
  storage_reservations: {
    id: string;
    app_key: string;
    bytes: number;
    expires_at: number;
  };
  kysely_migration: { name: string; timestamp: string };
  kysely_migration_lock: { id: string; is_locked: Generated<number> };
}
