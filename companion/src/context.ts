import type { Logger } from 'pino';
import type { GrantStore } from './auth/grants.ts';
import type { TokenRefresher } from './auth/refresher.ts';
import type { SessionStore } from './auth/sessions.ts';
import type { CompanionConfig } from './config.ts';
import type { Db } from './db/database.ts';
import type { HandleStore } from './files/handles.ts';
import type { AlfrescoClient } from './providers/alfresco/client.ts';
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
  alfresco: AlfrescoClient;
  logger: Logger;
  /** Writes webhook events with the changes they report (`emit`), and delivers them. */
  webhooks: Webhooks;
}
