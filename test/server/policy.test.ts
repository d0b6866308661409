import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SecurityPolicy } from '../../src/protocol/store.ts';
import type { AppConfig } from '../../companion/src/config.ts';
import { checkPolicy, decodePolicy, encodePolicy, signPolicy, verifySignature } from '../../companion/src/security/policy.ts';
import { startCompanion, TEST_APP, type CompanionHarness } from '../helpers/companion.ts';

const SECRET = 'testAppSecret';
const VECTOR_1 = {
  json: '{"expiry":1523595600,"call":["read","convert"],"handle":"TEST_HANDLE"}',
  policy: 'eyJleHBpcnkiOjE1MjM1OTU2MDAsImNhbGwiOlsicmVhZCIsImNvbnZlcnQiXSwiaGFuZGxlIjoiVEVTVF9IQU5ETEUifQ==',
  signature: '24940e75ff80bb43cbe29d7155cf6a7150a4533b1e8c4d9ff916c9aec5a3f3d0',
};
const VECTOR_2 = {
  json: '{"expiry":1523595600,"call":["pick","read","stat","write","writeUrl","store","convert","remove","exif","runWorkflow"],"handle":"TEST_HANDLE"}',
  signature: '7df0536104cdcc16370ad6494cdbda30c9773a62eec6e5153fa539544db6206e',
};

const app = (overrides: Partial<AppConfig> = {}): AppConfig => ({ ...TEST_APP, services: ['ALFRESCO', 'COMPUTER', 'URL'], requirePolicy: true, allowPrivateUrls: false, ...overrides });
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
function signed(policy: SecurityPolicy, secret = TEST_APP.appSecret): { policy: string; signature: string } {
  const text = encodePolicy(policy);
  return { policy: text, signature: signPolicy(text, secret) };
}
function refusal(code: string, message: RegExp) {
  return (error: unknown) => {
    const { code: actual, message: text, status } = error as { code: string; message: string; status: number };
    assert.equal(actual, code);
    assert.equal(status, 403);
    assert.match(text, message);
    return true;
  };
}

describe('security policies: signing (notes "Test vectors")', () => {
  test('vector 1: the policy is standard base64 of the JSON, the signature hex HMAC-SHA256 of it', () => {
    assert.equal(Buffer.from(VECTOR_1.json).toString('base64'), VECTOR_1.policy);
    assert.equal(encodePolicy(JSON.parse(VECTOR_1.json) as SecurityPolicy), VECTOR_1.policy);
    assert.equal(signPolicy(VECTOR_1.policy, SECRET), VECTOR_1.signature);
    assert.equal(verifySignature(VECTOR_1.policy, VECTOR_1.signature, SECRET), true);
  });

  test('vector 2: all ten calls', () => {
    const policy = encodePolicy(JSON.parse(VECTOR_2.json) as SecurityPolicy);

    assert.equal(signPolicy(policy, SECRET), VECTOR_2.signature);
    assert.equal(verifySignature(policy, VECTOR_2.signature, SECRET), true);
  });

  test('a wrong secret, a changed policy or a malformed signature does not verify', () => {
    assert.equal(verifySignature(VECTOR_1.policy, VECTOR_1.signature, 'otherSecret'), false);
    assert.equal(verifySignature(VECTOR_1.policy.replace('eyJ', 'eyK'), VECTOR_1.signature, SECRET), false);
    assert.equal(verifySignature(VECTOR_1.policy, VECTOR_1.signature.slice(0, 63), SECRET), false);
    assert.equal(verifySignature(VECTOR_1.policy, 'z'.repeat(64), SECRET), false);
  });

  test('URL-safe base64 decodes to the same policy', () => {
    const urlSafe = VECTOR_1.policy.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

    assert.deepEqual(decodePolicy(urlSafe), decodePolicy(VECTOR_1.policy));
    assert.deepEqual(decodePolicy(VECTOR_1.policy), { expiry: 1523595600, call: ['read', 'convert'], handle: 'TEST_HANDLE' });
  });
});

describe('security policies: checkPolicy', () => {
  test('a valid pair passes and is returned; none passes when the app does not require one', () => {
    const pair = signed({ expiry: inAnHour(), call: ['store'] });

    assert.deepEqual(checkPolicy(app(), { call: 'store' }, pair.policy, pair.signature)?.call, ['store']);
    assert.equal(checkPolicy(app({ requirePolicy: false }), { call: 'store' }), undefined);
  });

  test('missing when required is FS_ERR_POLICY_REQUIRED; one of the pair alone is refused', () => {
    const pair = signed({ expiry: inAnHour() });

    assert.throws(() => checkPolicy(app(), { call: 'store' }), refusal('FS_ERR_POLICY_REQUIRED', /requires a signed security policy/));
    assert.throws(() => checkPolicy(app(), { call: 'store' }, pair.policy), refusal('FS_ERR_POLICY', /both "policy" and "signature"/));
  });

  test('the test vectors are refused now: they expired in 2018', () => {
    const vectorApp = app({ appSecret: SECRET });

    assert.throws(() => checkPolicy(vectorApp, { call: 'read', handle: 'TEST_HANDLE' }, VECTOR_1.policy, VECTOR_1.signature), refusal('FS_ERR_POLICY', /expired at 2018-04-13T05:00:00.000Z \("expiry"\)/));
    // …and accepted at a time before their expiry.
    assert.ok(checkPolicy(vectorApp, { call: 'read', handle: 'TEST_HANDLE' }, VECTOR_1.policy, VECTOR_1.signature, 1523595599_000));
  });

  test('each rule that fails is named', () => {
    const check = (policy: SecurityPolicy, request: Parameters<typeof checkPolicy>[1]) => {
      const pair = signed(policy);
      return () => checkPolicy(app(), request, pair.policy, pair.signature);
    };
    const expiry = inAnHour();

    assert.throws(check({ expiry, call: ['read'] }, { call: 'store' }), refusal('FS_ERR_POLICY', /does not allow "store" \("call" allows read\)/));
    assert.throws(check({ expiry }, { call: 'exif' }), refusal('FS_ERR_POLICY', /does not allow "exif"/));
    assert.throws(check({ expiry, handle: 'AAAA' }, { call: 'remove', handle: 'BBBB' }), refusal('FS_ERR_POLICY', /another file \("handle" is AAAA\)/));
    assert.throws(check({ expiry, path: 'uploads/.*' }, { call: 'store', path: 'other/' }), refusal('FS_ERR_POLICY', /path "other\/" does not match .*"path" rule/));
    assert.throws(check({ expiry, container: 'box-[0-9]+' }, { call: 'store', container: 'storage' }), refusal('FS_ERR_POLICY', /container "storage" .*"container" rule/));
    assert.throws(check({ expiry, url: 'https://cdn\\.example\\.com/.*' }, { call: 'store', url: 'https://evil.example/x' }), refusal('FS_ERR_POLICY', /"url" rule/));
    assert.throws(check({ expiry, maxSize: 10 }, { call: 'store', size: 11 }), refusal('FS_ERR_POLICY', /"maxSize" is 10 bytes/));
    assert.throws(check({ expiry, minSize: 10 }, { call: 'store', size: 9 }), refusal('FS_ERR_POLICY', /"minSize" is 10 bytes/));
    assert.ok(check({ expiry, path: 'uploads/.*', maxSize: 10 }, { call: 'store', path: 'uploads/2026/', size: 10 })());
  });

  test('a bad signature, an unknown rule and a policy that is not base64 JSON are refused', () => {
    const pair = signed({ expiry: inAnHour() });
    const odd = encodePolicy({ expiry: inAnHour(), maxsize: 3 } as unknown as SecurityPolicy);

    assert.throws(() => checkPolicy(app(), { call: 'store' }, pair.policy, signPolicy(pair.policy, 'wrong')), refusal('FS_ERR_POLICY', /signature does not match/));
    assert.throws(() => checkPolicy(app(), { call: 'store' }, odd, signPolicy(odd, TEST_APP.appSecret)), refusal('FS_ERR_POLICY', /unknown rule "maxsize"/));
    const junk = Buffer.from('not json').toString('base64');
    assert.throws(() => checkPolicy(app(), { call: 'store' }, junk, signPolicy(junk, TEST_APP.appSecret)), refusal('FS_ERR_POLICY', /not base64 of a JSON object/));
  });

  test('a "+" turned into a space by query decoding still verifies', () => {
    let pair = signed({ expiry: inAnHour(), path: '>>>' });
    for (let n = 0; !pair.policy.includes('+'); n++) pair = signed({ expiry: inAnHour() + n, path: '>>>?' });

    assert.ok(checkPolicy(app(), { call: 'store' }, pair.policy.replace(/\+/g, ' '), pair.signature));
  });
});

describe('security policies on the store and remove endpoints', () => {
  let companion: CompanionHarness;
  before(async () => (companion = await startCompanion({ apps: [{ ...TEST_APP, requirePolicy: true }] })));
  after(() => companion.close());

  const store = (query: string, body = 'hello') => companion.call(`/api/store?filename=a.txt${query}`, { method: 'POST', body });
  const withPolicy = (policy: SecurityPolicy) => {
    const pair = signed(policy);
    return `&policy=${encodeURIComponent(pair.policy)}&signature=${pair.signature}`;
  };

  test('store without a policy is 403 FS_ERR_POLICY_REQUIRED and stores nothing', async () => {
    const response = await store('');

    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'FS_ERR_POLICY_REQUIRED');
    assert.equal((await companion.db.selectFrom('handles').selectAll().execute()).length, 0);
  });

  test('store with a valid policy for "store" succeeds', async () => {
    const response = await store(withPolicy({ expiry: inAnHour(), call: ['store'] }));

    assert.equal(response.status, 200);
  });

  test('expired, wrong call and a path outside the policy are refused with the rule named', async () => {
    const expired = await store(withPolicy({ expiry: Math.floor(Date.now() / 1000) - 1, call: ['store'] }));
    const wrongCall = await store(withPolicy({ expiry: inAnHour(), call: ['pick', 'read'] }));
    const outside = await store(`&path=elsewhere/${withPolicy({ expiry: inAnHour(), call: ['store'], path: 'uploads/.*' })}`);

    assert.deepEqual([expired.status, wrongCall.status, outside.status], [403, 403, 403]);
    assert.match(((await expired.json()) as { error: { message: string } }).error.message, /expired/);
    assert.match(((await wrongCall.json()) as { error: { message: string } }).error.message, /does not allow "store"/);
    assert.match(((await outside.json()) as { error: { message: string } }).error.message, /"path" rule/);
  });

  test('the policy’s maxSize stops a stream that passes it: 403 naming maxSize, nothing left', async () => {
    const before = (await companion.db.selectFrom('handles').selectAll().execute()).length;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(1024));
        controller.close();
      },
    });
    const response = await companion.call(`/api/store?filename=big.bin${withPolicy({ expiry: inAnHour(), call: ['store'], maxSize: 2048 })}`, { method: 'POST', body, duplex: 'half' } as RequestInit);

    assert.equal(response.status, 403);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /"maxSize" is 2048 bytes/);
    assert.equal((await companion.db.selectFrom('handles').selectAll().execute()).length, before);
  });

  test('remove needs a policy with "remove" for that handle', async () => {
    const stored = (await (await store(withPolicy({ expiry: inAnHour(), call: ['store'] }))).json()) as { blob: { handle: string } };
    const handle = stored.blob.handle;

    const none = await companion.call(`/api/file/${handle}`, { method: 'DELETE' });
    const otherHandle = await companion.call(`/api/file/${handle}?${withPolicy({ expiry: inAnHour(), call: ['remove'], handle: 'SOMETHING_ELSE' }).slice(1)}`, { method: 'DELETE' });
    const storeOnly = await companion.call(`/api/file/${handle}?${withPolicy({ expiry: inAnHour(), call: ['store'] }).slice(1)}`, { method: 'DELETE' });
    const right = await companion.call(`/api/file/${handle}?${withPolicy({ expiry: inAnHour(), call: ['remove'], handle }).slice(1)}`, { method: 'DELETE' });

    assert.deepEqual([none.status, otherHandle.status, storeOnly.status, right.status], [403, 403, 403, 204]);
  });
});

describe('security policies on /api/file (calls "read" and "stat")', () => {
  let open: CompanionHarness;
  let strict: CompanionHarness;
  let handle: string;
  let strictHandle: string;
  before(async () => {
    open = await startCompanion();
    strict = await startCompanion({ apps: [{ ...TEST_APP, requirePolicy: true }] }, open.sandbox);
    const stored = async (h: CompanionHarness, query = '') => ((await (await h.call(`/api/store?filename=a.txt${query}`, { method: 'POST', body: 'read me' })).json()) as { blob: { handle: string } }).blob.handle;
    handle = await stored(open);
    const pair = signed({ expiry: inAnHour(), call: ['store'] });
    strictHandle = await stored(strict, `&policy=${encodeURIComponent(pair.policy)}&signature=${pair.signature}`);
  });
  after(async () => {
    await strict.close();
    await open.close();
  });

  const query = (policy: SecurityPolicy, secret?: string) => {
    const pair = signed(policy, secret);
    return `?policy=${encodeURIComponent(pair.policy)}&signature=${pair.signature}`;
  };
  const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

  test('a link without a policy reads as before (the app does not require one)', async () => {
    const content = await open.app.request(`/api/file/${handle}`);
    const metadata = await open.app.request(`/api/file/${handle}/metadata`);
    assert.deepEqual([content.status, metadata.status], [200, 200]);
    assert.equal(await content.text(), 'read me');
  });

  test('"read" allows the content, "stat" the metadata, each for its handle', async () => {
    const read = await open.app.request(`/api/file/${handle}${query({ expiry: inAnHour(), call: ['read'], handle })}`);
    const stat = await open.app.request(`/api/file/${handle}/metadata${query({ expiry: inAnHour(), call: ['stat'], handle })}`);
    assert.deepEqual([read.status, stat.status], [200, 200]);
    assert.equal(await read.text(), 'read me');
  });

  test('a policy for the other call, another handle, expired or forged is refused with 403 FS_ERR_POLICY and no content', async () => {
    const statOnly = await open.app.request(`/api/file/${handle}${query({ expiry: inAnHour(), call: ['stat'] })}`);
    const readOnly = await open.app.request(`/api/file/${handle}/metadata${query({ expiry: inAnHour(), call: ['read'] })}`);
    const otherHandle = await open.app.request(`/api/file/${handle}${query({ expiry: inAnHour(), call: ['read'], handle: 'SOMETHING_ELSE' })}`);
    const expired = await open.app.request(`/api/file/${handle}${query({ expiry: Math.floor(Date.now() / 1000) - 1, call: ['read'] })}`);
    const forged = await open.app.request(`/api/file/${handle}${query({ expiry: inAnHour(), call: ['read'] }, 'not-the-app-secret')}`);

    assert.deepEqual([statOnly.status, readOnly.status, otherHandle.status, expired.status, forged.status], [403, 403, 403, 403, 403]);
    const errors = await Promise.all([statOnly, readOnly, otherHandle, expired, forged].map(codeOf));
    assert.deepEqual(errors.map((error) => error.code), Array(5).fill('FS_ERR_POLICY'));
    assert.match(errors[0]!.message, /does not allow "read"/);
    assert.match(errors[1]!.message, /does not allow "stat"/);
    assert.match(errors[2]!.message, /another file/);
    assert.match(errors[3]!.message, /expired/);
    assert.equal(statOnly.headers.get('Access-Control-Allow-Origin'), '*');
  });

  test('an app that requires policies: its links need one too (403 FS_ERR_POLICY_REQUIRED), and read with it', async () => {
    const none = await strict.app.request(`/api/file/${strictHandle}`);
    const withRead = await strict.app.request(`/api/file/${strictHandle}${query({ expiry: inAnHour(), call: ['read'], handle: strictHandle })}`);
    assert.equal(none.status, 403);
    assert.equal((await codeOf(none)).code, 'FS_ERR_POLICY_REQUIRED');
    assert.equal(withRead.status, 200);
    assert.equal(await withRead.text(), 'read me');
  });
});
