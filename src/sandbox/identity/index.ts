/**
 * The sandbox's identity service: OpenID Connect like the Alfresco Identity Service (Keycloak realm
 * `alfresco`), built on oidc-provider.
 *
 * Served under the issuer's path (`<base>/auth/realms/alfresco`) with Keycloak's endpoint paths:
 * `/.well-known/openid-configuration`, `/protocol/openid-connect/{auth,token,userinfo,certs,logout,revoke,
 * token/introspect}`, the sign-in form at `/login-actions/authenticate/<interaction>`, and the realm
 * itself (`GET <issuer>`, Keycloak's realm info with its public key).
 *
 * Choices, where Keycloak and oidc-provider differ:
 * - Access tokens are opaque and checked in process (`verifyAccessToken`), not JWTs. oidc-provider
 *   only issues JWT access tokens for a resource server audience, and it refuses tokens with an
 *   audience at userinfo; Keycloak's one token works at both. Opaque tokens also make revocation,
 *   sign-out and `expireAllTokens()` take effect at once, with no deny list. Clients must treat access
 *   tokens as opaque anyway.
 * - Refresh tokens are issued for every code flow (as Keycloak does, no `offline_access` needed) and
 *   rotate on every refresh: the answer carries a new refresh token and the old one is spent (using it
 *   again revokes the grant). Keycloak also returns a new one each time; a client that keeps the
 *   newest works with both Keycloak settings ("Revoke Refresh Token" on or off).
 * - Consent is never asked: every client here is configured by the sandbox or the companion, like
 *   Keycloak's default `consentRequired: false`. Profile and e-mail claims are in the ID token too.
 * - Sign-out: with a valid `id_token_hint` it signs out at once (the page submits itself); without
 *   one it asks first, as Keycloak does.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Configuration, KoaContextWithOIDC, Provider as ProviderType } from 'oidc-provider';
import { loadOidcProvider } from './load-provider.ts';
import { errorPage, pageHeaders, signedOutPage, signInPage, signOutPage } from './pages.ts';
import { IdentityStore } from './store.ts';
import { UserDirectory, type IdentityUser } from './users.ts';
import { constantEqual, isRecord, readForm, sendJson, sendPage, stringParam } from './http.ts';
import { clientMetadata, generateSigningKey, parseIssuer, ttlOption } from './options.ts';

export type { IdentityUser } from './users.ts';

/** An OAuth client. With `clientSecret` it is confidential (client_secret_basic or _post), else public (PKCE S256 required). */
export interface IdentityClient {
  clientId: string;
  clientSecret?: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

export interface IdentityOptions {
  /** e.g. `http://127.0.0.1:8080/auth/realms/alfresco`; no trailing slash. */
  issuer: string;
  users: IdentityUser[];
  clients?: IdentityClient[];
  /** Seconds; Keycloak's alfresco realm: 300. */
  accessTokenTtl?: number;
  /** Seconds, renewed on every refresh (Keycloak's SSO idle timeout: 1800). */
  refreshTokenTtl?: number;
  /** Seconds; Keycloak's accessCodeLifespan: 60. */
  codeTtl?: number;
}

export interface IdentityService {
  issuer: string;
  /** Node request listener for every path under the realm (the sandbox's HTTP server routes /auth/realms/alfresco/* here). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  verifyAccessToken(token: string): Promise<{ userId: string } | undefined>;
  registerClient(client: IdentityClient): void;
  expireAllTokens(): void;
  /** Ends every access token now, as if each had reached its lifetime; refresh tokens stay good. */
  expireAccessTokens(): void;
}

const SIGN_IN_PATH = '/login-actions/authenticate/';
/** Keycloak's SSO session max lifespan and login timeout, in seconds. */
const SESSION_TTL = 36_000;
const INTERACTION_TTL = 1_800;

export async function createIdentityService(options: IdentityOptions): Promise<IdentityService> {
  const { issuer } = options;
  const issuerUrl = parseIssuer(issuer);
  const accessTokenTtl = ttlOption(options.accessTokenTtl, 'accessTokenTtl', 300);
  const refreshTokenTtl = ttlOption(options.refreshTokenTtl, 'refreshTokenTtl', 1_800);
  const codeTtl = ttlOption(options.codeTtl, 'codeTtl', 60);
  const mountPath = issuerUrl.pathname.replace(/\/$/, '');
  const realm = mountPath.split('/').at(-1) || 'alfresco';

  const users = new UserDirectory(options.users);
  const store = new IdentityStore();
  const csrfKey = randomBytes(32);
  const { privateJwk, publicKeyDer } = generateSigningKey();

  const configuration: Configuration = {
    adapter: store.factory,
    jwks: { keys: [privateJwk] },
    cookies: {
      // Signed with a key made at start. On http://127.0.0.1 oidc-provider leaves `secure` off by itself
      // (it follows the request's protocol); the realm path keeps them away from the companion's cookies
      // on the same host (cookies ignore ports).
      keys: [randomBytes(32).toString('base64url')],
      names: { session: 'ALFRESCO_IDP_SESSION', interaction: 'ALFRESCO_IDP_INTERACTION', resume: 'ALFRESCO_IDP_RESUME' },
      long: { httpOnly: true, sameSite: 'lax', path: `${mountPath}/` },
      short: { httpOnly: true, sameSite: 'lax', path: `${mountPath}/` },
    },
    responseTypes: ['code'],
    routes: {
      authorization: '/protocol/openid-connect/auth',
      pushed_authorization_request: '/protocol/openid-connect/ext/par/request',
      token: '/protocol/openid-connect/token',
      userinfo: '/protocol/openid-connect/userinfo',
      jwks: '/protocol/openid-connect/certs',
      end_session: '/protocol/openid-connect/logout',
      revocation: '/protocol/openid-connect/revoke',
      introspection: '/protocol/openid-connect/token/introspect',
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false,
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    features: {
      devInteractions: { enabled: false },
      // A client revokes its own tokens; a confidential client (a resource server) may introspect any.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => client.clientAuthMethod !== 'none' || token.clientId === client.clientId,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          const nonce = randomBytes(16).toString('base64url');
          const autoSubmit = ctx.oidc.entities.IdTokenHint ? { nonce } : undefined;
          ctx.set(pageHeaders(autoSubmit?.nonce));
          ctx.body = signOutPage(form, autoSubmit);
        },
        postLogoutSuccessSource(ctx) {
          ctx.set(pageHeaders());
          ctx.body = signedOutPage(ctx.oidc.client?.clientId);
        },
      },
    },
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    ttl: {
      AccessToken: accessTokenTtl,
      IdToken: accessTokenTtl,
      RefreshToken: refreshTokenTtl,
      AuthorizationCode: codeTtl,
      Interaction: INTERACTION_TTL,
      Session: SESSION_TTL,
      Grant: Math.max(SESSION_TTL, refreshTokenTtl),
    },
    // Called for code exchanges; on a refresh, rotateRefreshToken decides.
    issueRefreshToken: (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.kind === 'AuthorizationCode',
    rotateRefreshToken: true,
    interactions: {
      url: (_ctx, interaction) => `${mountPath}${SIGN_IN_PATH}${interaction.uid}`,
    },
    findAccount(_ctx, sub) {
      const user = users.byId(sub);
      if (!user) return undefined;
      return { accountId: user.id, claims: () => users.claims(user) };
    },
    loadExistingGrant: (ctx) => grantEverythingRequested(ctx),
    clientBasedCORS(_ctx, origin, client) {
      // Keycloak's web origin "+": the origins of the client's redirect URIs.
      return [...(client.redirectUris ?? []), ...(client.postLogoutRedirectUris ?? [])].some((uri) => URL.parse(uri)?.origin === origin);
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.set(pageHeaders());
      ctx.body = errorPage('We are sorry…', out.error_description ?? out.error);
    },
  };

  const { Provider, errors } = await loadOidcProvider();
  const provider = new Provider(issuer, configuration);

  // Keycloak's token response fields beyond OAuth's, which Alfresco clients may read.
  provider.use(async (ctx, next) => {
    await next();
    const body: unknown = ctx.body;
    if (ctx.status === 200 && isRecord(body) && typeof body.access_token === 'string' && typeof body.token_type === 'string') {
      if (typeof body.refresh_token === 'string') body.refresh_expires_in = refreshTokenTtl;
      body['not-before-policy'] = 0;
    }
  });

  const providerCallback = provider.callback();

  const registerClient = (client: IdentityClient): void => {
    store.set(`Client:${client.clientId}`, clientMetadata(client));
  };
  for (const client of options.clients ?? []) registerClient(client);

  const realmInfo = JSON.stringify({
    realm,
    public_key: publicKeyDer,
    'token-service': `${issuer}/protocol/openid-connect`,
    'account-service': `${issuer}/account`,
    'tokens-not-before': 0,
  });

  const csrfFor = (uid: string): string => createHmac('sha256', csrfKey).update(uid).digest('base64url');

  async function signIn(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(405, { Allow: 'GET, POST' }).end();
      return;
    }
    let interaction: Awaited<ReturnType<ProviderType['interactionDetails']>>;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      sendPage(res, 400, errorPage('Sign-in expired', 'Your sign-in attempt timed out or cookies are blocked. Go back to the application and start again.'));
      return;
    }
    if (interaction.uid !== uid) {
      sendPage(res, 400, errorPage('Sign-in expired', 'This sign-in page belongs to another attempt. Go back to the application and start again.'));
      return;
    }
    const clientId = String(interaction.params.client_id);

    if (interaction.prompt.name === 'consent') {
      // Only reached with an explicit prompt=consent: grant it, there is no consent page.
      const grant = interaction.grantId
        ? await provider.Grant.find(interaction.grantId)
        : new provider.Grant({ accountId: interaction.session!.accountId, clientId });
      if (!grant) throw new Error('identity: the interaction names a grant that does not exist');
      const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
      if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    if (interaction.prompt.name !== 'login') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: `unsupported prompt ${interaction.prompt.name}` });
      return;
    }

    const action = `${mountPath}${SIGN_IN_PATH}${uid}`;
    if (req.method === 'GET') {
      sendPage(res, 200, signInPage({ action, csrf: csrfFor(uid), clientId, username: stringParam(interaction.params.login_hint) }));
      return;
    }

    const form = await readForm(req);
    if (!form) {
      sendPage(res, 400, errorPage('Bad request', 'The sign-in form could not be read.'));
      return;
    }
    if (!constantEqual(form.get('csrf') ?? '', csrfFor(uid))) {
      sendPage(res, 403, errorPage('Sign-in refused', 'The sign-in form was not sent from this page. Go back to the application and start again.'));
      return;
    }
    const username = form.get('username') ?? '';
    const user = users.authenticate(username, form.get('password') ?? '');
    if (!user) {
      sendPage(res, 200, signInPage({ action, csrf: csrfFor(uid), clientId, username, error: 'Invalid username or password.' }));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const pathname = url.split('?', 1)[0]!;
    if (pathname !== mountPath && !pathname.startsWith(`${mountPath}/`)) {
      sendJson(res, 404, { error: 'Unable to find matching target resource method' });
      return;
    }
    const rest = pathname.slice(mountPath.length);

    if (rest === '' || rest === '/') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' }).end(req.method === 'HEAD' ? undefined : realmInfo);
      return;
    }

    if (rest.startsWith(SIGN_IN_PATH)) {
      const uid = rest.slice(SIGN_IN_PATH.length);
      if (!/^[\w-]{1,64}$/.test(uid)) {
        sendPage(res, 404, errorPage('Page not found', 'There is no sign-in page at this address.'));
        return;
      }
      signIn(req, res, uid).catch((error: unknown) => {
        console.error('identity: sign-in failed', error);
        if (!res.headersSent) sendPage(res, 500, errorPage('We are sorry…', 'An unexpected error happened while signing in.'));
        else res.end();
      });
      return;
    }

    // Mounted the way Express mounts a sub-app: oidc-provider routes on the path below the issuer and
    // rebuilds its own URLs from `originalUrl` minus `url`, so links and cookies keep the realm prefix.
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = url.slice(mountPath.length);
    void providerCallback(req, res);
  }

  async function verifyAccessToken(token: string): Promise<{ userId: string } | undefined> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) return undefined;
    // The same checks as oidc-provider's userinfo endpoint: a known, unexpired token whose grant,
    // client and user still exist.
    const accessToken = await provider.AccessToken.find(token);
    if (!accessToken?.accountId || !accessToken.grantId || accessToken.isSenderConstrained()) return undefined;
    const grant = await provider.Grant.find(accessToken.grantId, { ignoreExpiration: true });
    if (!grant || grant.isExpired || grant.clientId !== accessToken.clientId || grant.accountId !== accessToken.accountId) return undefined;
    if (!accessToken.clientId || !(await provider.Client.find(accessToken.clientId))) return undefined;
    const user = users.byId(accessToken.accountId);
    return user ? { userId: user.id } : undefined;
  }

  return {
    issuer,
    handle,
    verifyAccessToken,
    registerClient: (client) => registerClient(client),
    expireAllTokens: () => store.dropTokens(),
    expireAccessTokens: () => store.dropAccessTokens(),
  };
}

/** Skips consent: the grant covers every OpenID scope and claim the request asks for. */
async function grantEverythingRequested(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const clientId = oidc.client!.clientId;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(clientId);
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  const grant = existing ?? new oidc.provider.Grant({ clientId, accountId: oidc.session!.accountId });
  const scopes = [...oidc.requestParamOIDCScopes];
  if (scopes.length) grant.addOIDCScope(scopes.join(' '));
  const claims = [...oidc.requestParamClaims];
  if (claims.length) grant.addOIDCClaims(claims);
  await grant.save();
  return grant;
}

