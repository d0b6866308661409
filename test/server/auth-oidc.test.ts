import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_APP, TEST_ORIGIN, startCompanion, type CompanionHarness } from '../helpers/companion.ts';
import {
  CALLBACK,
  COMPANION_URL,
  OAUTH_APP,
  authorizeAtSandbox,
  companionRequest,
  connectWithOAuth,
  popupResult,
  start,
  startOidcCompanion,
} from '../helpers/companion-auth.ts';

describe('Connecting over OpenID Connect (the sandbox’s identity service)', () => {
  let harness: CompanionHarness;
  before(async () => (harness = await startOidcCompanion()));
  after(() => harness.close());

  test('start sends the popup to the authorize endpoint with state, PKCE S256, a nonce and the operator’s client', async () => {
    const response = await start(harness);

    assert.equal(response.status, 302);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    const location = new URL(response.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, `${harness.sandbox.issuer}/protocol/openid-connect/auth`);
    const params = Object.fromEntries(location.searchParams);
    assert.equal(params.client_id, OAUTH_APP.clientId);
    assert.equal(params.redirect_uri, CALLBACK);
    assert.equal(params.response_type, 'code');
    assert.equal(params.scope, 'openid profile email');
    assert.equal(params.code_challenge_method, 'S256');
    assert.match(params.code_challenge!, /^[\w-]{43}$/);
    assert.match(params.state!, /^[\w-]{20,}$/);
    assert.match(params.nonce!, /^[\w-]{20,}$/);
    // Nothing the element sent travels to the identity service.
    assert.ok(!location.href.includes('nonce-0123456789') && !location.href.includes(encodeURIComponent(TEST_ORIGIN)));
  });

  test('the whole popup: sign in at the sandbox, the callback posts the session to the opener’s exact origin, and the session works', async () => {
    const result = await connectWithOAuth(harness, 'mjackson', 'nonce-whole-flow-1');

    assert.equal(result.status, 200);
    assert.equal(result.data.origin, TEST_ORIGIN);
    assert.equal(result.data.close, true);
    assert.deepEqual({ ...result.data.message, session: typeof result.data.message?.session }, {
      type: 'fs-picker:connected',
      nonce: 'nonce-whole-flow-1',
      session: 'string',
      user: { id: 'mjackson', name: 'Mike Jackson' },
    });
    // The page: a CSP whose script nonce the one script carries, no inline handlers, nothing cached or referred.
    const csp = result.headers.get('content-security-policy')!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && result.html.includes(`<script nonce="${nonce}">`));
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(result.html, /\son[a-z]+\s*=/i);
    assert.equal(result.headers.get('cache-control'), 'no-store');
    assert.equal(result.headers.get('referrer-policy'), 'no-referrer');
    assert.match(result.html, /window\.opener\.postMessage\(data\.message, data\.origin\)/);

    const me = await harness.call('/api/session', { session: result.session });
    assert.equal(me.status, 200);
    assert.deepEqual(await me.json(), { user: { id: 'mjackson', name: 'Mike Jackson' }, source: 'ALFRESCO' });

    const grant = await harness.db.selectFrom('grants').selectAll().where('user_id', '=', 'mjackson').executeTakeFirstOrThrow();
    assert.equal(grant.kind, 'oauth');
    assert.equal(grant.app_key, TEST_APP.apiKey);
    assert.match(grant.access_sealed, /^v1\./);
    assert.match(grant.refresh_sealed!, /^v1\./);
    assert.ok(grant.expires_at! > Date.now());
  });

  test('an origin the app does not allow gets an error page, no redirect and no message', async () => {
    const response = await start(harness, { origin: 'https://evil.example' });
    const result = await popupResult(response);

    assert.equal(result.status, 403);
    assert.equal(response.headers.get('location'), null);
    assert.match(result.html, /not allowed/);
    assert.deepEqual(result.data, {});
    assert.equal(await harness.db.selectFrom('sign_in_attempts').select('state').where('origin', '=', 'https://evil.example').executeTakeFirst(), undefined);
  });

  test('an unknown app key and a missing nonce get error pages without a redirect', async () => {
    const unknown = await popupResult(await start(harness, { key: 'no-such-app-key' }));
    assert.equal(unknown.status, 403);
    assert.match(unknown.html, /No app has this API key/);

    const noNonce = await harness.app.request(`/auth/alfresco/start?key=${TEST_APP.apiKey}&origin=${encodeURIComponent(TEST_ORIGIN)}`);
    assert.equal(noNonce.status, 400);
    assert.equal(noNonce.headers.get('location'), null);
  });

  test('refused consent (error=access_denied) tells the opener FS_ERR_CONNECT_DENIED', async () => {
    const started = await start(harness, { nonce: 'nonce-denied-000' });
    const state = new URL(started.headers.get('location')!).searchParams.get('state')!;

    const result = await popupResult(await companionRequest(harness, `${CALLBACK}?error=access_denied&state=${state}`));

    assert.equal(result.status, 403);
    assert.equal(result.data.origin, TEST_ORIGIN);
    assert.equal(result.data.close, false);
    assert.deepEqual({ ...result.data.message, message: undefined }, { type: 'fs-picker:connect-failed', nonce: 'nonce-denied-000', code: 'FS_ERR_CONNECT_DENIED', message: undefined });
    assert.match(result.html, /not allowed/);
  });

  test('another OAuth error from the identity service is FS_ERR_CONNECT_FAILED, its code shown escaped', async () => {
    const started = await start(harness, { nonce: 'nonce-other-err' });
    const state = new URL(started.headers.get('location')!).searchParams.get('state')!;

    const result = await popupResult(await companionRequest(harness, `${CALLBACK}?error=server_error&state=${state}`));
    const hostile = await popupResult(await companionRequest(harness, `${CALLBACK}?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=${new URL((await start(harness)).headers.get('location')!).searchParams.get('state')}`));

    assert.equal(result.data.message?.code, 'FS_ERR_CONNECT_FAILED');
    assert.match(result.data.message?.message ?? '', /server_error/);
    assert.doesNotMatch(hostile.html, /<script>alert/);
  });

  test('an unknown state gets a page that tells no one else', async () => {
    const result = await popupResult(await companionRequest(harness, `${CALLBACK}?code=abc&state=${'x'.repeat(43)}`));
    const missing = await popupResult(await companionRequest(harness, `${CALLBACK}?code=abc`));

    assert.equal(result.status, 400);
    assert.match(result.html, /not valid/);
    assert.deepEqual(result.data, {});
    assert.equal(missing.status, 400);
  });

  test('an attempt older than its lifetime is expired', async () => {
    const callback = await authorizeAtSandbox(harness, 'abeecher', 'abeecher', 'nonce-expired-00');
    await harness.db.updateTable('sign_in_attempts').set({ created_at: Date.now() - 11 * 60_000 }).where('state', '=', callback.searchParams.get('state')!).execute();

    const result = await popupResult(await companionRequest(harness, callback));

    assert.equal(result.status, 400);
    assert.deepEqual({ ...result.data.message, message: undefined }, { type: 'fs-picker:connect-failed', nonce: 'nonce-expired-00', code: 'FS_ERR_CONNECT_EXPIRED', message: undefined });
    assert.match(result.data.message!.message!, /expired/);
    assert.equal(await harness.db.selectFrom('grants').select('id').where('user_id', '=', 'abeecher').executeTakeFirst(), undefined);
  });

  test('a callback used twice (the same code and state) is refused the second time, and makes one grant', async () => {
    const callback = await authorizeAtSandbox(harness, 'admin', 'admin', 'nonce-reused-000');
    const [first, second] = await Promise.all([companionRequest(harness, callback), companionRequest(harness, callback)].map(async (response) => popupResult(await response)));
    const third = await popupResult(await companionRequest(harness, callback));

    const outcomes = [first!, second!].map((result) => result.data.message?.type).sort();
    assert.deepEqual(outcomes, ['fs-picker:connect-failed', 'fs-picker:connected']);
    assert.equal(third.data.message?.code, 'FS_ERR_CONNECT_EXPIRED');
    assert.match(third.html, /already used/);
    const grants = await harness.db.selectFrom('grants').select('id').where('user_id', '=', 'admin').execute();
    assert.equal(grants.length, 1);
  });

  test('an ID token whose nonce is not the attempt’s is refused (openid-client checks it)', async () => {
    const callback = await authorizeAtSandbox(harness, 'mjackson', 'mjackson', 'nonce-oidc-check');
    const state = callback.searchParams.get('state')!;
    await harness.db.updateTable('sign_in_attempts').set({ nonce: 'another-nonce-value' }).where('state', '=', state).execute();

    const result = await popupResult(await companionRequest(harness, callback));

    assert.equal(result.data.message?.type, 'fs-picker:connect-failed');
    assert.equal(result.data.message?.code, 'FS_ERR_CONNECT_FAILED');
    assert.equal(result.data.message?.nonce, 'nonce-oidc-check');
  });

  test('a tampered code is refused by the identity service and reported, not crashed on', async () => {
    const callback = await authorizeAtSandbox(harness, 'mjackson', 'mjackson', 'nonce-tampered-0');
    callback.searchParams.set('code', 'not-the-code');

    const result = await popupResult(await companionRequest(harness, callback));

    assert.equal(result.data.message?.type, 'fs-picker:connect-failed');
    assert.equal(result.data.message?.code, 'FS_ERR_CONNECT_EXPIRED');
  });
});

describe('Connecting with the app’s own OAuth application and with explicit OAuth URLs', () => {
  let harness: CompanionHarness;
  let legacy: CompanionHarness;
  before(async () => {
    harness = await startOidcCompanion({ overrides: { apps: [{ ...TEST_APP, alfrescoOAuth: { clientId: 'app-own-public-client' } }] } });
    harness.sandbox.identity.registerClient({ clientId: 'app-own-public-client', redirectUris: [CALLBACK] });
    const { sandbox } = harness;
    legacy = await startCompanion(
      {
        publicUrl: COMPANION_URL,
        alfresco: {
          repositoryUrl: sandbox.url,
          signIn: { type: 'oauth', authorizeUrl: `${sandbox.issuer}/protocol/openid-connect/auth`, tokenUrl: `${sandbox.issuer}/protocol/openid-connect/token`, revokeUrl: `${sandbox.issuer}/protocol/openid-connect/revoke` },
          // A public client: the sandbox holds confidential clients to client_secret_basic, the legacy cloud took the secret in the form.
          oauthApp: { clientId: 'legacy-client' },
          scopes: ['profile'],
        },
      },
      sandbox,
    );
  });
  after(async () => {
    await legacy.close();
    await harness.close();
  });

  test('the app’s App Key is the client id instead of the operator’s; a public application signs in with PKCE alone', async () => {
    const started = await start(harness);
    assert.equal(new URL(started.headers.get('location')!).searchParams.get('client_id'), 'app-own-public-client');

    const result = await connectWithOAuth(harness, 'abeecher');
    assert.deepEqual(result.data.message?.user, { id: 'abeecher', name: 'Alice Beecher' });
    assert.equal((await harness.call('/api/session', { session: result.session })).status, 200);
  });

  test('explicit authorize/token URLs (the legacy cloud’s way): no discovery, no nonce, and the session works', async () => {
    legacy.sandbox.identity.registerClient({ clientId: 'legacy-client', redirectUris: [CALLBACK] });

    const started = await start(legacy);
    const location = new URL(started.headers.get('location')!);
    assert.equal(location.searchParams.get('client_id'), 'legacy-client');
    assert.equal(location.searchParams.get('nonce'), null);
    assert.equal(location.searchParams.get('scope'), 'profile');

    const result = await connectWithOAuth(legacy, 'mjackson');
    const me = await legacy.call('/api/session', { session: result.session });
    assert.deepEqual(await me.json(), { user: { id: 'mjackson', name: 'Mike Jackson' }, source: 'ALFRESCO' });
  });
});
