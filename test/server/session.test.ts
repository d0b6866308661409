import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CompanionHarness } from '../helpers/companion.ts';
import { TEST_APP } from '../helpers/companion.ts';
import { OAUTH_APP, connectWithOAuth, startOidcCompanion } from '../helpers/companion-auth.ts';
import { CORE } from '../helpers/sandbox.ts';
import { SecretBox } from '../../companion/src/security/secrets.ts';

const KEY = Buffer.alloc(32, 11).toString('base64');
const box = new SecretBox(KEY);
const OTHER_APP = { apiKey: 'other-app-key-2', name: 'Other app', allowedOrigins: ['https://other.example.com'] };

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('/api/session: who am I and sign-out', () => {
  let harness: CompanionHarness;
  before(async () => (harness = await startOidcCompanion({ overrides: { encryptionKey: KEY, apps: [TEST_APP, OTHER_APP] } })));
  after(() => harness.close());

  test('without a session, with an unknown one, or with another app’s, the answer is 401 FS_ERR_NOT_CONNECTED', async () => {
    const { session } = await connectWithOAuth(harness, 'mjackson');

    const none = await harness.call('/api/session');
    const unknown = await harness.call('/api/session', { session: 'not-a-session' });
    const otherApp = await harness.call(`/api/session?key=${OTHER_APP.apiKey}`, { session, headers: { Origin: OTHER_APP.allowedOrigins[0]! } });
    const signOutWithout = await harness.call('/api/session', { method: 'DELETE' });

    assert.deepEqual([none.status, unknown.status, otherApp.status, signOutWithout.status], [401, 401, 401, 401]);
    assert.deepEqual(await Promise.all([none, unknown, otherApp, signOutWithout].map(errorCode)), Array(4).fill('FS_ERR_NOT_CONNECTED'));
  });

  test('who am I answers the Alfresco user, never a token', async () => {
    const { session } = await connectWithOAuth(harness, 'abeecher');

    const response = await harness.call('/api/session', { session });

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { user: { id: 'abeecher', name: 'Alice Beecher' }, source: 'ALFRESCO' });
  });

  test('sign-out revokes the tokens at the identity service, deletes the grant and its sessions', async () => {
    const { session } = await connectWithOAuth(harness, 'admin');
    const row = await harness.db.selectFrom('grants').selectAll().where('user_id', '=', 'admin').executeTakeFirstOrThrow();
    const accessToken = box.open(row.access_sealed);
    const refreshToken = box.open(row.refresh_sealed!);
    const asAlfresco = () => fetch(`${harness.sandbox.url}${CORE}/people/-me-`, { headers: { Authorization: `Bearer ${accessToken}` } });
    assert.equal((await asAlfresco()).status, 200);

    const response = await harness.call('/api/session', { session, method: 'DELETE' });

    assert.equal(response.status, 204);
    assert.equal((await asAlfresco()).status, 401, 'the access token still works in Alfresco');
    const refresh = await fetch(`${harness.sandbox.issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${OAUTH_APP.clientId}:${OAUTH_APP.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    });
    assert.equal(refresh.status, 400);
    assert.equal(((await refresh.json()) as { error: string }).error, 'invalid_grant');
    assert.equal(await harness.db.selectFrom('grants').select('id').where('id', '=', row.id).executeTakeFirst(), undefined);
    assert.equal(await harness.db.selectFrom('sessions').select('token_hash').where('grant_id', '=', row.id).executeTakeFirst(), undefined);
    assert.equal(await errorCode(await harness.call('/api/session', { session })), 'FS_ERR_NOT_CONNECTED');
  });

  test('signing out one user leaves another user’s connection working', async () => {
    const first = await connectWithOAuth(harness, 'mjackson');
    const second = await connectWithOAuth(harness, 'abeecher');

    assert.equal((await harness.call('/api/session', { session: first.session, method: 'DELETE' })).status, 204);

    assert.equal((await harness.call('/api/session', { session: second.session })).status, 200);
  });
});
