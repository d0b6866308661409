import type { WebhookAction } from './webhooks.ts';

/*
 * The developer portal's API (`/portal/api`, served by companion/src/portal/routes.ts, called by companion/portal/):
 * what it answers about an app. Never a secret, only whether one is set.
 */

/** One app as the portal shows it. */
export interface PortalApp {
  id: string;
  name: string;
  apiKey: string;
  allowedOrigins: string[];
  services: string[];
  requirePolicy: boolean;
  allowPrivateUrls: boolean;
  appSecretSet: boolean;
  alfresco: { clientId: string | null; clientSecretSet: boolean; repositoryUrl: string | null; issuer: string | null; callbackUrl: string };
  storage: { endpoint: string | null; bucket: string; region: string; forcePathStyle: boolean; credentialsSet: boolean } | null;
  webhooks: PortalWebhook[];
  fromConfig: boolean;
}

export interface PortalWebhook {
  id: string;
  url: string;
  events: 'all' | WebhookAction[];
  /** "fs" (FS-Timestamp, FS-Signature) or "standard" (Standard Webhooks 1.0: webhook-id, webhook-timestamp, webhook-signature). */
  signing: 'fs' | 'standard';
  /** While a rotated secret still signs beside the new one: until when (Unix ms); null otherwise. */
  previousSecretUntil: number | null;
}
