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
  /** The app's WebDAV server (the source WEBDAV): the collection browsing starts at; null while the source is off. */
  webdav: { url: string } | null;
  /**
   * The app's CMIS 1.1 repository (the source CMIS): its browser binding URL, the repository to use (null:
   * the server's first) and how people sign in; null while the source is off.
   */
  cmis: { url: string; repositoryId: string | null; signIn: CmisSignIn } | null;
  webhooks: PortalWebhook[];
  fromConfig: boolean;
}

/** How people sign in to a CMIS source: a password through the companion's form, or their Alfresco sign-in (Alfresco's CMIS). */
export const CMIS_SIGN_INS = ['password', 'alfresco'] as const;
export type CmisSignIn = (typeof CMIS_SIGN_INS)[number];

export interface PortalWebhook {
  id: string;
  url: string;
  events: 'all' | WebhookAction[];
  /** "fs" (FS-Timestamp, FS-Signature) or "standard" (Standard Webhooks 1.0: webhook-id, webhook-timestamp, webhook-signature). */
  signing: 'fs' | 'standard';
  /** While a rotated secret still signs beside the new one: until when (Unix ms); null otherwise. */
  previousSecretUntil: number | null;
}
