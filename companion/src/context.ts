import type { Logger } from 'pino';
import type { GrantStore } from './auth/grants.ts';
import type { TokenRefresher } from './auth/refresher.ts';
import type { SessionStore } from './auth/sessions.ts';
import type { CompanionConfig } from './config.ts';
import type { Db } from './db/database.ts';
import type { HandleStore } from './files/handles.ts';
import type { Outbound } from './outbound/index.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type { SecretBox } from './security/secrets.ts';
import type { Webhooks } from './webhooks/webhooks.ts';

/** What every route of the companion shares; built once by `buildApp`. */
export interface Companion {
  config: CompanionConfig;
  /** How browsers reach the companion, without a trailing slash. */
  publicUrl: string;
  db: Db;
  box: SecretBox;
  grants: GrantStore;
  sessions: SessionStore;
  handles: HandleStore;
  refresher: TokenRefresher;
  /** The sources people browse, pick from and save to (Alfresco, and any other registered provider). */
  sources: ProviderRegistry;
  logger: Logger;
  /** Writes webhook events with the changes they report (`emit`), and delivers them. */
  webhooks: Webhooks;
  /** The one way out: every call the companion makes goes through it, and it closes with the companion. */
  outbound: Outbound;
}
