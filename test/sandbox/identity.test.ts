import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { createIdentityService, type IdentityOptions, type IdentityService, type IdentityUser } from '../../src/sandbox/identity/index.ts';
import { Browser, parseForm } from '../helpers/oidc-browser.ts';
import { asCallback, asPage, authorization, signIn } from '../helpers/oidc-flow.ts';

const REALM_PATH = '/auth/realms/alfresco';
/** Never served: the flow stops at the redirect and reads `code` from it. */
const COMPANION_CALLBACK = 'http://127.0.0.1:1/auth/alfresco/callback';
const PICKER_CALLBACK = 'http://localhost:1/picker-callback.html';
const SIGNED_OUT = 'http://127.0.0.1:1/signed-out';
const COMPANION = { clientId: 'companion-app-key', clientSecret: 'companion-app-secret' };
const PICKER = { clientId: 'alfresco' };
/** The sandbox's seeded people (src/sandbox/users.ts), as the sandbox passes them. */
const USERS: IdentityUser[] = [
  { id: 'admin', displayName: 'Administrator', email: 'admin@alfresco.com', password: 'admin' },
  { id: 'mjackson', displayName: 'Mike Jackson', firstName: 'Mike', lastName: 'Jackson', email: 'mjackson@example.com', password: 'mjackson' },
  { id: 'abeecher', displayName: 'Alice Beecher', email: 'abeecher@example.com', password: 'abeecher' },
];

interface RunningIdentity {
  identity: IdentityService;
  issuer: string;
  close: () => Promise<void>;
}

/** The identity service behind a tiny HTTP server, as the sandbox will mount it: /auth/realms/alfresco/* goes to handle. */
async function startIdentity(options: Omit<IdentityOptions, 'issuer' | 'users'> = {}): Promise<RunningIdentity> {
  const mounted: { identity?: IdentityService } = {};
  const server = createServer((req, res) => {
    const { identity } = mounted;
    if (identity && (req.url === REALM_PATH || req.url?.startsWith(`${REALM_PATH}/`) || req.url?.startsWith(`${REALM_PATH}?`))) identity.handle(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${REALM_PATH}`;
  const identity = (mounted.identity = await createIdentityService({
    issuer,
    users: USERS,
    clients: [
      { ...COMPANION, redirectUris: [COMPANION_CALLBACK], postLogoutRedirectUris: [SIGNED_OUT] },
      { ...PICKER, redirectUris: [PICKER_CALLBACK] },
    ],
    ...options,
  }));
  return {
    identity,
    issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const insecure = { execute: [oidc.allowInsecureRequests] };

function companionConfig(issuer: string, auth: 'basic' | 'post' = 'basic', secret = COMPANION.clientSecret): Promise<oidc.Configuration> {
  const method = auth === 'basic' ? oidc.ClientSecretBasic(secret) : oidc.ClientSecretPost(secret);
  return oidc.discovery(new URL(issuer), COMPANION.clientId, undefined, method, insecure);
}

function pickerConfig(issuer: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), PICKER.clientId, undefined, oidc.None(), insecure);
}

/** A full code flow with PKCE for one user: the token response. */
async function tokensFor(config: oidc.Configuration, redirectUri: string, username: string, browser = new Browser()) {
  const auth = await authorization(config, redirectUri);
  const callback = await signIn(browser, auth, username, username);
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: auth.verifier, expectedState: auth.state });
}

async function userinfoStatus(issuer: string, accessToken: string): Promise<number> {
  const response = await fetch(`${issuer}/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.body?.cancel();
  return response.status;
}

/** The OAuth error of a refused request: the body's `error`, or the one in a 401's WWW-Authenticate challenge. */
async function rejection(promise: Promise<unknown>): Promise<{ error?: string; status?: number }> {
  try {
    await promise;
  } catch (caught) {
    const error = caught as { error?: string; status?: number; cause?: Array<{ parameters?: { error?: string } }> };
    return { status: error.status, error: error.error ?? (Array.isArray(error.cause) ? error.cause[0]?.parameters?.error : undefined) };
  }
  assert.fail('expected the request to be refused');
}

describe('identity service: an OpenID provider like the Alfresco Identity Service', () => {
  let running: RunningIdentity;
  let issuer: string;
  before(async () => {
    running = await startIdentity();
    issuer = running.issuer;
  });
  after(() => running.close());

  test('discovery names the realm as issuer and Keycloak’s endpoint paths', async () => {
    const config = await companionConfig(issuer);
    const metadata = config.serverMetadata();
    const endpoint = (path: string) => `${issuer}/protocol/openid-connect/${path}`;

    assert.equal(metadata.issuer, issuer);
    assert.equal(metadata.authorization_endpoint, endpoint('auth'));
    assert.equal(metadata.token_endpoint, endpoint('token'));
    assert.equal(metadata.userinfo_endpoint, endpoint('userinfo'));
    assert.equal(metadata.jwks_uri, endpoint('certs'));
    assert.equal(metadata.end_session_endpoint, endpoint('logout'));
    assert.equal(metadata.revocation_endpoint, endpoint('revoke'));
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    for (const method of ['client_secret_basic', 'client_secret_post', 'none']) {
      assert.ok(metadata.token_endpoint_auth_methods_supported?.includes(method), method);
    }
  });

  test('the JWKS has a public RSA signing key and no private parts', async () => {
    const response = await fetch(`${issuer}/protocol/openid-connect/certs`);
    const { keys } = (await response.json()) as { keys: Array<Record<string, string>> };

    assert.equal(response.status, 200);
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.kty, 'RSA');
    assert.equal(keys[0]!.use, 'sig');
    assert.ok(keys[0]!.kid);
    assert.ok(keys[0]!.n);
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(keys[0]![secret], undefined, secret);
  });

  test('the realm URL answers like Keycloak’s, with the public key', async () => {
    const response = await fetch(issuer);
    const body = (await response.json()) as Record<string, string>;

    assert.equal(response.status, 200);
    assert.equal(body.realm, 'alfresco');
    assert.equal(body['token-service'], `${issuer}/protocol/openid-connect`);
    assert.match(body.public_key!, /^MIIB[A-Za-z0-9+/]+=*$/);
  });

  test('the sign-in page is a self-contained form with labelled fields', async () => {
    const auth = await authorization(await companionConfig(issuer), COMPANION_CALLBACK);
    const page = asPage(await new Browser().navigate(auth.url, COMPANION_CALLBACK));
    const form = parseForm(page.html, page.url);

    assert.equal(page.response.status, 200);
    assert.match(page.response.headers.get('content-type')!, /^text\/html/);
    assert.match(page.response.headers.get('content-security-policy')!, /default-src 'none'/);
    assert.ok(page.url.pathname.startsWith(`${REALM_PATH}/login-actions/authenticate/`), page.url.pathname);
    assert.equal(form.method, 'post');
    assert.equal(form.action.href, page.url.href);
    assert.deepEqual(form.inputs, ['csrf', 'username', 'password']);
    assert.match(page.html, /<label for="username">[^<]+<\/label>\s*<input id="username"/);
    assert.match(page.html, /<label for="password">[^<]+<\/label>\s*<input id="password"[^>]*type="password"/);
    assert.match(page.html, /<html lang="en">/);
    assert.doesNotMatch(page.html, /(src|href)="|@import|url\(/, 'nothing loads from elsewhere');
  });

  test('a confidential client (client_secret_basic) gets tokens with PKCE; they verify and unlock userinfo', async () => {
    const config = await companionConfig(issuer);
    const auth = await authorization(config, COMPANION_CALLBACK);
    const callback = await signIn(new Browser(), auth, 'mjackson', 'mjackson');

    assert.ok(callback.searchParams.get('code'));
    assert.equal(callback.searchParams.get('state'), auth.state);
    assert.equal(callback.searchParams.get('iss'), issuer);

    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: auth.verifier, expectedState: auth.state });

    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.equal(tokens.expires_in, 300);
    assert.ok(tokens.refresh_token, 'a refresh token without offline_access, as Keycloak does');
    assert.equal(tokens.refresh_expires_in, 1800);
    assert.equal(tokens.claims()?.sub, 'mjackson');
    assert.equal(tokens.claims()?.name, 'Mike Jackson');
    assert.deepEqual(await running.identity.verifyAccessToken(tokens.access_token), { userId: 'mjackson' });

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, 'mjackson');
    assert.equal(userinfo.sub, 'mjackson');
    assert.equal(userinfo.preferred_username, 'mjackson');
    assert.equal(userinfo.name, 'Mike Jackson');
    assert.equal(userinfo.email, 'mjackson@example.com');
  });

  test('a confidential client may authenticate with client_secret_post; a wrong secret is refused', async () => {
    const tokens = await tokensFor(await companionConfig(issuer, 'post'), COMPANION_CALLBACK, 'abeecher');
    assert.deepEqual(await running.identity.verifyAccessToken(tokens.access_token), { userId: 'abeecher' });

    const wrong = await companionConfig(issuer, 'basic', 'not-the-secret');
    const auth = await authorization(wrong, COMPANION_CALLBACK);
    const callback = await signIn(new Browser(), auth, 'abeecher', 'abeecher');
    const error = await rejection(oidc.authorizationCodeGrant(wrong, callback, { pkceCodeVerifier: auth.verifier, expectedState: auth.state }));
    assert.equal(error.status, 401);
    assert.equal(error.error, 'invalid_client');
  });

  test('a public client gets tokens with PKCE and must send a code challenge', async () => {
    const config = await pickerConfig(issuer);
    const tokens = await tokensFor(config, PICKER_CALLBACK, 'admin');
    assert.deepEqual(await running.identity.verifyAccessToken(tokens.access_token), { userId: 'admin' });
    assert.ok(tokens.refresh_token);

    const noPkce = oidc.buildAuthorizationUrl(config, { redirect_uri: PICKER_CALLBACK, scope: 'openid', state: 'x' });
    const refused = asCallback(await new Browser().navigate(noPkce, PICKER_CALLBACK));
    assert.equal(refused.searchParams.get('error'), 'invalid_request');
    assert.match(refused.searchParams.get('error_description')!, /PKCE/);
    assert.equal(refused.searchParams.get('code'), null);
  });

  test('a wrong code_verifier is refused', async () => {
    const config = await pickerConfig(issuer);
    const auth = await authorization(config, PICKER_CALLBACK);
    const callback = await signIn(new Browser(), auth, 'mjackson', 'mjackson');

    const error = await rejection(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: auth.state }));
    assert.equal(error.error, 'invalid_grant');
  });

  test('a wrong password shows the form again with an error, and no code; the right one then signs in', async () => {
    const browser = new Browser();
    const auth = await authorization(await companionConfig(issuer), COMPANION_CALLBACK);
    const page = asPage(await browser.navigate(auth.url, COMPANION_CALLBACK));
    const form = parseForm(page.html, page.url);

    const again = asPage(await browser.navigate(form.action, COMPANION_CALLBACK, { ...form.hidden, username: 'mjackson', password: 'wrong' }));
    assert.equal(again.response.status, 200);
    assert.equal(again.response.headers.get('location'), null);
    assert.match(again.html, /<p class="error" id="login-error" role="alert">Invalid username or password\.<\/p>/);
    assert.match(again.html, /<input id="username"[^>]*value="mjackson"[^>]*aria-invalid="true" aria-describedby="login-error"/);
    assert.doesNotMatch(again.html, /code=/);

    const retry = parseForm(again.html, again.url);
    const callback = asCallback(await browser.navigate(retry.action, COMPANION_CALLBACK, { ...retry.hidden, username: 'mjackson', password: 'mjackson' }));
    assert.ok(callback.searchParams.get('code'));
  });

  test('a sign-in form posted without its CSRF token is refused', async () => {
    const browser = new Browser();
    const auth = await authorization(await companionConfig(issuer), COMPANION_CALLBACK);
    const page = asPage(await browser.navigate(auth.url, COMPANION_CALLBACK));

    const refused = asPage(await browser.navigate(page.url, COMPANION_CALLBACK, { csrf: 'forged', username: 'admin', password: 'admin' }));
    assert.equal(refused.response.status, 403);
  });

  test('refresh gives new tokens; the spent refresh token is refused', async () => {
    const config = await companionConfig(issuer);
    const first = await tokensFor(config, COMPANION_CALLBACK, 'mjackson');
    const second = await oidc.refreshTokenGrant(config, first.refresh_token!);

    assert.notEqual(second.access_token, first.access_token);
    assert.ok(second.refresh_token);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.deepEqual(await running.identity.verifyAccessToken(second.access_token), { userId: 'mjackson' });
    const error = await rejection(oidc.refreshTokenGrant(config, first.refresh_token!));
    assert.equal(error.error, 'invalid_grant');
  });

  test('expireAllTokens() invalidates every access and refresh token issued so far, not later ones', async () => {
    const config = await companionConfig(issuer);
    const browser = new Browser();
    const tokens = await tokensFor(config, COMPANION_CALLBACK, 'abeecher', browser);
    assert.deepEqual(await running.identity.verifyAccessToken(tokens.access_token), { userId: 'abeecher' });

    running.identity.expireAllTokens();

    assert.equal(await running.identity.verifyAccessToken(tokens.access_token), undefined);
    assert.equal(await userinfoStatus(issuer, tokens.access_token), 401);
    assert.equal((await rejection(oidc.refreshTokenGrant(config, tokens.refresh_token!))).error, 'invalid_grant');

    // The sign-in session survives: signing in again needs no form and gives working tokens.
    const auth = await authorization(config, COMPANION_CALLBACK);
    const callback = asCallback(await browser.navigate(auth.url, COMPANION_CALLBACK));
    const fresh = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: auth.verifier, expectedState: auth.state });
    assert.deepEqual(await running.identity.verifyAccessToken(fresh.access_token), { userId: 'abeecher' });
  });

  test('revoking an access token or a refresh token ends it', async () => {
    const config = await companionConfig(issuer);
    const tokens = await tokensFor(config, COMPANION_CALLBACK, 'admin');

    await oidc.tokenRevocation(config, tokens.access_token);
    assert.equal(await running.identity.verifyAccessToken(tokens.access_token), undefined);

    await oidc.tokenRevocation(config, tokens.refresh_token!);
    assert.equal((await rejection(oidc.refreshTokenGrant(config, tokens.refresh_token!))).error, 'invalid_grant');
  });

  test('the token endpoint allows CORS from the origins of a client’s redirect URIs only', async () => {
    const tokenRequest = (origin: string) =>
      fetch(`${issuer}/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'unknown', client_id: PICKER.clientId }),
      });
    const allowed = await tokenRequest(new URL(PICKER_CALLBACK).origin);
    const other = await tokenRequest('http://evil.example');

    assert.equal(allowed.headers.get('access-control-allow-origin'), new URL(PICKER_CALLBACK).origin);
    assert.equal(((await allowed.json()) as { error: string }).error, 'invalid_grant');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    assert.equal(((await other.json()) as { error: string }).error, 'invalid_request');
  });

  test('verifyAccessToken refuses what it did not issue', async () => {
    assert.equal(await running.identity.verifyAccessToken('not-a-token'), undefined);
    assert.equal(await running.identity.verifyAccessToken(''), undefined);
  });

  test('end-session signs out: back to the client, tokens dead, the next sign-in shows the form', async () => {
    const config = await companionConfig(issuer);
    const browser = new Browser();
    const tokens = await tokensFor(config, COMPANION_CALLBACK, 'mjackson', browser);

    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: SIGNED_OUT, state: 'bye' });
    assert.equal(logoutUrl.pathname, `${REALM_PATH}/protocol/openid-connect/logout`);
    const page = asPage(await browser.navigate(logoutUrl, SIGNED_OUT));
    const form = parseForm(page.html, page.url);
    assert.equal(form.hidden.logout, 'yes', 'with an id_token_hint the page signs out without asking');
    assert.match(page.html, /<script nonce="[^"]+">document\.getElementById\('op\.logoutForm'\)\.submit\(\);<\/script>/);

    const back = asCallback(await browser.navigate(form.action, SIGNED_OUT, form.hidden));
    assert.equal(back.origin + back.pathname, SIGNED_OUT);
    assert.equal(back.searchParams.get('state'), 'bye');
    assert.equal(await running.identity.verifyAccessToken(tokens.access_token), undefined);
    assert.equal((await rejection(oidc.refreshTokenGrant(config, tokens.refresh_token!))).error, 'invalid_grant');

    const auth = await authorization(config, COMPANION_CALLBACK);
    const signInAgain = asPage(await browser.navigate(auth.url, COMPANION_CALLBACK));
    assert.ok(signInAgain.url.pathname.startsWith(`${REALM_PATH}/login-actions/authenticate/`));
  });

  test('registerClient adds a client at runtime', async () => {
    const callbackUrl = 'http://127.0.0.1:2/dev-app/callback';
    const before = await oidc.discovery(new URL(issuer), 'dev-app', undefined, oidc.ClientSecretBasic('dev-secret'), insecure);
    const refused = await authorization(before, callbackUrl);
    const page = asPage(await new Browser().navigate(refused.url, callbackUrl));
    assert.equal(page.response.status, 400, 'unknown client');

    running.identity.registerClient({ clientId: 'dev-app', clientSecret: 'dev-secret', redirectUris: [callbackUrl] });
    const tokens = await tokensFor(before, callbackUrl, 'admin');
    assert.deepEqual(await running.identity.verifyAccessToken(tokens.access_token), { userId: 'admin' });
  });
});

describe('identity service: short token lifetimes', () => {
  let running: RunningIdentity;
  before(async () => (running = await startIdentity({ accessTokenTtl: 2, refreshTokenTtl: 60, codeTtl: 1 })));
  after(() => running.close());

  test('an expired access token no longer verifies; a refresh gives a working one', async () => {
    const config = await companionConfig(running.issuer);
    const tokens = await tokensFor(config, COMPANION_CALLBACK, 'mjackson');
    assert.equal(tokens.expires_in, 2);
    assert.deepEqual(await running.identity.verifyAccessToken(tokens.access_token), { userId: 'mjackson' });

    await sleep(2_100);

    assert.equal(await running.identity.verifyAccessToken(tokens.access_token), undefined);
    assert.equal(await userinfoStatus(running.issuer, tokens.access_token), 401);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.deepEqual(await running.identity.verifyAccessToken(refreshed.access_token), { userId: 'mjackson' });
  });

  test('an authorization code expires after codeTtl', async () => {
    const config = await companionConfig(running.issuer);
    const auth = await authorization(config, COMPANION_CALLBACK);
    const callback = await signIn(new Browser(), auth, 'admin', 'admin');

    await sleep(1_100);

    const error = await rejection(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: auth.verifier, expectedState: auth.state }));
    assert.equal(error.error, 'invalid_grant');
  });
});
