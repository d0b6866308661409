import * as oidc from 'openid-client';
import { FsError } from 'fs-picker/protocol';
import type { AppConfig, CompanionConfig, OAuthApplication, SignInConfig } from '../../config.ts';
import type { Grant } from '../../auth/grants.ts';
import type { FreshTokens } from '../../auth/refresher.ts';
import type { Outbound } from '../../outbound/index.ts';
import { alfrescoSiteOf, type AppWithAlfresco } from './sites.ts';

/** Discovery documents are read again after this long, so an identity service's changes are picked up. */
const DISCOVERY_TTL_MS = 60 * 60_000;

export interface CodeExchange {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: number | undefined;
}

/** An app as the sign-in sees it: its OAuth application and, from the portal, its own Alfresco. */
export type SignInApp = AppConfig & AppWithAlfresco;

/**
 * The OAuth side of signing in to Alfresco, for the app's sign-in (its own issuer from the portal, else
 * the configured `alfresco.signIn`, see `alfrescoSiteOf`): OpenID Connect with
 * discovery of the issuer (the Alfresco Identity Service), or plain OAuth 2.0 at explicit URLs (the legacy
 * Alfresco cloud). The client is the app's own OAuth application (App Key, App Secret) when it has one,
 * else the operator's default. Built on openid-client, which checks state, PKCE, `iss` and the ID token.
 */
export class AlfrescoOAuth {
  readonly #config: CompanionConfig;
  readonly #redirectUri: string;
  /** Discovery documents by issuer URL: apps with the same identity service share one. */
  readonly #servers = new Map<string, { metadata: Promise<oidc.ServerMetadata>; at: number }>();
  /** openid-client's calls leave through the outbound (its pools, TLS and limits): its fetch, and its call limit in seconds. */
  readonly #fetch: oidc.CustomFetch;
  readonly #timeoutS: number;

  constructor(config: CompanionConfig, publicUrl: string, outbound: Outbound) {
    this.#config = config;
    this.#redirectUri = `${publicUrl}/auth/alfresco/callback`;
    this.#fetch = (url, options) => outbound.webFetch(url, options);
    this.#timeoutS = outbound.timeouts.callMs / 1000;
  }

  get redirectUri(): string {
    return this.#redirectUri;
  }

  /** How an app's people sign in: OpenID Connect, plain OAuth, or the ticket form. */
  signInOf(app: SignInApp): SignInConfig {
    return alfrescoSiteOf(this.#config, app).signIn;
  }

  /** OpenID Connect (ID token and nonce) rather than plain OAuth, for this app. */
  isOidc(app: SignInApp): boolean {
    return this.signInOf(app).type === 'oidc' && this.#config.alfresco.scopes.includes('openid');
  }

  /** The OAuth application an app signs in with. */
  applicationOf(app: SignInApp): OAuthApplication {
    const application = app.alfrescoOAuth ?? this.#config.alfresco.oauthApp;
    if (!application) throw new FsError('FS_ERR_CONNECT_FAILED', 'This app has no Alfresco OAuth application configured; its owner must enter an App Key.');
    return application;
  }

  async authorizationUrl(app: SignInApp, { state, codeVerifier, nonce }: { state: string; codeVerifier: string; nonce: string | undefined }): Promise<URL> {
    const client = await this.#client(app);
    return oidc.buildAuthorizationUrl(client, {
      redirect_uri: this.#redirectUri,
      scope: this.#config.alfresco.scopes.join(' '),
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ...(nonce === undefined ? {} : { nonce }),
    });
  }

  /**
   * Exchanges the code of a callback (its query string, as received) with the PKCE verifier and, for a
   * confidential application, the App Secret. Throws openid-client's errors (see `describeOAuthError`).
   */
  async exchange(app: SignInApp, search: string, checks: { state: string; codeVerifier: string; nonce: string | undefined }): Promise<CodeExchange> {
    const client = await this.#client(app);
    // The URL the identity service redirected to, rebuilt from publicUrl (the companion may be behind a proxy).
    const current = new URL(`${this.#redirectUri}${search}`);
    // Servers named by explicit URLs have no issuer to compare an `iss` parameter with.
    if (this.signInOf(app).type === 'oauth') current.searchParams.delete('iss');
    const tokens = await oidc.authorizationCodeGrant(client, current, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      ...(this.isOidc(app) ? { expectedNonce: checks.nonce, idTokenExpected: true } : {}),
    });
    return toTokens(tokens, undefined);
  }

  /** The refresh_token grant; the new refresh token when the server rotates it, else the old one. */
  async refresh(app: SignInApp, refreshToken: string): Promise<FreshTokens> {
    const client = await this.#client(app);
    const tokens = await oidc.refreshTokenGrant(client, refreshToken);
    return toTokens(tokens, refreshToken);
  }

  /** Revokes the grant's tokens where the server has a revocation endpoint; false when it has none. */
  async revoke(app: SignInApp, grant: Grant): Promise<boolean> {
    const client = await this.#client(app);
    if (!client.serverMetadata().revocation_endpoint) return false;
    // The refresh token first: servers such as Keycloak and oidc-provider then end the whole grant.
    if (grant.refreshToken) await oidc.tokenRevocation(client, grant.refreshToken, { token_type_hint: 'refresh_token' });
    await oidc.tokenRevocation(client, grant.accessToken, { token_type_hint: 'access_token' });
    return true;
  }

  async #client(app: SignInApp): Promise<oidc.Configuration> {
    const application: OAuthApplication = this.applicationOf(app);
    const metadata = await this.#serverMetadata(this.signInOf(app));
    const secret = application.clientSecret;
    const auth = secret === undefined ? oidc.None() : prefersPost(metadata) ? oidc.ClientSecretPost(secret) : oidc.ClientSecretBasic(secret);
    const client = new oidc.Configuration(metadata, application.clientId, secret === undefined ? {} : { client_secret: secret }, auth);
    client.timeout = this.#timeoutS;
    client[oidc.customFetch] = this.#fetch;
    if (usesHttp(metadata)) oidc.allowInsecureRequests(client);
    return client;
  }

  #serverMetadata(signIn: SignInConfig): Promise<oidc.ServerMetadata> {
    if (signIn.type === 'oauth') {
      return Promise.resolve({
        // No discovery: the issuer is only a name here (and `iss` is not checked, see exchange).
        issuer: new URL(signIn.authorizeUrl).origin,
        authorization_endpoint: signIn.authorizeUrl,
        token_endpoint: signIn.tokenUrl,
        ...(signIn.revokeUrl ? { revocation_endpoint: signIn.revokeUrl } : {}),
        // The legacy Alfresco cloud took client_id and client_secret in the form.
        token_endpoint_auth_methods_supported: ['client_secret_post'],
      });
    }
    if (signIn.type !== 'oidc') return Promise.reject(new FsError('FS_ERR_CONNECT_FAILED', 'This companion signs in with Alfresco tickets, not OAuth.'));
    const now = Date.now();
    let server = this.#servers.get(signIn.issuer);
    if (!server || now - server.at > DISCOVERY_TTL_MS) {
      const issuer = new URL(signIn.issuer);
      const metadata = oidc
        .discovery(issuer, 'discovery', undefined, undefined, { timeout: this.#timeoutS, [oidc.customFetch]: this.#fetch, ...(issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}) })
        .then((found) => ({ ...found.serverMetadata() }));
      const entry = { metadata, at: now };
      server = entry;
      this.#servers.set(signIn.issuer, entry);
      // A failed discovery is not remembered: the next sign-in tries again.
      metadata.catch(() => {
        if (this.#servers.get(signIn.issuer) === entry) this.#servers.delete(signIn.issuer);
      });
    }
    return server.metadata.catch((error: unknown) => {
      throw new FsError('FS_ERR_UPSTREAM', 'The Alfresco identity service could not be reached.', { cause: error });
    });
  }
}

/** One AlfrescoOAuth per companion (its outbound) and configuration, shared by the sign-in routes, sign-out and the token refresher (one discovery cache). */
const instances = new WeakMap<Outbound, WeakMap<CompanionConfig, AlfrescoOAuth>>();

export function alfrescoOAuth(config: CompanionConfig, publicUrl: string, outbound: Outbound): AlfrescoOAuth {
  const byConfig = instances.get(outbound) ?? new WeakMap<CompanionConfig, AlfrescoOAuth>();
  instances.set(outbound, byConfig);
  let instance = byConfig.get(config);
  if (!instance) {
    instance = new AlfrescoOAuth(config, publicUrl, outbound);
    byConfig.set(config, instance);
  }
  return instance;
}

/**
 * The companion's `RefreshUpstream`: a refusal (invalid_grant and the like) is thrown as is, so the
 * TokenRefresher answers FS_ERR_RECONNECT; an identity service that cannot be reached or fails (5xx) is
 * FS_ERR_UPSTREAM, which the refresher passes on (the grant may still be good).
 */
export function alfrescoRefresh(
  config: CompanionConfig,
  publicUrl: string,
  apps: { get(apiKey: string | undefined): SignInApp | undefined } = { get: (key) => config.apps.find((candidate) => candidate.apiKey === key) },
  outbound: Outbound,
): (grant: Grant) => Promise<FreshTokens> {
  return async (grant) => {
    const app = apps.get(grant.appKey);
    if (!app || grant.refreshToken === undefined) throw new FsError('FS_ERR_RECONNECT');
    try {
      return await alfrescoOAuth(config, publicUrl, outbound).refresh(app, grant.refreshToken);
    } catch (error) {
      if (error instanceof FsError) throw error;
      if (error instanceof oidc.ResponseBodyError && error.status < 500) throw error;
      throw new FsError('FS_ERR_UPSTREAM', 'The Alfresco identity service could not be reached.', { cause: error });
    }
  };
}

function toTokens(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers, previousRefresh: string | undefined): CodeExchange {
  const expiresIn = tokens.expiresIn();
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? previousRefresh,
    expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
  };
}

function prefersPost(metadata: oidc.ServerMetadata): boolean {
  const methods = metadata.token_endpoint_auth_methods_supported;
  // client_secret_basic is the default of RFC 8414 and every server must support it; use post only when it is the one offered.
  return methods !== undefined && !methods.includes('client_secret_basic') && methods.includes('client_secret_post');
}

function usesHttp(metadata: oidc.ServerMetadata): boolean {
  return [metadata.issuer, metadata.authorization_endpoint, metadata.token_endpoint, metadata.revocation_endpoint, metadata.jwks_uri].some(
    (url) => typeof url === 'string' && url.startsWith('http:'),
  );
}
