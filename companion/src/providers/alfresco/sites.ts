import type { AppConfig, CompanionConfig, SignInConfig } from '../../config.ts';

/** The Alfresco an app works with: its repository and how its people sign in there. */
export interface AlfrescoSite {
  /** The repository's base URL, e.g. https://alfresco.example.com (the API paths are added to it). */
  repositoryUrl: string;
  signIn: SignInConfig;
}

/** An app as far as choosing its Alfresco goes: registered apps carry the portal's settings. */
export type AppWithAlfresco = Pick<AppConfig, 'apiKey'> & { alfrescoSettings?: { repositoryUrl?: string; issuer?: string } };

/**
 * The one rule for which Alfresco an app uses. The operator's `alfresco.repositoryUrl` and `alfresco.signIn`
 * unless the app's owner entered its own in the portal:
 * - own repository and own issuer: OpenID Connect at that issuer, calls to that repository;
 * - own issuer only: OpenID Connect at that issuer, calls to the operator's repository;
 * - own repository only: the companion's ticket form against that repository (the operator's identity
 *   service is not assumed to be trusted by someone else's repository).
 * Sign-in, token refresh, sign-out and every call with a grant go through this (grants name their app).
 */
export function alfrescoSiteOf(config: CompanionConfig, app: AppWithAlfresco | undefined): AlfrescoSite {
  const own = app?.alfrescoSettings ?? {};
  if (!own.repositoryUrl && !own.issuer) return { repositoryUrl: config.alfresco.repositoryUrl, signIn: config.alfresco.signIn };
  return {
    repositoryUrl: own.repositoryUrl ?? config.alfresco.repositoryUrl,
    signIn: own.issuer ? { type: 'oidc', issuer: own.issuer } : { type: 'ticket' },
  };
}
