import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { parseConfig, type CompanionConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { AppRegistry } from '../../companion/src/apps/registry.ts';
import { signWebhook, verifyWebhook, Webhooks } from '../../companion/src/index.ts';
import { signStandardWebhook, standardSecretProblem } from '../../companion/src/webhooks/standard-signature.ts';
import { startCompanion, TEST_APP, type CompanionHarness } from '../helpers/companion.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { startReceiver, type Received, type Receiver } from './webhooks-receiver.ts';

// The Standard Webhooks specification's example, as its JavaScript library's own test ("sign function works") has it.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const vectorHeaders = (signature = VECTOR.signature) => ({ 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': signature });

const NEW_STANDARD = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const OLD_STANDARD = `whsec_${Buffer.alloc(24, 2).toString('base64')}`;
const NEW_FS = 'new-fs-secret-0123456789';
const OLD_FS = 'old-fs-secret-0123456789';
const KEY = Buffer.alloc(32, 5).toString('base64');

describe('Standard Webhooks signatures', () => {
  test("the spec's example: signed and verified as the spec and its library do", () => {
    assert.equal(signStandardWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body), VECTOR.signature);
    assert.equal(new Webhook(VECTOR.secret).sign(VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body), VECTOR.signature, 'the library agrees');
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders(), VECTOR.secret, { now: VECTOR.timestamp * 1000 }), true);
    assert.equal(verifyWebhook(Buffer.from(VECTOR.body), new Headers(vectorHeaders()), VECTOR.secret, { toleranceSeconds: Infinity }), true);
  });

  test('verifyWebhook: any one of space-separated signatures, any one of several secrets; nothing else', () => {
    const then = { now: VECTOR.timestamp * 1000 };
    const other = signStandardWebhook(NEW_STANDARD, VECTOR.id, VECTOR.timestamp, VECTOR.body);
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders(`${other} ${VECTOR.signature}`), VECTOR.secret, then), true);
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders(`v2,abc ${VECTOR.signature}`), VECTOR.secret, then), true, 'another version is skipped, not an error');
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders(), [NEW_STANDARD, VECTOR.secret], then), true);
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders(), NEW_STANDARD, then), false, 'another secret');
    assert.equal(verifyWebhook(VECTOR.body.replace('2432232314', '2432232315'), vectorHeaders(), VECTOR.secret, then), false, 'a changed body');
    assert.equal(verifyWebhook(VECTOR.body, { ...vectorHeaders(), 'webhook-id': 'msg_other' }, VECTOR.secret, then), false, 'another message id');
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders(VECTOR.signature.slice(0, 20)), VECTOR.secret, then), false, 'a cut signature');
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders(), VECTOR.secret, { now: (VECTOR.timestamp + 301) * 1000 }), false, 'outside the 300 s tolerance');
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders(), VECTOR.secret), false, 'a 2021 timestamp is far from now');
  });

  test('FS-Signature with two space-separated values verifies with either secret', () => {
    const timestamp = 1559199901;
    const both = { 'FS-Timestamp': String(timestamp), 'FS-Signature': `${signWebhook(NEW_FS, timestamp, VECTOR.body)} ${signWebhook(OLD_FS, timestamp, VECTOR.body)}` };
    const then = { now: timestamp * 1000 };
    assert.equal(verifyWebhook(VECTOR.body, both, NEW_FS, then), true);
    assert.equal(verifyWebhook(VECTOR.body, both, OLD_FS, then), true);
    assert.equal(verifyWebhook(VECTOR.body, both, 'a third secret 0123456789', then), false);
  });

  test('a whsec_ secret must hold 24 to 64 bytes of base64', () => {
    assert.equal(standardSecretProblem(VECTOR.secret), undefined);
    assert.match(standardSecretProblem('whsec_c2hvcnQ=')!, /24 to 64 random bytes; it holds 5/);
    assert.match(standardSecretProblem('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')!, /must be "whsec_"/);
  });
});

describe('webhook signing configuration', () => {
  const problems = (hook: Record<string, unknown>): string[] => {
    try {
      parseConfig({ alfresco: { repositoryUrl: 'http://127.0.0.1:9' }, apps: [{ apiKey: 'app-key-123', name: 'A', allowedOrigins: [], webhooks: [{ url: 'https://hooks.example.com/a', events: 'all', ...hook }] }] });
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  test('each wrong key is named', () => {
    assert.deepEqual(problems({ secret: NEW_FS, signing: 'standard' }), [
      `apps.0.webhooks.0.secret: with signing "standard", must be "whsec_" and the base64 of 24 to 64 random bytes (node -p "'whsec_' + crypto.randomBytes(32).toString('base64')")`,
    ]);
    assert.deepEqual(problems({ secret: NEW_STANDARD }), ['apps.0.webhooks.0.secret: is a Standard Webhooks secret (whsec_…): set signing to "standard", or use another secret']);
    assert.deepEqual(problems({ secret: NEW_STANDARD, signing: 'standard', previousSecret: OLD_FS, previousSecretUntil: '2026-12-09T12:00:00Z' }), [
      `apps.0.webhooks.0.previousSecret: with signing "standard", must be "whsec_" and the base64 of 24 to 64 random bytes (node -p "'whsec_' + crypto.randomBytes(32).toString('base64')")`,
    ]);
    assert.deepEqual(problems({ secret: NEW_FS, previousSecret: OLD_FS }), ['apps.0.webhooks.0.previousSecretUntil: give previousSecret and previousSecretUntil together']);
    assert.deepEqual(problems({ secret: NEW_FS, previousSecret: OLD_FS, previousSecretUntil: 'tomorrow' }), ['apps.0.webhooks.0.previousSecretUntil: must be an ISO 8601 time such as "2026-12-09T12:00:00Z"']);
    assert.deepEqual(problems({ secret: NEW_FS, signing: 'svix' }), ['apps.0.webhooks.0.signing: expected ("fs" | "standard"), got "svix"']);
    assert.deepEqual(problems({ secret: NEW_STANDARD, signing: 'standard', previousSecret: OLD_STANDARD, previousSecretUntil: '2026-12-09T12:00:00Z' }), []);
  });

  test('webhooks.rotationGraceHours: 24 by default, refused below 0', () => {
    const base = { alfresco: { repositoryUrl: 'http://127.0.0.1:9' }, apps: [{ apiKey: 'app-key-123', name: 'A', allowedOrigins: [] }] };
    assert.equal(parseConfig(base).webhooks.rotationGraceHours, 24);
    assert.throws(() => parseConfig({ ...base, webhooks: { rotationGraceHours: -1 } }), (error: { problems: string[] }) => error.problems[0] === 'webhooks.rotationGraceHours: must be 0 or more (hours)');
  });
});

/** The headers of a delivery as a receiver's library takes them. */
const headersOf = (got: Received): Record<string, string> => Object.fromEntries(Object.entries(got.headers).map(([name, value]) => [name, String(value)]));

describe('deliveries signed in each scheme, through a rotation', () => {
  let receiver: Receiver;
  let db: Db;
  let config: CompanionConfig;
  let clock = Date.now();
  let webhooks: Webhooks;
  const rotationEnds = Date.now() + 3_600_000;

  before(async () => {
    receiver = await startReceiver();
    db = await openTestDatabase();
    const until = new Date(rotationEnds).toISOString();
    config = parseConfig({
      encryptionKey: KEY,
      alfresco: { repositoryUrl: 'http://127.0.0.1:9' },
      outbound: { allowPrivateTargets: true },
      apps: [
        {
          ...TEST_APP,
          webhooks: [
            { url: `${receiver.url}/standard`, events: 'all', signing: 'standard', secret: NEW_STANDARD, previousSecret: OLD_STANDARD, previousSecretUntil: until },
            { url: `${receiver.url}/fs`, events: 'all', secret: NEW_FS, previousSecret: OLD_FS, previousSecretUntil: until },
            { url: `${receiver.url}/fs-plain`, events: 'all', secret: OLD_FS },
          ],
        },
      ],
    });
    webhooks = new Webhooks({ db, config, now: () => clock });
    // Seeded before the first emit: on SQLite the emit's transaction holds the one connection.
    await AppRegistry.open(db, config);
  });
  after(async () => {
    await webhooks.stop();
    await db.destroy();
    await receiver.close();
  });

  const emit = (): Promise<number> => db.transaction().execute((trx) => webhooks.emit(trx, TEST_APP.apiKey, { action: 'fp.delete', text: { url: 'https://files.example.com/x' } }));

  test('during the rotation the standardwebhooks library verifies with the old secret alone and with the new alone', async () => {
    const id = await emit();
    await webhooks.drain();
    const [got] = await receiver.waitFor('/standard', 1);
    const headers = headersOf(got!);
    assert.equal(headers['webhook-id'], `evt_${id}`, 'the event id, the same on every attempt');
    assert.equal(headers['webhook-signature']!.split(' ').length, 2);
    assert.equal(headers['fs-signature'], undefined, 'one scheme per URL');
    assert.deepEqual(new Webhook(NEW_STANDARD).verify(got!.body, headers), got!.json);
    assert.deepEqual(new Webhook(OLD_STANDARD).verify(got!.body, headers), got!.json);
    assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 3).toString('base64')}`).verify(got!.body, headers), /No matching signature/);
    assert.equal(verifyWebhook(got!.body, got!.headers, OLD_STANDARD), true);
    assert.equal(verifyWebhook(got!.body, got!.headers, NEW_STANDARD), true);
  });

  test('fs: FS-Signature carries both values during the rotation, and one for a URL without rotation', async () => {
    const [rotating] = await receiver.waitFor('/fs', 1);
    const [plain] = await receiver.waitFor('/fs-plain', 1);
    assert.match(String(rotating!.headers['fs-signature']), /^[0-9a-f]{64} [0-9a-f]{64}$/);
    assert.equal(verifyWebhook(rotating!.body, rotating!.headers, NEW_FS), true);
    assert.equal(verifyWebhook(rotating!.body, rotating!.headers, OLD_FS), true);
    assert.match(String(plain!.headers['fs-signature']), /^[0-9a-f]{64}$/, "today's receivers see one value");
    assert.equal(plain!.headers['webhook-signature'], undefined);
  });

  test('after the grace period only the new secret signs; the old one fails', async () => {
    clock = rotationEnds + 1;
    const id = await emit();
    await webhooks.drain();
    const got = (await receiver.waitFor('/standard', 2))[1]!;
    const headers = headersOf(got);
    assert.equal(got.json.id, id);
    const signed = new Date(Number(headers['webhook-timestamp']) * 1000);
    // The library's verify checks the timestamp against the real clock; its sign shows which secrets signed.
    assert.equal(headers['webhook-signature'], new Webhook(NEW_STANDARD).sign(`evt_${id}`, signed, got.body));
    assert.notEqual(headers['webhook-signature'], new Webhook(OLD_STANDARD).sign(`evt_${id}`, signed, got.body));
    assert.equal(verifyWebhook(got.body, got.headers, OLD_STANDARD, { now: clock }), false);
    assert.equal(verifyWebhook(got.body, got.headers, NEW_STANDARD, { now: clock }), true);
    const fs = (await receiver.waitFor('/fs', 2))[1]!;
    assert.match(String(fs.headers['fs-signature']), /^[0-9a-f]{64}$/);
    assert.equal(verifyWebhook(fs.body, fs.headers, OLD_FS, { now: clock }), false);
    assert.equal(verifyWebhook(fs.body, fs.headers, NEW_FS, { now: clock }), true);
  });

  test('a retry after a rotation carries the secrets of the retry, not those the event was written with', async () => {
    clock = Date.now();
    receiver.set('/standard', { status: 500 });
    const id = await emit();
    await webhooks.drain();
    const first = (await receiver.waitFor('/standard', 3))[2]!;
    assert.equal(first.json.id, id);
    const registry = await AppRegistry.open(db, config);
    const app = registry.get(TEST_APP.apiKey)!;
    const hook = app.webhooks.find((candidate) => candidate.url === `${receiver.url}/standard`)!;
    const rotated = (await registry.updateWebhook(app.id, hook.id, { rotateSecret: true }))!;
    assert.match(rotated.secret, /^whsec_/);
    assert.equal(rotated.previousSecret, NEW_STANDARD);
    receiver.set('/standard', { status: 200 });
    clock += 5 * 60_000;
    await webhooks.drain();
    const retry = (await receiver.waitFor('/standard', 4))[3]!;
    assert.equal(retry.json.id, id);
    assert.equal(retry.headers['webhook-id'], first.headers['webhook-id'], 'the same webhook-id on every attempt');
    const signed = new Date(Number(retry.headers['webhook-timestamp']) * 1000);
    assert.equal(retry.headers['webhook-signature'], `${new Webhook(rotated.secret).sign(`evt_${id}`, signed, retry.body)} ${new Webhook(NEW_STANDARD).sign(`evt_${id}`, signed, retry.body)}`);
  });
});

describe('the portal: scheme per URL and Rotate secret', () => {
  const PASSWORD = 'correct horse battery staple';
  let h: CompanionHarness;
  let receiver: Receiver;
  let cookie: string;
  let csrf: string;

  const call = async <T>(path: string, method = 'GET', json?: unknown, status = 200): Promise<T> => {
    const response = await h.app.request(`/portal/api${path}`, {
      method,
      headers: { Origin: 'http://127.0.0.1:3020', Cookie: cookie, 'X-FS-CSRF': csrf, ...(json === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const text = await response.text();
    assert.equal(response.status, status, text);
    return JSON.parse(text) as T;
  };

  before(async () => {
    receiver = await startReceiver();
    h = await startCompanion({ portal: { adminPassword: PASSWORD }, apps: [{ ...TEST_APP, allowPrivateUrls: true }] });
    const response = await h.app.request('/portal/api/session', { method: 'POST', headers: { Origin: 'http://127.0.0.1:3020', 'Content-Type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
    cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    csrf = ((await response.json()) as { csrf: string }).csrf;
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  test('a standard URL gets a whsec_ secret; a rotation keeps the old one signing for 24 h, both verified by the library', async () => {
    const { apps } = await call<{ apps: Array<{ id: string }> }>('/apps');
    const appId = apps[0]!.id;
    type Hook = { webhook: { id: string; signing: string; previousSecretUntil: number | null }; secret: string };
    const refused = await h.app.request(`/portal/api/apps/${appId}/webhooks`, {
      method: 'POST',
      headers: { Origin: 'http://127.0.0.1:3020', Cookie: cookie, 'X-FS-CSRF': csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: `${receiver.url}/portal-standard`, events: 'all', signing: 'svix' }),
    });
    assert.equal(refused.status, 400);
    assert.match(JSON.stringify(await refused.json()), /signing.*must be \\"fs\\" or \\"standard\\"/);

    const added = await call<Hook>(`/apps/${appId}/webhooks`, 'POST', { url: `${receiver.url}/portal-standard`, events: 'all', signing: 'standard' }, 201);
    assert.equal(added.webhook.signing, 'standard');
    assert.equal(standardSecretProblem(added.secret), undefined, `a whsec_ secret: ${added.secret}`);
    const before = Date.now();
    const rotated = await call<Hook>(`/apps/${appId}/webhooks/${added.webhook.id}`, 'PATCH', { rotateSecret: true });
    assert.notEqual(rotated.secret, added.secret);
    assert.equal(standardSecretProblem(rotated.secret), undefined);
    assert.ok(rotated.webhook.previousSecretUntil! >= before + 24 * 3_600_000 && rotated.webhook.previousSecretUntil! <= Date.now() + 24 * 3_600_000, 'the old secret signs for 24 hours');
    assert.ok(!JSON.stringify(await call(`/apps/${appId}`)).includes(added.secret.slice(6)), 'the portal never answers a secret again');

    const worker = new Webhooks({ db: h.db, config: h.config });
    await call(`/apps/${appId}/test-event`, 'POST', undefined, 202);
    await worker.drain();
    const [got] = await receiver.waitFor('/portal-standard', 1);
    assert.deepEqual(new Webhook(rotated.secret).verify(got!.body, headersOf(got!)), got!.json);
    assert.deepEqual(new Webhook(added.secret).verify(got!.body, headersOf(got!)), got!.json);

    const switched = await call<Hook>(`/apps/${appId}/webhooks/${added.webhook.id}`, 'PATCH', { signing: 'fs' });
    assert.deepEqual([switched.webhook.signing, switched.webhook.previousSecretUntil, switched.secret.startsWith('whsec_')], ['fs', null, false], 'a new scheme: a new secret of its form, no previous');
    await worker.stop();
  });
});
