import assert from 'node:assert/strict';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig, parseConfig } from '../../companion/src/config.ts';
import { startCompanion, type CompanionHarness } from '../helpers/companion.ts';
import { startS3rver, type TestS3 } from '../helpers/s3rver.ts';

/*
 * `instances: "several"`: the companion refuses, one line per setting, a configuration that would keep
 * something on one machine (a SQLite database, a random encryption key, stored files on local disk),
 * and stores go to S3 (location "local" refused).
 */

const KEY = Buffer.alloc(32, 9).toString('base64');
const POSTGRES = 'postgres://companion:pw@db.internal:5432/companion';
const S3 = { bucket: 'shared-bucket', endpoint: 'https://s3.example.com' };
const BASE = { alfresco: { repositoryUrl: 'https://alfresco.example.com' }, apps: [{ apiKey: 'several-app-key', name: 'Several', allowedOrigins: ['https://app.example.com'] }] };

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail('the configuration was accepted');
}

describe('declaring several instances', () => {
  test('the default is one instance, with an id of <hostname>-<pid>', () => {
    const config = parseConfig(BASE);
    assert.equal(config.instances, 'one');
    assert.match(config.instanceId, new RegExp(`-${process.pid}$`));
  });

  test('FS_INSTANCES, FS_INSTANCE_ID and FS_SHUTDOWN_DEADLINE_MS are read from the environment', () => {
    const config = loadConfig({ FS_INSTANCE_ID: 'web-2', FS_SHUTDOWN_DEADLINE_MS: '5000' });
    assert.deepEqual([config.instanceId, config.shutdown.deadlineMs], ['web-2', 5000]);
    // The embedded defaults have no S3: with FS_INSTANCES=several that is refused, and only that.
    assert.deepEqual(problemsOf(() => loadConfig({ FS_INSTANCES: 'several', FS_DATABASE: POSTGRES, FS_ENCRYPTION_KEY: KEY })), [
      'storage.s3: is required with instances "several": stored files must go to an S3 bucket every instance reads, not to one machine\'s disk',
    ]);
  });

  test('a complete several-instances configuration is accepted', () => {
    const config = parseConfig({ ...BASE, instances: 'several', instanceId: 'web-2', database: POSTGRES, encryptionKey: KEY, storage: { s3: S3 }, shutdown: { deadlineMs: 5000 } });
    assert.deepEqual([config.instances, config.instanceId, config.shutdown.deadlineMs], ['several', 'web-2', 5000]);
    assert.equal(parseConfig(BASE).shutdown.deadlineMs, 30_000, 'the default deadline');
  });

  test('several on the embedded defaults: one line per setting that keeps something on this machine, naming it', () => {
    const problems = problemsOf(() => parseConfig({ ...BASE, instances: 'several', storage: { local: { root: '/var/lib/fs' } } }));
    assert.deepEqual(problems, [
      "database: must be a postgres:// or postgresql:// URL with instances \"several\"; an in-memory database is one machine's, which the other instances cannot see",
      'encryptionKey: is required with instances "several", the same on every instance (FS_ENCRYPTION_KEY; openssl rand -base64 32): each instance would otherwise make its own and could not read what the others sealed',
      'storage.s3: is required with instances "several": stored files must go to an S3 bucket every instance reads, not to one machine\'s disk',
      'storage.local: is a folder on this machine\'s disk, which the other instances cannot read; remove it with instances "several" (stored files go to storage.s3)',
    ]);
  });

  test('a SQLite file is refused, and the generic encryptionKey line gives way to the several-instances one', () => {
    const problems = problemsOf(() => parseConfig({ ...BASE, instances: 'several', database: '/var/lib/fs/companion.db', storage: { s3: S3 } }));
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0]!, /^database: must be a postgres:\/\/ or postgresql:\/\/ URL with instances "several"; a SQLite file is one machine's/);
    assert.match(problems[1]!, /^encryptionKey: is required with instances "several", the same on every instance/);
  });

  test('the several-instances lines come with the schema\'s own lines for other keys', () => {
    const problems = problemsOf(() => parseConfig({ ...BASE, port: 'eighty', instances: 'several', database: POSTGRES, encryptionKey: KEY }));
    assert.deepEqual(problems.map((line) => line.slice(0, line.indexOf(':'))), ['port', 'storage.s3']);
  });

  test('a bad instances, instanceId or shutdown.deadlineMs names the key', () => {
    const problems = problemsOf(() => parseConfig({ ...BASE, instances: 'many', instanceId: 'web 2\n', shutdown: { deadlineMs: -1 } }));
    assert.deepEqual(problems.sort(), [
      'instanceId: must be 1 to 64 letters, digits, ".", "_", ":" and "-", starting with a letter or digit',
      'instances: expected ("one" | "several"), got "many"',
      'shutdown.deadlineMs: must be at least 0',
    ]);
    assert.match(problemsOf(() => parseConfig({ ...BASE, instanceId: 'x'.repeat(65) }))[0]!, /^instanceId: must be 1 to 64/);
    assert.match(problemsOf(() => loadConfig({ FS_SHUTDOWN_DEADLINE_MS: 'soon' }))[0]!, /^shutdown\.deadlineMs: expected number/);
  });
});

describe('stores with several instances go to S3', () => {
  const BUCKET = 'several-store';
  let s3: TestS3;
  let companion: CompanionHarness;

  before(async () => {
    s3 = await startS3rver();
    await s3.createBucket(BUCKET);
    // The harness's own database (SQLite in memory, or PostgreSQL in npm run test:postgres) is what the
    // companion uses; the setting itself must be a PostgreSQL URL to pass the check.
    companion = await startCompanion({ instances: 'several', database: POSTGRES, storage: { s3: s3.config(BUCKET) } });
  });

  after(async () => {
    await companion?.close();
    await s3?.close();
  });

  test('a store that names no location lands in the S3 bucket, not on local disk', async () => {
    const response = await companion.call('/api/store?filename=a.txt&mimetype=text/plain', { method: 'POST', body: 'shared bytes' });
    const { blob } = (await response.json()) as { blob: { key: string; container: string } };
    assert.equal(response.status, 200);
    assert.equal(blob.container, BUCKET);
    const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: blob.key }));
    assert.equal(await object.Body!.transformToString(), 'shared bytes');
  });

  test('location "local" is refused, naming the option', async () => {
    const response = await companion.call('/api/store?filename=a.txt&mimetype=text/plain&location=local', { method: 'POST', body: 'local bytes' });
    const body = (await response.json()) as { error: { code: string; field?: string; message: string } };
    assert.equal(response.status, 400);
    assert.equal(body.error.code, 'FS_ERR_INVALID_OPTION');
    assert.equal(body.error.field, 'location');
    assert.match(body.error.message, /location "local" is not available: this companion runs as several instances/);
  });
});
