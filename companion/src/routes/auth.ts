import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import { FsError, type ErrorCode } from 'fs-picker/protocol';
import { AttemptStore, MAX_OPEN_ATTEMPTS_PER_APP, type AttemptStatus, type SignInAttempt } from '../auth/attempts.ts';
import { describeOAuthError } from '../auth/oauth-errors.ts';
import { connectedPage, failurePage, passwordFormPage, type Page } from '../auth/pages.ts';
import { PasswordLimits } from '../auth/password-limits.ts';
import { AppRegistry } from '../apps/registry.ts';
import type { Companion } from '../context.ts';
import type { Provider, SignedIn, SourceApp, SourceUser } from '../providers/provider.ts';
import { segmentOf } from '../providers/registry.ts';
import { addressKey, clientAddress } from '../requests/client-address.ts';
import { RateLimit } from '../security/rate-limit.ts';

/** The element's nonce: random, URL-safe (base64url or hex). */
const OPENER_NONCE = /^[\w-]{8,128}$/;
const CSRF_COOKIE = 'fs_signin_csrf';
const CSRF_PREFIX = 'password-form:';
/** Sign-ins one client address may start in 10 minutes: each is a row until it expires (and an app has at most 500 open), and an office behind one NAT address signs in many people. */
const STARTS_PER_ADDRESS = 200;

/**
 * The sign-in popup, opened by the element at the companion, the same for every source (`/auth/alfresco/…`):
 * - `GET /:source/start?key&origin&nonce` checks the app and its origin, records the attempt and sends the
 *   popup to the source's authorize endpoint (state, PKCE S256, and a nonce for OpenID Connect), or to the
 *   password form when the source signs in with one (Alfresco without an identity service: tickets);
 * - `GET /:source/callback` finishes an OAuth sign-in;
 * - `GET|POST /:source/ticket?state` is the companion's own password form.
 * Each ends on a page that posts `fs-picker:connected` or `fs-picker:connect-failed` to the opener's exact
 * origin. Nothing here redirects anywhere but to the source's authorize endpoint or the companion itself.
 */
export function authRoutes(companion: Companion): Hono {
  const { publicUrl, logger } = companion;
  const attempts = new AttemptStore(companion.db);
  const secureCookies = publicUrl.startsWith('https:');
  const formUrl = (provider: Provider) => `${publicUrl}/auth/${segmentOf(provider)}/ticket`;
  // The form's own path, behind a proxy prefix too: the cookie goes nowhere else.
  const cookiePath = (provider: Provider) => new URL(formUrl(provider)).pathname;
  const providerOf = (c: Context) => companion.sources.bySegment(c.req.param('source') ?? '');

  const apps = AppRegistry.of(companion.db);
  const appOf = (key: string | undefined): SourceApp | undefined => apps.get(key);
  // Wrong passwords on the form: per address and user name, per address, per user name (password-limits.ts).
  const passwordLimits = new PasswordLimits(companion.db);
  const startLimit = new RateLimit(companion.db, { kind: 'sign-in-start:address', max: STARTS_PER_ADDRESS, windowMs: 10 * 60_000 });
  const clientOf = (c: Context): string => clientAddress(c, companion.config.trustedProxies);

  /** Creates the session for a new grant and answers the page that hands it to the opener. */
  async function connected(c: Context, provider: Provider, attempt: SignInAttempt, user: SourceUser, tokens: SignedIn): Promise<Response> {
    const grant = await companion.grants.create({ appKey: attempt.appKey, source: provider.id, userId: user.id, userName: user.name, ...tokens });
    const session = await companion.sessions.create(grant.id, attempt.appKey);
    logger.info({ app: attempt.appKey, source: provider.id, user: user.id, kind: tokens.kind }, 'connected to a source');
    return send(c, connectedPage(provider.name, attempt.origin, { type: 'fs-picker:connected', nonce: attempt.openerNonce, session, user }));
  }

  function failed(c: Context, attempt: SignInAttempt, code: ErrorCode, title: string, text: string): Response {
    return send(c, failurePage(statusOf(code), title, text, { origin: attempt.origin, nonce: attempt.openerNonce, code }));
  }

  /** The page for an attempt that cannot go on (unknown, expired, used); undefined when it is open. */
  function closedAttempt(c: Context, status: AttemptStatus): Response | undefined {
    switch (status.kind) {
      case 'unknown':
        return send(c, failurePage(400, 'Sign-in link not valid', 'This sign-in link is not valid. Close this window and choose Connect again in the file picker.'));
      case 'used':
        return failed(c, status.attempt, 'FS_ERR_CONNECT_EXPIRED', 'Sign-in link already used', 'This sign-in link was already used. Close this window and choose Connect again in the file picker.');
      case 'expired':
        return failed(c, status.attempt, 'FS_ERR_CONNECT_EXPIRED', 'Sign-in expired', 'This sign-in took too long and has expired. Close this window and choose Connect again in the file picker.');
      case 'open':
        return undefined;
    }
  }

  /**
   * Why a new sign-in may not start now: its client started too many (each start is a database row until
   * it expires), or its app has too many open (a bound whatever the number of addresses).
   */
  async function startRefused(c: Context, appKey: string): Promise<{ why: 'address' | 'app'; retryAfterS: number } | undefined> {
    const byAddress = await startLimit.hit(addressKey(clientOf(c)));
    if (!byAddress.ok) return { why: 'address', retryAfterS: byAddress.retryAfterS };
    if ((await attempts.openCount(appKey)) >= MAX_OPEN_ATTEMPTS_PER_APP) return { why: 'app', retryAfterS: 60 };
    return undefined;
  }

  const csrfFor = (state: string): string => companion.box.seal(`${CSRF_PREFIX}${state}`);
  const csrfMatches = (token: string | undefined, cookie: string | undefined, state: string): boolean => {
    if (!token || token !== cookie) return false;
    try {
      return companion.box.open(token) === `${CSRF_PREFIX}${state}`;
    } catch {
      return false;
    }
  };

  function passwordForm(c: Context, provider: Provider, attempt: SignInAttempt, extra: { username?: string; error?: string; status?: number } = {}): Response {
    const csrf = csrfFor(attempt.state);
    setCookie(c, CSRF_COOKIE, csrf, { path: cookiePath(provider), httpOnly: true, sameSite: 'Strict', secure: secureCookies, maxAge: 600 });
    const app = appOf(attempt.appKey);
    const signIn = app && provider.signInOf(app);
    const keepsPassword = signIn?.kind === 'password' && signIn.keepsPassword === true;
    return send(c, passwordFormPage({ sourceName: provider.name, action: `${formUrl(provider)}?state=${encodeURIComponent(attempt.state)}`, csrf, keepsPassword, ...extra }));
  }

  return new Hono()
    .get('/:source/start', async (c) => {
      const provider = providerOf(c);
      const { name } = provider;
      const app = appOf(c.req.query('key'));
      const origin = c.req.query('origin');
      const nonce = c.req.query('nonce');
      if (!app) return send(c, failurePage(403, 'Unknown app', 'No app has this API key, so the file picker cannot connect. The site’s owner should check its configuration.'));
      if (!origin || !app.allowedOrigins.includes(origin)) {
        return send(c, failurePage(403, 'Site not allowed', 'The site that opened this window is not allowed to use this app, so the file picker cannot connect. The site’s owner should add it to the app’s allowed origins.'));
      }
      if (!nonce || !OPENER_NONCE.test(nonce)) return send(c, failurePage(400, 'Sign-in link not valid', 'This sign-in link is incomplete. Close this window and choose Connect again in the file picker.'));
      if (!(app.services as readonly string[]).includes(provider.id)) {
        return send(c, failurePage(403, `${name} not enabled`, `This app does not use ${name}.`, { origin, nonce, code: 'FS_ERR_CONNECT_FAILED' }));
      }

      const tooMany = await startRefused(c, app.apiKey);
      if (tooMany) {
        logger.warn({ app: app.apiKey, source: provider.id, client: clientOf(c), why: tooMany.why }, 'sign-in start refused: too many');
        c.header('Retry-After', String(tooMany.retryAfterS));
        return send(c, failurePage(429, 'Too many sign-ins', `Too many sign-ins were started ${tooMany.why === 'address' ? 'from your network' : 'for this site'} just now. Wait ${waitText(tooMany.retryAfterS)}, then choose Connect again.`, { origin, nonce, code: 'FS_ERR_RATE_LIMITED' }));
      }

      const state = oidc.randomState();
      const signIn = provider.signInOf(app);
      if (signIn.kind === 'password') {
        await attempts.create({ state, appKey: app.apiKey, source: provider.id, origin, openerNonce: nonce, codeVerifier: '', oidcNonce: undefined });
        return redirect(c, `${formUrl(provider)}?state=${encodeURIComponent(state)}`);
      }
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const oidcNonce = signIn.oauth.isOidc(app) ? oidc.randomNonce() : undefined;
      let url: URL;
      try {
        url = await signIn.oauth.authorizationUrl(app, { state, codeVerifier, nonce: oidcNonce });
      } catch (error) {
        logger.warn({ app: app.apiKey, source: provider.id, failure: describeOAuthError(error) }, 'sign-in could not start');
        return send(c, failurePage(502, `${name} unavailable`, `The ${name} sign-in service cannot be reached just now. Try again in a moment.`, { origin, nonce, code: 'FS_ERR_CONNECT_FAILED' }));
      }
      await attempts.create({ state, appKey: app.apiKey, source: provider.id, origin, openerNonce: nonce, codeVerifier, oidcNonce });
      return redirect(c, url.href);
    })

    .get('/:source/callback', async (c) => {
      const provider = providerOf(c);
      const { name } = provider;
      const query = c.req.query();
      const status = await attempts.status(query.state, provider.id);
      const closed = closedAttempt(c, status);
      if (closed || status.kind !== 'open') return closed!;
      const { attempt } = status;
      // One use only, decided atomically: a replayed or raced callback finds the attempt spent.
      if (!(await attempts.claim(attempt.state))) return closedAttempt(c, { kind: 'used', attempt })!;

      if (query.error !== undefined) {
        logger.info({ app: attempt.appKey, source: provider.id, error: query.error }, 'sign-in refused at the source');
        if (query.error === 'access_denied') {
          return failed(c, attempt, 'FS_ERR_CONNECT_DENIED', 'Access not allowed', `Access to ${name} was not allowed, so the file picker is not connected. Choose Connect again if you change your mind.`);
        }
        return failed(c, attempt, 'FS_ERR_CONNECT_FAILED', 'Sign-in failed', `${name} could not sign you in (${safeCode(query.error)}). Close this window and try again; if it keeps happening, tell the site’s owner.`);
      }
      const app = appOf(attempt.appKey);
      const signIn = app && provider.signInOf(app);
      if (!app || signIn?.kind !== 'oauth') return failed(c, attempt, 'FS_ERR_CONNECT_FAILED', 'Sign-in failed', `This app can no longer connect to ${name} this way.`);

      let tokens: SignedIn;
      try {
        const search = new URL(c.req.url).search;
        tokens = await signIn.oauth.exchange(app, search, { state: attempt.state, codeVerifier: attempt.codeVerifier, nonce: attempt.oidcNonce });
      } catch (error) {
        const failure = describeOAuthError(error);
        logger.warn({ app: app.apiKey, source: provider.id, failure }, 'sign-in code exchange failed');
        if (failure.kind === 'refused' && failure.error === 'invalid_grant') {
          return failed(c, attempt, 'FS_ERR_CONNECT_EXPIRED', 'Sign-in expired', `${name} no longer accepts this sign-in (it took too long or was already used). Close this window and choose Connect again.`);
        }
        if (failure.kind === 'unreachable') return failed(c, attempt, 'FS_ERR_CONNECT_FAILED', `${name} unavailable`, `The ${name} sign-in service cannot be reached just now. Try again in a moment.`);
        return failed(c, attempt, 'FS_ERR_CONNECT_FAILED', 'Sign-in failed', `${name}’s answer to the sign-in could not be accepted. Close this window and try again; if it keeps happening, tell the site’s owner.`);
      }

      let user: SourceUser;
      try {
        user = await provider.whoIs(app, tokens);
      } catch (error) {
        logger.warn({ app: app.apiKey, source: provider.id, err: error instanceof FsError ? { code: error.code, cause: error.cause } : describeOAuthError(error) }, 'the source refused the new token');
        return failed(c, attempt, 'FS_ERR_CONNECT_FAILED', 'Sign-in failed', error instanceof FsError ? error.message : `${name} could not be reached. Try again in a moment.`);
      }
      return connected(c, provider, attempt, user, tokens);
    })

    .get('/:source/ticket', async (c) => {
      const provider = providerOf(c);
      const status = await attempts.status(c.req.query('state'), provider.id);
      const closed = closedAttempt(c, status);
      if (closed || status.kind !== 'open') return closed!;
      return passwordForm(c, provider, status.attempt);
    })

    .post('/:source/ticket', async (c) => {
      const provider = providerOf(c);
      const { name } = provider;
      const status = await attempts.status(c.req.query('state'), provider.id);
      const closed = closedAttempt(c, status);
      if (closed || status.kind !== 'open') return closed!;
      const { attempt } = status;
      const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
      const field = (fieldName: string): string => (typeof form[fieldName] === 'string' ? form[fieldName] : '');
      if (!csrfMatches(field('csrf'), getCookie(c, CSRF_COOKIE), attempt.state)) {
        return send(c, failurePage(403, 'Sign-in refused', 'This sign-in form was not sent from this window. Close it and choose Connect again in the file picker.'));
      }
      const username = field('username').trim();
      const password = field('password');
      if (!username || !password) return passwordForm(c, provider, attempt, { username, error: `Enter your ${name} user name and password.` });

      const app = appOf(attempt.appKey);
      const signIn = app && provider.signInOf(app);
      if (!app || signIn?.kind !== 'password') return failed(c, attempt, 'FS_ERR_CONNECT_FAILED', 'Sign-in failed', `This app can no longer connect to ${name} this way.`);
      const client = clientOf(c);
      // Counted before the source is asked: parallel tries cannot all pass a limit none has failed yet.
      const allowed = await passwordLimits.reserve(client, username);
      if (!allowed.ok) {
        logger.warn({ app: attempt.appKey, source: provider.id, client, user: username }, 'password sign-in refused: too many wrong passwords');
        c.header('Retry-After', String(allowed.retryAfterS));
        return passwordForm(c, provider, attempt, { username, status: 429, error: `Too many wrong passwords. Wait ${waitText(allowed.retryAfterS)}, then try again.` });
      }
      let result: Awaited<ReturnType<typeof signIn.signIn>>;
      try {
        result = await signIn.signIn(username, password);
      } catch (error) {
        await allowed.attempt.undecided();
        throw error;
      }
      if (!result.ok) {
        if (result.reason === 'refused') {
          await allowed.attempt.wrong();
          logger.info({ app: attempt.appKey, source: provider.id, client, user: username }, 'password sign-in: wrong user name or password');
        } else await allowed.attempt.undecided();
        return passwordForm(c, provider, attempt, { username, error: result.reason === 'refused' ? 'The user name or password is not correct.' : `${name} cannot be reached just now. Try again in a moment.` });
      }
      await allowed.attempt.right();
      if (!(await attempts.claim(attempt.state))) return closedAttempt(c, { kind: 'used', attempt })!;
      let user: SourceUser;
      try {
        user = await provider.whoIs(app, result.tokens);
      } catch (error) {
        logger.warn({ app: attempt.appKey, source: provider.id, err: error instanceof FsError ? { code: error.code, cause: error.cause } : String(error) }, 'the source refused the new sign-in');
        return failed(c, attempt, 'FS_ERR_CONNECT_FAILED', 'Sign-in failed', `${name} could not be reached. Try again in a moment.`);
      }
      setCookie(c, CSRF_COOKIE, '', { path: cookiePath(provider), maxAge: 0 });
      return connected(c, provider, attempt, user, result.tokens);
    });
}

function send(c: Context, { status, headers, body }: Page): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.body(body, status as 400);
}

function redirect(c: Context, location: string): Response {
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  return c.redirect(location, 302);
}

/** "14 minutes", "1 minute", "30 seconds". */
function waitText(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

function statusOf(code: ErrorCode): number {
  return new FsError(code).status;
}

/** An OAuth error code from the query string, shown only when it looks like one. */
function safeCode(value: string): string {
  return /^[\w.-]{1,64}$/.test(value) ? value : 'unknown error';
}
