import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, crc32, deflateSync, gzipSync } from 'node:zlib';
import sharp from 'sharp';
import type { PickResponse } from '../../src/protocol/pick.ts';
import { startCompanion, TEST_APP, type CompanionHarness } from '../helpers/companion.ts';
import { basic, CORE } from '../helpers/sandbox.ts';

type Answer = { blob: { handle: string; size: number; mimetype: string } } & { error: { code: string; message: string; field?: string } };

const MiB = 1024 ** 2;

async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
}

/** A PNG whose header declares width × height greyscale pixels, with a tiny IDAT of zeros (a pixel bomb). */
function declaredPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(MiB))), chunk('IEND', Buffer.alloc(0))]);
}

/** How much more memory the process holds after `work` than before it (resident set size). */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; grewBy: number }> {
  const before = process.memoryUsage().rss;
  let most = before;
  const sampler = setInterval(() => (most = Math.max(most, process.memoryUsage().rss)), 5);
  try {
    const result = await work();
    return { result, grewBy: Math.max(most, process.memoryUsage().rss) - before };
  } finally {
    clearInterval(sampler);
  }
}

describe('decompression bombs through storeUrl', () => {
  let h: CompanionHarness;
  let server: Server;
  let origin: string;
  const plain = randomBytes(200_000);
  // 2 GiB of zeros in three layers of compression: a few kilobytes on the wire.
  const bomb = gzipSync(gzipSync(Buffer.alloc(256 * MiB), { level: 9 }), { level: 9 });
  const answers: Record<string, (response: ServerResponse) => void> = {
    '/plain.bin.gz': (response) => response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip' }).end(gzipSync(plain)),
    '/plain.bin.br': (response) => response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'br' }).end(brotliCompressSync(plain)),
    '/bomb.txt': (response) => response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip, gzip', 'Content-Length': String(bomb.length) }).end(bomb),
    '/bomb-one.txt': (response) => response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' }).end(gzipSync(Buffer.alloc(64 * MiB), { level: 9 })),
    '/damaged.txt': (response) => response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' }).end(Buffer.concat([gzipSync(plain).subarray(0, 1000), randomBytes(1000)])),
    '/packed.txt': (response) => response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'compress' }).end('x'),
  };

  before(async () => {
    server = createServer((request, response) => (answers[request.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The quota is the limit here: a storeUrl has no maxSize of its own.
    h = await startCompanion({ apps: [{ ...TEST_APP, allowPrivateUrls: true }], limits: { appStorageBytes: 16 * MiB } });
  });
  after(async () => {
    await h.close();
    server.closeAllConnections();
    server.close();
  });

  const storeUrl = (path: string) => h.call('/api/store-url', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: `${origin}${path}` }) });
  const handles = async () => (await h.db.selectFrom('handles').select('handle_hash').execute()).length;
  const events = async () => (await h.db.selectFrom('webhook_events').select('id').execute()).length;

  test('a compressed answer is stored as the file it encodes (gzip, br), not as its compressed bytes', async () => {
    for (const path of ['/plain.bin.gz', '/plain.bin.br']) {
      const response = await storeUrl(path);
      const { blob } = (await response.json()) as Answer;
      assert.equal(response.status, 200, path);
      assert.equal(blob.size, plain.length, path);
      const served = Buffer.from(await (await h.app.request(`/api/file/${blob.handle}`)).arrayBuffer());
      assert.equal(createHash('sha256').update(served).digest('hex'), createHash('sha256').update(plain).digest('hex'), path);
    }
  });

  test('a body that inflates past the quota is stopped while it streams: 507, nothing stored, memory flat', async () => {
    for (const path of ['/bomb.txt', '/bomb-one.txt']) {
      const before = { handles: await handles(), events: await events(), files: await filesIn(h.storageRoot) };
      const { result, grewBy } = await rssGrowth(async () => {
        const response = await storeUrl(path);
        return { status: response.status, body: (await response.json()) as Answer };
      });
      assert.equal(result.status, 507, `${path}: ${JSON.stringify(result.body)}`);
      assert.equal(result.body.error.code, 'FS_ERR_QUOTA');
      assert.ok(grewBy < 128 * MiB, `${path}: the process grew by ${Math.round(grewBy / MiB)} MiB`);
      assert.deepEqual({ handles: await handles(), events: await events(), files: await filesIn(h.storageRoot) }, before, path);
    }
  });

  test('damaged compression and an encoding the companion does not decode: 502 naming "url", nothing stored', async () => {
    const before = { handles: await handles(), files: await filesIn(h.storageRoot) };
    for (const [path, message] of [['/damaged.txt', /could not be decoded/], ['/packed.txt', /encoded as "compress"/]] as const) {
      const response = await storeUrl(path);
      const { error } = (await response.json()) as Answer;
      assert.equal(response.status, 502, path);
      assert.deepEqual({ code: error.code, field: error.field }, { code: 'FS_ERR_UPSTREAM', field: 'url' }, path);
      assert.match(error.message, message);
    }
    assert.deepEqual({ handles: await handles(), files: await filesIn(h.storageRoot) }, before);
  });
});

describe('pixel bombs in conversions of picked files and watermarks', () => {
  let h: CompanionHarness;
  let bombHandle: string;
  let imageHandle: string;
  // 50,000 × 50,000 = 2.5 gigapixels declared, in about a kilobyte.
  const bomb = declaredPng(50_000, 50_000);

  const upload = async (name: string, bytes: Buffer): Promise<string> => {
    const form = new FormData();
    form.set('filedata', new Blob([new Uint8Array(bytes)]), name);
    const created = await fetch(`${h.sandbox.url}${CORE}/nodes/-my-/children`, { method: 'POST', headers: { Authorization: basic('admin') }, body: form });
    assert.equal(created.status, 201);
    return ((await created.json()) as { entry: { id: string } }).entry.id;
  };

  before(async () => {
    h = await startCompanion();
    const session = await h.connect('admin');
    const image = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 0, g: 0, b: 255 } } }).png().toBuffer();
    const itemIds = [await upload('bomb.png', bomb), await upload('small.png', image)];
    const picked = await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds }) });
    const { blobs } = (await picked.json()) as PickResponse;
    bombHandle = blobs[0]!.handle;
    imageHandle = blobs[1]!.handle;
  });
  after(() => h.close());

  const convert = (handle: string, options: Record<string, unknown>) => h.call('/api/convert', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handle, options }) });

  test('a picked PNG declaring 50,000×50,000 pixels, streamed from Alfresco, and the same as a watermark: 413 before decoding; nothing stored', async () => {
    assert.ok(bomb.length < 4096, `the bomb is ${bomb.length} bytes`);
    for (const [what, handle, options] of [['source', bombHandle, { width: 100 }], ['watermark', imageHandle, { width: 32, watermark: bombHandle }]] as const) {
      const before = { handles: (await h.db.selectFrom('handles').select('handle_hash').execute()).length, files: await filesIn(h.storageRoot) };
      const { result, grewBy } = await rssGrowth(async () => {
        const response = await convert(handle, options);
        return { status: response.status, body: (await response.json()) as Answer };
      });
      assert.equal(result.status, 413, `${what}: ${JSON.stringify(result.body)}`);
      assert.equal(result.body.error.code, 'FS_ERR_TOO_LARGE', what);
      assert.match(result.body.error.message, /more than 100 megapixels/, what);
      // Decoding 2.5 gigapixels would take gigabytes.
      assert.ok(grewBy < 128 * MiB, `${what}: the process grew by ${Math.round(grewBy / MiB)} MiB`);
      assert.deepEqual({ handles: (await h.db.selectFrom('handles').select('handle_hash').execute()).length, files: await filesIn(h.storageRoot) }, before, what);
    }
  });
});
