import { GetObjectAclCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { AppRegistry } from '../../companion/src/apps/registry.ts';
import { parseConfig, type ConfigError } from '../../companion/src/config.ts';
import { s3Client } from '../../companion/src/storage/s3.ts';
import { TEST_APP, TEST_ORIGIN, startCompanion, type CompanionHarness } from '../helpers/companion.ts';
import { S3_CREDENTIALS, startS3rver, type TestS3 } from '../helpers/s3rver.ts';

/*
 * What a store call may choose (issue 19): the S3 bucket, region and ACL only as configuration allows,
 * local containers only as configured, and a per-app storage quota enforced before and while streaming.
 * Each refusal is checked for what a caller sees (status, code, field, message) and for what is left:
 * nothing in the bucket, on disk or in the handles table.
 */

type Answer = { blob: FsBlob } & { error: { code: string; message: string; field?: string } };

const PUBLIC_APP = { apiKey: 'public-app-key', name: 'Public app', allowedOrigins: [TEST_ORIGIN], allowPublicAccess: true };
const OWN_APP = { apiKey: 'own-bucket-app', name: 'Own bucket app', allowedOrigins: [TEST_ORIGIN] };

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** A body that arrives in chunks with no Content-Length, as from a browser. */
function chunked(chunks: number, size = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < chunks) controller.enqueue(new Uint8Array(size).fill(7));
      else controller.close();
    },
  });
}

async function refusal(response: Response, status: number, code: string, field?: string): Promise<string> {
  const answer = (await response.json()) as Answer;
  assert.equal(response.status, status, JSON.stringify(answer));
  assert.equal(answer.error.code, code);
  assert.equal(answer.error.field, field, answer.error.message);
  return answer.error.message;
}

describe('S3: only configured buckets, regions and ACLs', () => {
  let s3: TestS3;
  let h: CompanionHarness;
  let localRoot: string;
  const handles = async () => (await h.db.selectFrom('handles').selectAll().execute()).length;
  const objects = async (bucket: string) => (await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.length ?? 0;
  const store = (query: string, key = TEST_APP.apiKey) => h.call(`/api/store?key=${key}&filename=n.txt&location=S3&${query}`, { method: 'POST', body: 'hello' });

  before(async () => {
    s3 = await startS3rver();
    for (const bucket of ['fs-choice-main', 'fs-choice-extra', 'fs-not-listed', 'fs-own-bucket']) await s3.createBucket(bucket);
    localRoot = await mkdtemp(join(tmpdir(), 'fs-choices-'));
    h = await startCompanion({
      storage: { local: { root: localRoot }, s3: { ...s3.config('fs-choice-main'), containers: ['fs-choice-extra'], regions: ['eu-west-1'] } },
      apps: [TEST_APP, PUBLIC_APP, OWN_APP],
    });
    const registry = AppRegistry.of(h.db);
    await registry.update(registry.get(OWN_APP.apiKey)!.id, { storage: { endpoint: s3.endpoint, bucket: 'fs-own-bucket', region: 'us-east-1', forcePathStyle: true, credentials: { ...S3_CREDENTIALS } } });
  });
  after(async () => {
    await h.close();
    await s3.close();
    await rm(localRoot, { recursive: true, force: true });
  });

  test('a bucket the configuration does not list is 400 naming "container" and the allowed ones; nothing is stored', async () => {
    const before = await handles();
    const message = await refusal(await store('container=fs-not-listed'), 400, 'FS_ERR_INVALID_OPTION', 'container');
    assert.match(message, /must be one of this app's S3 buckets: "fs-choice-main", "fs-choice-extra"; got "fs-not-listed"/);
    assert.equal(await objects('fs-not-listed'), 0);
    assert.equal(await handles(), before);

    // A listed extra bucket works.
    const listed = await store('container=fs-choice-extra');
    assert.equal(listed.status, 200);
    assert.equal(((await listed.json()) as Answer).blob.container, 'fs-choice-extra');
  });

  test('an app with its own S3 settings may use only its own bucket, not the operator’s', async () => {
    const message = await refusal(await store('container=fs-choice-main', OWN_APP.apiKey), 400, 'FS_ERR_INVALID_OPTION', 'container');
    assert.match(message, /"fs-own-bucket"; got "fs-choice-main"/);
    assert.equal((await store('container=fs-own-bucket', OWN_APP.apiKey)).status, 200);
  });

  test('a region the configuration does not list is 400 naming "storeRegion"; the S3 client cache cannot grow with input', async () => {
    for (const region of ['xx-attack-1', 'xx-attack-2', 'xx-attack-3']) {
      assert.match(await refusal(await store(`storeRegion=${region}`), 400, 'FS_ERR_INVALID_OPTION', 'storeRegion'), /must be one of the configured S3 regions: "us-east-1", "eu-west-1"/);
    }
    // Below the route too: a client is made only for a configured region.
    await assert.rejects(s3Client(h.config.storage.s3!, 'xx-attack-4'), { code: 'FS_ERR_INVALID_OPTION', field: 'storeRegion' });
    assert.ok(await s3Client(h.config.storage.s3!, 'eu-west-1'));
  });

  test('access "public" is 400 naming "access" unless the app allows it; an allowing app gets a public-read object', async () => {
    const before = await objects('fs-choice-main');
    assert.match(await refusal(await store('access=public'), 400, 'FS_ERR_INVALID_OPTION', 'access'), /"access" "public" is not allowed for this app/);
    assert.equal(await objects('fs-choice-main'), before);
    assert.equal((await store('access=private')).status, 200);

    const allowed = await store('access=public', PUBLIC_APP.apiKey);
    assert.equal(allowed.status, 200, await allowed.clone().text());
    const { blob } = (await allowed.json()) as Answer;
    const acl = await s3.client.send(new GetObjectAclCommand({ Bucket: 'fs-choice-main', Key: blob.key! })).catch(() => undefined);
    // s3rver answers ACLs with a fixed document; where it does, the grant is there.
    if (acl?.Grants) assert.ok(acl.Grants.length >= 1);
  });
});

describe('Local storage: only configured containers, never outside the root', () => {
  let h: CompanionHarness;
  before(async () => {
    h = await startCompanion();
    h.config.storage.local.containers = ['box-1'];
  });
  after(() => h.close());
  const store = (container: string) => h.call(`/api/store?filename=n.txt&container=${encodeURIComponent(container)}`, { method: 'POST', body: 'x' });

  test('an unlisted folder is 400 naming "container" and the allowed ones; traversal stays impossible; nothing is written', async () => {
    assert.match(await refusal(await store('box-2'), 400, 'FS_ERR_INVALID_OPTION', 'container'), /must be one of the companion's storage folders: "[^"]+", "box-1"; got "box-2"/);
    for (const bad of ['..', '../etc', 'a/b', '.hidden/..', '%2e%2e']) await refusal(await store(bad), 400, 'FS_ERR_INVALID_OPTION', 'container');
    assert.deepEqual(await listFiles(h.storageRoot), []);
    assert.equal((await store('box-1')).status, 200);
  });
});

describe('The per-app storage quota (limits.appStorageBytes)', () => {
  let s3: TestS3;
  let h: CompanionHarness;
  const QUOTA = 256 * 1024;
  const handles = async () => (await h.db.selectFrom('handles').selectAll().execute()).length;

  before(async () => {
    s3 = await startS3rver();
    await s3.createBucket('fs-quota-bucket');
    h = await startCompanion({ storage: { local: { root: await mkdtemp(join(tmpdir(), 'fs-quota-')) }, s3: s3.config('fs-quota-bucket') }, limits: { appStorageBytes: QUOTA } });
  });
  after(async () => {
    await rm(h.config.storage.local.root, { recursive: true, force: true });
    await h.close();
    await s3.close();
  });

  test('an announced size over the quota is 507 FS_ERR_QUOTA before anything is written', async () => {
    const response = await h.call('/api/store?filename=big.bin', { method: 'POST', body: new Uint8Array(QUOTA + 1) });
    assert.match(await refusal(response, 507, 'FS_ERR_QUOTA'), /This app may keep 256 KiB stored on the companion/);
    assert.deepEqual(await listFiles(h.config.storage.local.root), []);
  });

  test('a streamed body that goes over is stopped while streaming: nothing on disk, nothing in S3, no handle', async () => {
    const before = await handles();
    const local = await h.call('/api/store?filename=s.bin', { method: 'POST', body: chunked(8), duplex: 'half' } as RequestInit);
    await refusal(local, 507, 'FS_ERR_QUOTA');
    assert.deepEqual(await listFiles(h.config.storage.local.root), []);
    const remote = await h.call('/api/store?filename=s.bin&location=S3', { method: 'POST', body: chunked(8), duplex: 'half' } as RequestInit);
    await refusal(remote, 507, 'FS_ERR_QUOTA');
    assert.equal((await s3.client.send(new ListObjectsV2Command({ Bucket: 'fs-quota-bucket' }))).Contents?.length ?? 0, 0);
    assert.equal(await handles(), before);
  });

  test('stored files count: after filling the quota the next store is refused; parallel uploads cannot each take the rest', async () => {
    const three = await Promise.all(
      Array.from({ length: 3 }, () => h.call('/api/store?filename=p.bin', { method: 'POST', body: chunked(2), duplex: 'half' } as RequestInit)),
    );
    // 128 KiB each into 256 KiB: not all three fit, and what was kept is within the quota.
    assert.ok(three.some((response) => response.status === 507), three.map((response) => response.status).join());
    const kept = async () => (await h.db.selectFrom('handles').select('size').where('kind', '=', 'stored').execute()).reduce((sum, row) => sum + Number(row.size), 0);
    assert.ok((await kept()) <= QUOTA, `${await kept()} bytes kept`);
    // Filling exactly to the quota works; one byte more does not.
    const rest = QUOTA - (await kept());
    if (rest > 0) assert.equal((await h.call('/api/store?filename=rest.bin', { method: 'POST', body: new Uint8Array(rest) })).status, 200);
    await refusal(await h.call('/api/store?filename=one-more.bin', { method: 'POST', body: 'x' }), 507, 'FS_ERR_QUOTA');
    assert.equal(await kept(), QUOTA);
  });
});

describe('The configuration of these choices', () => {
  const base = { alfresco: { repositoryUrl: 'https://alfresco.example.com' }, apps: [{ apiKey: 'a-long-api-key', name: 'x', allowedOrigins: [] }] };
  const problemsOf = (input: unknown): string[] => {
    try {
      parseConfig(input);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  test('defaults: 10 GiB per app, 8 waiting office conversions, 40 megapixels, no public ACL, no extra buckets, regions or folders', () => {
    const config = parseConfig({ ...base, storage: { s3: { bucket: 'my-bucket' } } });
    assert.equal(config.limits.appStorageBytes, 10 * 1024 ** 3);
    assert.equal(config.limits.officeQueue, 8);
    assert.equal(config.limits.convertPixels, 40_000_000);
    assert.equal(config.apps[0]!.allowPublicAccess, undefined);
    assert.equal(config.storage.s3!.containers, undefined);
    assert.equal(config.storage.local.containers, undefined);
  });

  test('bad values are reported per key', () => {
    assert.deepEqual(
      problemsOf({ ...base, storage: { local: { root: 'x', containers: ['../up'] }, s3: { bucket: 'my-bucket', containers: ['Bad_Bucket'], regions: ['eu west'] } }, limits: { officeQueue: -1, appStorageBytes: 1.5 } }),
      [
        'storage.local.containers.0: must be folder names of letters, digits, ".", "_" and "-"',
        'storage.s3.containers.0: must be S3 bucket names',
        'storage.s3.regions.0: must be region names such as eu-west-1',
        'limits.appStorageBytes: must be a whole number of bytes',
        'limits.officeQueue: must be at least 0',
      ],
    );
  });
});
