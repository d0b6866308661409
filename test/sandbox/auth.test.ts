import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as oidc from 'openid-client';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { Browser } from '../helpers/oidc-browser.ts';
import { authorization, signIn } from '../helpers/oidc-flow.ts';
import { AUTH, basic, CORE, startTestSandbox } from '../helpers/sandbox.ts';

const CALLBACK = 'http://127.0.0.1:1/auth/alfresco/callback';
const CLIENT = { clientId: 'fs-picker-companion', clientSecret: 'companion-secret' };

describe('sandbox: tickets, Basic and Bearer authentication', () => {
  let sandbox: RunningSandbox;
  const nodes = (headers: Record<string, string>, query = '') => fetch(`${sandbox.url}${CORE}/nodes/-my-${query}`, { headers }).then(async (r) => ({ status: r.status, body: (await r.json()) as { entry: { name: string } } }));
  const login = async (userId: string, password: string) => {
    const response = await fetch(`${sandbox.url}${AUTH}/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: basic(userId, password) }, body: JSON.stringify({ userId, password }) });
    return { status: response.status, body: (await response.json()) as { entry: { id: string; userId: string }; error: { briefSummary: string } } };
  };

  before(async () => {
    sandbox = await startTestSandbox({ identity: { accessTokenTtl: 2, clients: [{ ...CLIENT, redirectUris: [CALLBACK] }] } });
  });
  after(() => sandbox.close());

  test('POST tickets signs in (201) and refuses a wrong password (403) or a missing one (400)', async () => {
    const ok = await login('mjackson', 'mjackson');
    const wrong = await login('mjackson', 'nope');
    const missing = await fetch(`${sandbox.url}${AUTH}/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"userId":"mjackson"}' });

    assert.equal(ok.status, 201);
    assert.match(ok.body.entry.id, /^TICKET_[0-9a-f]{40}$/);
    assert.equal(ok.body.entry.userId, 'mjackson');
    assert.equal(wrong.status, 403);
    assert.match(wrong.body.error.briefSummary, /Login failed/);
    assert.equal(missing.status, 400);
  });

  test('a ticket works in each Basic encoding and as alf_ticket, for its own user', async () => {
    const { body } = await login('abeecher', 'abeecher');
    const ticket = body.entry.id;
    const encodings = [`ROLE_TICKET:${ticket}`, `:${ticket}`, ticket].map((value) => `Basic ${Buffer.from(value).toString('base64')}`);

    for (const authorization of encodings) assert.equal((await nodes({ Authorization: authorization })).body.entry.name, 'abeecher');
    assert.equal((await nodes({}, `?alf_ticket=${ticket}`)).body.entry.name, 'abeecher');
  });

  test('GET tickets/-me- validates and DELETE signs out', async () => {
    const { body } = await login('admin', 'admin');
    const header = { Authorization: `Basic ${Buffer.from(`ROLE_TICKET:${body.entry.id}`).toString('base64')}` };
    const valid = await fetch(`${sandbox.url}${AUTH}/tickets/-me-`, { headers: header });
    const signOut = await fetch(`${sandbox.url}${AUTH}/tickets/-me-`, { method: 'DELETE', headers: header });
    const after = await nodes(header);

    assert.equal(valid.status, 200);
    assert.deepEqual(await valid.json(), { entry: { id: body.entry.id } });
    assert.equal(signOut.status, 204);
    assert.equal(after.status, 401);
  });

  test('one user keeps one ticket, as a stock repository does', async () => {
    const first = await login('mjackson', 'mjackson');
    const second = await login('mjackson', 'mjackson');
    assert.equal(second.body.entry.id, first.body.entry.id);
  });

  test('OIDC end to end: sign-in form, code with PKCE, the token calls the REST API, refresh, expiry gives 401', async () => {
    const config = await oidc.discovery(new URL(sandbox.issuer), CLIENT.clientId, undefined, oidc.ClientSecretBasic(CLIENT.clientSecret), { execute: [oidc.allowInsecureRequests] });
    const auth = await authorization(config, CALLBACK);
    const callback = await signIn(new Browser(), auth, 'mjackson', 'mjackson');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: auth.verifier, expectedState: auth.state });
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

    assert.equal((await nodes(bearer(tokens.access_token))).body.entry.name, 'mjackson');

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal((await nodes(bearer(refreshed.access_token))).status, 200);

    await sleep(2_200);
    const expired = await fetch(`${sandbox.url}${CORE}/nodes/-my-`, { headers: bearer(refreshed.access_token) });
    assert.equal(expired.status, 401);
    assert.equal(expired.headers.get('WWW-Authenticate'), 'Basic realm="Alfresco"');
    assert.equal((await nodes(bearer('not-a-token'))).status, 401);
  });
});
