import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../../companion/src/app.ts';
import { ConfigError, parseConfig } from '../../companion/src/config.ts';
import { PortalAuth } from '../../companion/src/portal/auth.ts';
import { hashToken } from '../../companion/src/security/secrets.ts';
import { verifyWebhook, Webhooks } from '../../companion/src/index.ts';
import { startCompanion, TEST_APP, TEST_ORIGIN, type CompanionHarness } from '../helpers/companion.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

const PASSWORD = 'correct horse battery staple';
const TOKEN = 'admin-token-0123456789abcdef0123456789abcdef';
/** The companion's own origin (publicUrl defaults to http://127.0.0.1:3020): where the portal page lives. */
const PORTAL_ORIGIN = 'http://127.0.0.1:3020';

interface AppView {
  id: string;
  name: string;
  apiKey: string;
  allowedOrigins: string[];
  appSecretSet: boolean;
  requirePolicy: boolean;
  alfresco: { clientId: string | null; clientSecretSet: boolean; repositoryUrl: string | null; issuer: string | null; callbackUrl: string };
  storage: { endpoint: string | null; bucket: string; region: string; credentialsSet: boolean } | null;
  services: string[];
  webdav: { url: string } | null;
  cmis: { url: string; repositoryId: string | null; signIn: 'password' | 'alfresco' } | null;
  webhooks: Array<{ id: string; url: string; events: 'all' | string[] }>;
}

/** A signed-in owner: the portal's cookie and CSRF token, and calls made as the portal page makes them. */
class Owner {
  constructor(
    readonly h: CompanionHarness,
    readonly cookie: string,
    readonly csrf: string,
  ) {}

  static async signIn(h: CompanionHarness, password = PASSWORD): Promise<Owner> {
    const response = await portal(h, '/portal/api/session', { method: 'POST', json: { password } });
    assert.equal(response.status, 200, await response.clone().text());
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    const { csrf } = (await response.json()) as { csrf: string };
    return new Owner(h, cookie, csrf);
  }

  call(path: string, { method = 'GET', json, csrf = this.csrf, origin = PORTAL_ORIGIN }: { method?: string; json?: unknown; csrf?: string | null; origin?: string | null } = {}): Promise<Response> {
    return portal(this.h, path, { method, json, headers: { Cookie: this.cookie, ...(csrf === null ? {} : { 'X-FS-CSRF': csrf }) }, origin });
  }

  async json<T>(path: string, init: Parameters<Owner['call']>[1] = {}, status = 200): Promise<T> {
    const response = await this.call(path, init);
    const text = await response.text();
    assert.equal(response.status, status, text);
    return JSON.parse(text) as T;
  }
}

async function portal(h: CompanionHarness, path: string, { method = 'GET', json, headers = {}, origin = PORTAL_ORIGIN }: { method?: string; json?: unknown; headers?: Record<string, string>; origin?: string | null } = {}): Promise<Response> {
  return h.app.request(path, {
    method,
    headers: { ...(origin === null ? {} : { Origin: origin }), ...(json === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

describe('developer portal: configuration', () => {
  test('portal.adminPassword and adminToken are checked with a message per key', () => {
    const base = { alfresco: { repositoryUrl: 'http://127.0.0.1:9' }, apps: [TEST_APP] };
    assert.throws(
      () => parseConfig({ ...base, portal: { adminPassword: 'short', adminToken: 'short', other: 1 } }),
      (error: ConfigError) => {
        assert.deepEqual(error.problems.sort(), ['portal.adminPassword: must be at least 12 characters', 'portal.adminToken: must be at least 32 characters (openssl rand -hex 32)', 'portal.other: is not a known setting']);
        return true;
      },
    );
  });

  test('without a password or token the portal says it is disabled', async () => {
    const h = await startCompanion();
    try {
      const response = await portal(h, '/portal/api/session');
      assert.equal(response.status, 404);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /disabled.*portal\.adminPassword/);
      const page = await portal(h, '/portal');
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<fs-portal disabled>/);
      const slash = await portal(h, '/portal/');
      assert.deepEqual([slash.status, slash.headers.get('location')], [308, '/portal']);
    } finally {
      await h.close();
    }
  });
});

describe('developer portal: API', () => {
  let h: CompanionHarness;
  let receiver: Receiver;
  let owner: Owner;
  let appId: string;

  before(async () => {
    receiver = await startReceiver();
    h = await startCompanion({ portal: { adminPassword: PASSWORD, adminToken: TOKEN }, apps: [{ ...TEST_APP, allowPrivateUrls: true }] });
    owner = await Owner.signIn(h);
    const { apps } = await owner.json<{ apps: AppView[] }>('/portal/api/apps');
    appId = apps[0]!.id;
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  test('sign-in sets an HttpOnly, SameSite=Strict cookie on /portal; a wrong password is refused by name', async () => {
    const response = await portal(h, '/portal/api/session', { method: 'POST', json: { password: PASSWORD } });
    const cookie = response.headers.get('set-cookie')!;
    assert.match(cookie, /^fs_portal=[\w-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\/portal(;|$)/);
    assert.doesNotMatch(cookie, /Secure/, 'the companion is on http here');

    const wrong = await portal(h, '/portal/api/session', { method: 'POST', json: { password: 'not the password' } });
    assert.equal(wrong.status, 403);
    assert.deepEqual(((await wrong.json()) as { error: { field: string } }).error.field, 'password');

    const empty = await portal(h, '/portal/api/session', { method: 'POST', json: { password: '' } });
    assert.equal(empty.status, 400);
    assert.deepEqual(((await empty.json()) as { fields: Record<string, string> }).fields, { password: 'enter the admin password' });
  });

  test('the API answers only a signed-in owner or the admin token', async () => {
    assert.equal((await portal(h, '/portal/api/apps')).status, 401);
    assert.equal((await portal(h, '/portal/api/apps', { headers: { Cookie: 'fs_portal=forged' } })).status, 401);
    assert.equal((await portal(h, '/portal/api/apps', { headers: { Authorization: 'Bearer wrong-token' } })).status, 403);
    const withToken = await portal(h, '/portal/api/apps', { headers: { Authorization: `Bearer ${TOKEN}` }, origin: null });
    assert.equal(withToken.status, 200);
    assert.equal(((await withToken.json()) as { apps: AppView[] }).apps[0]!.apiKey, TEST_APP.apiKey);
    const state = await owner.json<{ signedIn: boolean; csrf: string }>('/portal/api/session');
    assert.deepEqual(state, { signedIn: true, csrf: owner.csrf });
  });

  test('a state-changing call without the CSRF token, with another one, or from another origin is refused', async () => {
    const change = { name: 'Renamed' };
    for (const init of [{ csrf: null }, { csrf: 'not-the-token' }, { origin: 'https://evil.example' }, { origin: null }]) {
      const response = await owner.call(`/portal/api/apps/${appId}`, { method: 'PATCH', json: change, ...init });
      assert.equal(response.status, 403, JSON.stringify(init));
    }
    const signInElsewhere = await portal(h, '/portal/api/session', { method: 'POST', json: { password: PASSWORD }, origin: 'https://evil.example' });
    assert.equal(signInElsewhere.status, 403);
    assert.equal((await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`)).app.name, TEST_APP.name, 'nothing changed');
    const { app } = await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`, { method: 'PATCH', json: change });
    assert.equal(app.name, 'Renamed');
  });

  test('bad settings are named per field', async () => {
    const response = await owner.call(`/portal/api/apps/${appId}`, { method: 'PATCH', json: { allowedOrigins: ['https://ok.example', 'https://bad.example/path'], alfresco: { issuer: 'ftp://x' }, storage: { bucket: 'b' }, colour: 'red' } });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { fields: Record<string, string> };
    assert.deepEqual(body.fields, {
      'allowedOrigins.1': 'must be an origin like https://app.example.com (scheme, host and port only)',
      'alfresco.issuer': 'must be an http(s) URL',
      'storage.bucket': 'must be at least 3 characters',
      colour: 'is not a known field',
    });
  });

  test('allowed origins apply to the picker at once', async () => {
    const origin = 'https://new-site.example';
    const before = await h.call('/api/services', { headers: { Origin: origin } });
    assert.equal(before.status, 403);
    await owner.json(`/portal/api/apps/${appId}`, { method: 'PATCH', json: { allowedOrigins: [TEST_ORIGIN, origin] } });
    const afterChange = await h.call('/api/services', { headers: { Origin: origin } });
    assert.equal(afterChange.status, 200);
  });

  test('the Alfresco App Secret and storage credentials are write-only; the callback URL is shown', async () => {
    const appSecret = 'alfresco-app-secret-value-42';
    const s3Secret = 's3-secret-access-key-value-42';
    const { app } = await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`, {
      method: 'PATCH',
      json: {
        alfresco: { clientId: 'my-app-key', clientSecret: appSecret, repositoryUrl: h.sandbox.url, issuer: 'https://id.example.com/auth/realms/alfresco' },
        storage: { endpoint: 'https://s3.example.com', bucket: 'my-bucket', region: 'eu-west-1', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: s3Secret },
      },
    });
    assert.deepEqual(app.alfresco, { clientId: 'my-app-key', clientSecretSet: true, repositoryUrl: h.sandbox.url, issuer: 'https://id.example.com/auth/realms/alfresco', callbackUrl: `${PORTAL_ORIGIN}/auth/alfresco/callback` });
    assert.deepEqual(app.storage, { endpoint: 'https://s3.example.com', bucket: 'my-bucket', region: 'eu-west-1', forcePathStyle: false, credentialsSet: true });
    for (const body of [JSON.stringify(app), await (await owner.call(`/portal/api/apps/${appId}`)).text(), await (await owner.call('/portal/api/apps')).text()]) {
      assert.ok(!body.includes(appSecret) && !body.includes(s3Secret) && !body.includes('AKIAEXAMPLE'), 'no secret in any answer');
    }
    // Sealed at rest.
    const row = await h.db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(appSecret) && !JSON.stringify(row).includes(s3Secret));
    assert.equal(h.box.open(row.alfresco_client_secret_sealed!), appSecret);

    // Saving other settings keeps the secret; an explicit null clears it.
    const kept = await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`, { method: 'PATCH', json: { alfresco: { clientId: 'my-app-key' }, storage: { bucket: 'my-bucket', region: 'eu-west-1' } } });
    assert.equal(kept.app.alfresco.clientSecretSet, true);
    assert.equal(kept.app.storage!.credentialsSet, true);
    const cleared = await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`, { method: 'PATCH', json: { alfresco: { clientId: null }, storage: null } });
    assert.deepEqual([cleared.app.alfresco.clientId, cleared.app.alfresco.clientSecretSet, cleared.app.storage], [null, false, null]);
  });

  test('require signed policies on and off', async () => {
    const on = await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`, { method: 'PATCH', json: { requirePolicy: true } });
    assert.equal(on.app.requirePolicy, true);
    const store = () => h.call('/api/store?filename=policy.txt&mimetype=text/plain', { method: 'POST', body: 'policy test' });
    const refused = await store();
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'FS_ERR_POLICY_REQUIRED');
    await owner.json(`/portal/api/apps/${appId}`, { method: 'PATCH', json: { requirePolicy: false } });
    const stored = await store();
    assert.equal(stored.status, 200, await stored.clone().text());
  });

  test('a new app secret is shown once and signs policies from then on', async () => {
    const { appSecret } = await owner.json<{ appSecret: string }>(`/portal/api/apps/${appId}/app-secret`, { method: 'POST' });
    assert.match(appSecret, /^[\w-]{40,}$/);
    const { app } = await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`);
    assert.equal(app.appSecretSet, true);
    assert.ok(!JSON.stringify(app).includes(appSecret));
  });

  test('webhooks: add with "all" or chosen events, a test event arrives signed with the URL’s own secret, edit, remove', async () => {
    const all = await owner.json<{ webhook: { id: string; url: string; events: string }; secret: string }>(`/portal/api/apps/${appId}/webhooks`, { method: 'POST', json: { url: `${receiver.url}/portal-all`, events: 'all' } }, 201);
    const uploads = await owner.json<{ webhook: { id: string }; secret: string }>(`/portal/api/apps/${appId}/webhooks`, { method: 'POST', json: { url: `${receiver.url}/portal-uploads`, events: ['fp.upload'] } }, 201);
    assert.notEqual(all.secret, uploads.secret);
    const bad = await owner.call(`/portal/api/apps/${appId}/webhooks`, { method: 'POST', json: { url: 'not a url', events: ['fp.nothing'] } });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(((await bad.json()) as { fields: Record<string, string> }).fields).sort(), ['events', 'url']);

    const { app } = await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`);
    assert.deepEqual(app.webhooks.map((hook) => [hook.url, hook.events]), [[`${receiver.url}/portal-all`, 'all'], [`${receiver.url}/portal-uploads`, ['fp.upload']]]);
    assert.ok(!JSON.stringify(app).includes(all.secret), 'secrets are shown once');

    const worker = new Webhooks({ db: h.db, config: h.config });
    const sent = await owner.json<{ eventId: number; urls: string[] }>(`/portal/api/apps/${appId}/test-event`, { method: 'POST' }, 202);
    assert.deepEqual(sent.urls, [`${receiver.url}/portal-all`]);
    await worker.drain();
    const [got] = receiver.at('/portal-all');
    assert.ok(got);
    assert.deepEqual([got.json.id, got.json.action, got.json.text.test, got.json.text.apikey], [sent.eventId, 'fp.dialog', true, TEST_APP.apiKey]);
    assert.equal(verifyWebhook(got.body, got.headers, all.secret), true);
    assert.equal(receiver.at('/portal-uploads').length, 0, 'the uploads-only URL does not get dialog events');

    // Edit: all events for the second URL, and a new secret for it (shown once).
    const edited = await owner.json<{ webhook: { events: string }; secret: string }>(`/portal/api/apps/${appId}/webhooks/${uploads.webhook.id}`, { method: 'PATCH', json: { events: 'all', rotateSecret: true } });
    assert.equal(edited.webhook.events, 'all');
    assert.notEqual(edited.secret, uploads.secret);
    await owner.json(`/portal/api/apps/${appId}/test-event`, { method: 'POST' }, 202);
    await worker.drain();
    const [second] = receiver.at('/portal-uploads');
    assert.equal(verifyWebhook(second!.body, second!.headers, edited.secret), true);

    assert.equal((await owner.call(`/portal/api/apps/${appId}/webhooks/${uploads.webhook.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await owner.call(`/portal/api/apps/${appId}/webhooks/${uploads.webhook.id}`, { method: 'DELETE' })).status, 404);
    assert.equal((await owner.call(`/portal/api/apps/${appId}/webhooks/${all.webhook.id}`, { method: 'DELETE' })).status, 204);
    assert.deepEqual((await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`)).app.webhooks, []);
  });

  test('the delivery log shows each attempt; a failed delivery is retried by hand', async () => {
    receiver.set('/portal-fail', { status: 500 });
    const hook = await owner.json<{ webhook: { id: string }; secret: string }>(`/portal/api/apps/${appId}/webhooks`, { method: 'POST', json: { url: `${receiver.url}/portal-fail`, events: 'all' } }, 201);
    const { eventId } = await owner.json<{ eventId: number }>(`/portal/api/apps/${appId}/test-event`, { method: 'POST' }, 202);
    const t0 = Date.now();
    let now = t0;
    const worker = new Webhooks({ db: h.db, config: h.config, now: () => now });
    for (const at of [0, 5 * 60_000, 60 * 60_000, 12 * 60 * 60_000]) {
      now = t0 + at;
      await worker.drain();
    }
    type Log = { deliveries: Array<{ id: number; eventId: number; status: string; url: string; attempts: Array<{ attempt: number; at: number; status: number | null; ok: boolean; error: string | null; nextAttemptAt: number | null }> }> };
    const failed = await owner.json<Log>(`/portal/api/apps/${appId}/deliveries?status=failed`);
    const delivery = failed.deliveries.find((entry) => entry.eventId === eventId)!;
    assert.equal(delivery.status, 'failed');
    assert.deepEqual(delivery.attempts.map((a) => [a.attempt, a.status, a.ok, a.error, a.nextAttemptAt === null ? null : a.nextAttemptAt - a.at]), [
      [1, 500, false, 'answered 500 Internal Server Error', 5 * 60_000],
      [2, 500, false, 'answered 500 Internal Server Error', 55 * 60_000],
      [3, 500, false, 'answered 500 Internal Server Error', 11 * 60 * 60_000],
      [4, 500, false, 'answered 500 Internal Server Error', null],
    ]);

    receiver.set('/portal-fail', { status: 200 });
    assert.equal((await owner.call(`/portal/api/apps/${appId}/deliveries/${delivery.id}/retry`, { method: 'POST', csrf: null })).status, 403, 'CSRF applies to retries');
    assert.equal((await owner.call(`/portal/api/apps/${appId}/deliveries/${delivery.id}/retry`, { method: 'POST' })).status, 202);
    now = Date.now() + 13 * 60 * 60_000;
    await worker.drain();
    const log = await owner.json<Log>(`/portal/api/apps/${appId}/deliveries`);
    const retried = log.deliveries.find((entry) => entry.id === delivery.id)!;
    assert.equal(retried.status, 'delivered');
    assert.deepEqual(retried.attempts.map((a) => a.ok), [false, false, false, false, true]);
    assert.equal((await owner.call(`/portal/api/apps/${appId}/deliveries/${delivery.id}/retry`, { method: 'POST' })).status, 409, 'only failed deliveries');
    const last = receiver.at('/portal-fail').at(-1)!;
    assert.equal(verifyWebhook(last.body, last.headers, hook.secret, { now }), true);
  });

  test('rotating the API key: the old key is refused by /api/services, the new one works, people stay connected', async () => {
    const session = await h.connect('mjackson');
    const { apiKey: oldKey } = (await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`)).app;
    const { apiKey } = await owner.json<{ apiKey: string }>(`/portal/api/apps/${appId}/api-key`, { method: 'POST' });
    assert.notEqual(apiKey, oldKey);
    const old = await h.call(`/api/services?key=${oldKey}`);
    assert.equal(old.status, 403);
    assert.equal(((await old.json()) as { error: { code: string } }).error.code, 'FS_ERR_UNKNOWN_API_KEY');
    assert.equal((await h.call(`/api/services?key=${apiKey}`)).status, 200);
    const who = await h.call(`/api/session?key=${apiKey}`, { session });
    assert.equal(who.status, 200, await who.clone().text());
    assert.equal(((await who.json()) as { user: { id: string } }).user.id, 'mjackson');
    assert.equal((await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`)).app.apiKey, apiKey);
  });

  test('sign-out ends the session', async () => {
    const other = await Owner.signIn(h);
    assert.equal((await other.call('/portal/api/session', { method: 'DELETE' })).status, 204);
    assert.equal((await other.call('/portal/api/apps')).status, 401);
  });

  test('a session outlives a restart: a new companion on the same database still knows the owner, who can sign out there', async () => {
    const other = await Owner.signIn(h);
    const restarted = await buildApp(h.config, { db: h.db, logger: pino({ level: 'silent' }) });
    const call = (method = 'GET') => restarted.request('/portal/api/session', { method, headers: { Origin: PORTAL_ORIGIN, Cookie: other.cookie, 'X-FS-CSRF': other.csrf } });
    assert.deepEqual(await (await call()).json(), { signedIn: true, csrf: other.csrf });
    assert.equal((await call('DELETE')).status, 204);
    assert.deepEqual(await (await call()).json(), { signedIn: false });
    assert.equal((await other.call('/portal/api/apps')).status, 401, 'and the first companion no longer knows it either');
  });

  test('a session ends after 8 hours without use, and each use starts the 8 hours again', async () => {
    let now = Date.now();
    const auth = new PortalAuth(h.db, { adminPassword: PASSWORD }, { now: () => now });
    const signedIn = await auth.signIn(PASSWORD, 'test client');
    assert.ok(signedIn.ok);
    const hour = 60 * 60_000;
    now += 7 * hour;
    assert.deepEqual(await auth.session(signedIn.token), { csrf: signedIn.csrf }, 'used after 7 hours');
    now += 7 * hour;
    assert.deepEqual(await auth.session(signedIn.token), { csrf: signedIn.csrf }, '7 hours after that use');
    now += 8 * hour + 1;
    assert.equal(await auth.session(signedIn.token), undefined, 'more than 8 hours idle');
    assert.equal(await h.db.selectFrom('portal_sessions').select('token_hash').where('token_hash', '=', hashToken(signedIn.token)).executeTakeFirst(), undefined, 'and its row is gone');
  });
});

describe('developer portal: WebDAV and CMIS sources', () => {
  /** Intranet servers, as an app's own sources usually are (the harness lets private targets through). */
  const DAV = 'http://10.0.0.5/remote.php/dav/files/';
  const CMIS = 'http://10.0.0.6/alfresco/api/-default-/public/cmis/versions/1.1/browser';
  let h: CompanionHarness;
  let owner: Owner;
  let appId: string;

  before(async () => {
    h = await startCompanion({ portal: { adminPassword: PASSWORD } });
    owner = await Owner.signIn(h);
    appId = (await owner.json<{ apps: AppView[] }>('/portal/api/apps')).apps[0]!.id;
  });
  after(async () => {
    await h.close();
  });

  const patch = (json: unknown) => owner.call(`/portal/api/apps/${appId}`, { method: 'PATCH', json });
  const saved = async (json: unknown) => (await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`, { method: 'PATCH', json })).app;
  const current = async () => (await owner.json<{ app: AppView }>(`/portal/api/apps/${appId}`)).app;
  const fieldsOf = async (response: Response, status = 400) => {
    const text = await response.text();
    assert.equal(response.status, status, text);
    return (JSON.parse(text) as { fields: Record<string, string> }).fields;
  };

  test('an app without them shows both off, and its services do not name them', async () => {
    const app = await current();
    assert.deepEqual([app.webdav, app.cmis, app.services], [null, null, ['ALFRESCO', 'COMPUTER', 'URL']]);
  });

  test('WebDAV and CMIS are turned on with their URLs (spaces dropped) and offered in the same change', async () => {
    const app = await saved({
      webdav: { url: `  ${DAV}  ` },
      cmis: { url: `${CMIS}\n`, signIn: 'alfresco' },
      services: ['ALFRESCO', 'WEBDAV', 'CMIS', 'COMPUTER'],
    });
    assert.deepEqual(app.webdav, { url: DAV });
    assert.deepEqual(app.cmis, { url: CMIS, repositoryId: null, signIn: 'alfresco' });
    assert.deepEqual(app.services, ['ALFRESCO', 'WEBDAV', 'CMIS', 'COMPUTER']);
    const again = await current();
    assert.deepEqual([again.webdav, again.cmis, again.services], [app.webdav, app.cmis, app.services], 'kept');
  });

  test('CMIS keys left out keep what the app has; a null repository id goes back to the server’s first', async () => {
    await saved({ cmis: { url: CMIS, repositoryId: '-default-', signIn: 'alfresco' } });
    const moved = await saved({ cmis: { url: `${CMIS}?moved=1` } });
    assert.deepEqual(moved.cmis, { url: `${CMIS}?moved=1`, repositoryId: '-default-', signIn: 'alfresco' });
    const first = await saved({ cmis: { url: CMIS, repositoryId: null, signIn: 'password' } });
    assert.deepEqual(first.cmis, { url: CMIS, repositoryId: null, signIn: 'password' });
  });

  test('bad source settings are named per field, and nothing is saved', async () => {
    const before = await current();
    const fields = await fieldsOf(await patch({ webdav: { url: 'ftp://files.example.com/' }, cmis: { url: '', repositoryId: '  ', signIn: 'kerberos' } }));
    assert.deepEqual(fields, {
      'webdav.url': 'must be an http(s) URL',
      'cmis.url': 'must be an http(s) URL',
      'cmis.repositoryId': 'must not be empty',
      'cmis.signIn': 'must be "password" or "alfresco"',
    });
    const missing = await fieldsOf(await patch({ webdav: {}, cmis: { signIn: 'password' } }));
    assert.deepEqual(Object.keys(missing).sort(), ['cmis.url', 'webdav.url']);
    const after = await current();
    assert.deepEqual([after.webdav, after.cmis], [before.webdav, before.cmis]);
  });

  test('a source URL the companion never reaches (link-local, cloud metadata) is refused naming its field', async () => {
    const before = await current();
    for (const [json, field] of [
      [{ webdav: { url: 'http://169.254.169.254/latest/meta-data/' } }, 'webdav.url'],
      [{ cmis: { url: 'http://[fe80::1]/cmis/browser' } }, 'cmis.url'],
    ] as const) {
      const response = await patch(json);
      const body = (await response.json()) as { error: { code: string; field: string; message: string } };
      assert.deepEqual([response.status, body.error.code, body.error.field], [403, 'FS_ERR_URL_REFUSED', field], body.error.message);
    }
    const after = await current();
    assert.deepEqual([after.webdav, after.cmis], [before.webdav, before.cmis], 'not saved');
  });

  test('services name WEBDAV or CMIS only when the app has that source; the refusal says how to fix it', async () => {
    await saved({ cmis: null, services: ['ALFRESCO', 'WEBDAV', 'COMPUTER'] });
    const withoutCmis = await fieldsOf(await patch({ services: ['ALFRESCO', 'CMIS'] }));
    assert.deepEqual(withoutCmis, { services: 'names CMIS, but the app has no CMIS source: give it its repository in cmis.url in the same change, or leave CMIS out' });
    const turnedOffHere = await fieldsOf(await patch({ webdav: null, services: ['WEBDAV', 'URL'] }));
    assert.match(turnedOffHere.services!, /^names WEBDAV, but the app has no WebDAV source: give it its server in webdav\.url/);
    assert.deepEqual(await fieldsOf(await patch({ services: [] })), { services: 'choose at least one service for the picker to offer' });
    const app = await current();
    assert.deepEqual([app.services, app.webdav, app.cmis], [['ALFRESCO', 'WEBDAV', 'COMPUTER'], { url: DAV }, null], 'nothing changed');
    // Turned on in the same change, it may be offered at once.
    const both = await saved({ cmis: { url: CMIS }, services: ['CMIS', 'ALFRESCO'] });
    assert.deepEqual([both.services, both.cmis?.signIn], [['CMIS', 'ALFRESCO'], 'password']);
  });

  test('turning a source off takes it out of services, the rest in its order, and the picker’s list still answers', async () => {
    await saved({ services: ['WEBDAV', 'COMPUTER', 'CMIS', 'ALFRESCO'] });
    const app = await saved({ webdav: null, cmis: null });
    assert.deepEqual([app.webdav, app.cmis, app.services], [null, null, ['COMPUTER', 'ALFRESCO']]);
    const services = await h.call('/api/services');
    assert.equal(services.status, 200, await services.clone().text());
    assert.deepEqual(((await services.json()) as { services: Array<{ id: string }> }).services.map((service) => service.id), ['COMPUTER', 'ALFRESCO']);
  });
});

describe('developer portal: wrong passwords', () => {
  test('after five wrong passwords even the right one is refused for a while (429 with Retry-After)', async () => {
    const h = await startCompanion({ portal: { adminPassword: PASSWORD } });
    try {
      for (let index = 0; index < 5; index++) {
        assert.equal((await portal(h, '/portal/api/session', { method: 'POST', json: { password: `guess ${index}` } })).status, 403);
      }
      const limited = await portal(h, '/portal/api/session', { method: 'POST', json: { password: PASSWORD } });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 60);
      assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'FS_ERR_RATE_LIMITED');
    } finally {
      await h.close();
    }
  });
});

describe('developer portal: wrong passwords behind a reverse proxy', () => {
  /** A sign-in as it arrives from the socket `socketAddress`, with `X-Forwarded-For` when given. */
  const signIn = (h: CompanionHarness, password: string, socketAddress: string, forwardedFor?: string) =>
    h.app.request(
      '/portal/api/session',
      { method: 'POST', headers: { Origin: PORTAL_ORIGIN, 'Content-Type': 'application/json', ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) }, body: JSON.stringify({ password }) },
      { incoming: { socket: { remoteAddress: socketAddress } } },
    );

  test('with trustedProxies, two owners behind the proxy are limited apart', async () => {
    const h = await startCompanion({ portal: { adminPassword: PASSWORD }, trustedProxies: ['10.0.0.0/8'] });
    try {
      for (let index = 0; index < 5; index++) assert.equal((await signIn(h, `guess ${index}`, '10.0.0.2', '203.0.113.5')).status, 403);
      assert.equal((await signIn(h, PASSWORD, '10.0.0.2', '203.0.113.5')).status, 429, 'the guesser is limited');
      assert.equal((await signIn(h, PASSWORD, '10.0.0.3', '198.51.100.8')).status, 200, 'the owner behind the same proxy signs in');
    } finally {
      await h.close();
    }
  });

  test('without trustedProxies, X-Forwarded-For is ignored: a new header each time does not escape the limit', async () => {
    const h = await startCompanion({ portal: { adminPassword: PASSWORD } });
    try {
      for (let index = 0; index < 5; index++) assert.equal((await signIn(h, `guess ${index}`, '192.0.2.9', `203.0.113.${index}`)).status, 403);
      const limited = await signIn(h, PASSWORD, '192.0.2.9', '198.51.100.99');
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 60);
    } finally {
      await h.close();
    }
  });
});
