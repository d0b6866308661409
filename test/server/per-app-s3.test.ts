import { HeadObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { AppRegistry } from '../../companion/src/apps/registry.ts';
import { TEST_APP, TEST_ORIGIN, startCompanion, type CompanionHarness } from '../helpers/companion.ts';
import { S3_CREDENTIALS, startS3rver, type TestS3 } from '../helpers/s3rver.ts';

/** App B stores into its own bucket (its owner's portal settings); app A into the operator's `storage.s3`. */
const APP_B = { apiKey: 'app-b-s3-key', name: 'App B', allowedOrigins: [TEST_ORIGIN] };

let s3: TestS3;
let h: CompanionHarness;
let localRoot: string;
let appB: string;

const store = async (key: string, body: string, query = 'location=S3'): Promise<FsBlob> => {
  const response = await h.call(`/api/store?key=${key}&filename=note.txt&mimetype=text/plain&${query}`, { method: 'POST', body });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { blob: FsBlob }).blob;
};

const exists = async (bucket: string, key: string): Promise<boolean> =>
  s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    () => false,
  );

before(async () => {
  s3 = await startS3rver();
  for (const bucket of ['fs-operator-default', 'fs-app-b-own', 'fs-app-b-next']) await s3.createBucket(bucket);
  localRoot = await mkdtemp(join(tmpdir(), 'fs-per-app-s3-'));
  h = await startCompanion({ storage: { local: { root: localRoot }, s3: s3.config('fs-operator-default') }, apps: [TEST_APP, APP_B] });
  const registry = AppRegistry.of(h.db);
  appB = registry.get(APP_B.apiKey)!.id;
  await registry.update(appB, { storage: { endpoint: s3.endpoint, bucket: 'fs-app-b-own', region: 'us-east-1', forcePathStyle: true, credentials: { ...S3_CREDENTIALS } } });
});

after(async () => {
  await h.close();
  await s3.close();
  await rm(localRoot, { recursive: true, force: true });
});

describe('Per-app S3 storage (the portal’s storage settings)', () => {
  test('app B stores into its own bucket, app A into the operator’s; both links serve the content', async () => {
    const a = await store(TEST_APP.apiKey, 'from app A');
    const b = await store(APP_B.apiKey, 'from app B');

    assert.equal(a.container, 'fs-operator-default');
    assert.equal(b.container, 'fs-app-b-own');
    assert.ok(await exists('fs-operator-default', a.key!));
    assert.ok(await exists('fs-app-b-own', b.key!));
    assert.ok(!(await exists('fs-operator-default', b.key!)));

    assert.equal(await (await h.app.request(new URL(a.url).pathname)).text(), 'from app A');
    assert.equal(await (await h.app.request(new URL(b.url).pathname)).text(), 'from app B');
  });

  test('new settings saved in the portal apply to the next store; removing them falls back to the operator’s', async () => {
    const registry = AppRegistry.of(h.db);
    await registry.update(appB, { storage: { bucket: 'fs-app-b-next', region: 'us-east-1' } });
    const next = await store(APP_B.apiKey, 'after the change');
    assert.equal(next.container, 'fs-app-b-next');
    assert.ok(await exists('fs-app-b-next', next.key!));

    await registry.update(appB, { storage: null });
    const fallback = await store(APP_B.apiKey, 'operator again');
    assert.equal(fallback.container, 'fs-operator-default');
    assert.ok(await exists('fs-operator-default', fallback.key!));
  });

  test('an app with its own S3 may store there when the operator has none', async () => {
    const bare = await startCompanion({ storage: { local: { root: localRoot } }, apps: [TEST_APP, APP_B] }, h.sandbox);
    try {
      const registry = AppRegistry.of(bare.db);
      await registry.update(registry.get(APP_B.apiKey)!.id, { storage: { endpoint: s3.endpoint, bucket: 'fs-app-b-own', region: 'us-east-1', forcePathStyle: true, credentials: { ...S3_CREDENTIALS } } });
      const own = await bare.call(`/api/store?key=${APP_B.apiKey}&filename=x.txt&location=S3`, { method: 'POST', body: 'x' });
      assert.equal(own.status, 200, await own.clone().text());
      const none = await bare.call('/api/store?filename=x.txt&location=S3', { method: 'POST', body: 'x' });
      assert.equal(none.status, 400);
    } finally {
      await bare.close();
    }
  });
});
