import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PickResponse } from '../../src/protocol/pick.ts';
import { listen } from '../../companion/src/listen.ts';
import { hashToken } from '../../companion/src/security/secrets.ts';
import { startCompanion, type CompanionHarness } from '../helpers/companion.ts';
import { CORE, basic, nodeAt as nodeAtIn, type NodeJson } from '../helpers/sandbox.ts';

let h: CompanionHarness;
let admin: string;
const handles: Record<string, string> = {};
const nodes: Record<string, NodeJson> = {};

const FILES = ['Large Files/large-256MiB.bin', 'Pictures/panorama 6000x4000.jpg', 'Pictures/vector logo.svg', 'Data/notes.html', 'Café menu.txt', 'Documents/Project brief.pdf', 'Pictures/icon 64x64.png'];

const nodeAt = (path: string): Promise<NodeJson> => nodeAtIn(h.sandbox, path);

const file = (name: string, init: RequestInit = {}, query = '') => h.app.request(`/api/file/${handles[name]}${query}`, init);
const sandboxContent = (name: string, init: RequestInit = {}) =>
  fetch(`${h.sandbox.url}${CORE}/nodes/${nodes[name]!.id}/content`, { ...init, headers: { Authorization: basic('admin'), ...(init.headers as Record<string, string>) } });

before(async () => {
  h = await startCompanion();
  admin = await h.connect('admin');
  for (const path of FILES) nodes[path] = await nodeAt(path);
  const response = await h.call('/api/pick', { method: 'POST', session: admin, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: FILES.map((path) => nodes[path]!.id) }) });
  const { blobs } = (await response.json()) as PickResponse;
  for (const [index, path] of FILES.entries()) handles[path] = blobs[index]!.handle;
});
after(() => h.close());

describe('GET/HEAD /api/file/:handle', () => {
  test('Range: 206 with the same bytes as the sandbox, Content-Range and Content-Length', async () => {
    const big = 'Large Files/large-256MiB.bin';
    const range = 'bytes=100000000-100065535';
    const response = await file(big, { headers: { Range: range } });
    assert.equal(response.status, 206);
    assert.equal(response.headers.get('Content-Range'), `bytes 100000000-100065535/${256 * 1024 * 1024}`);
    assert.equal(response.headers.get('Content-Length'), '65536');
    const ours = Buffer.from(await response.arrayBuffer());
    const theirs = Buffer.from(await (await sandboxContent(big, { headers: { Range: range } })).arrayBuffer());
    assert.equal(ours.length, 65536);
    assert.deepEqual(ours, theirs);
    const suffix = await file(big, { headers: { Range: 'bytes=-10' } });
    assert.equal(suffix.status, 206);
    assert.equal((await suffix.arrayBuffer()).byteLength, 10);
    const unsatisfiable = await file(big, { headers: { Range: `bytes=${256 * 1024 * 1024}-` } });
    assert.equal(unsatisfiable.status, 416);
    assert.equal(unsatisfiable.headers.get('Content-Range'), `bytes */${256 * 1024 * 1024}`);
  });

  test('a whole small file, with its length, type, ETag and an attachment disposition in UTF-8', async () => {
    const response = await file('Café menu.txt');
    assert.equal(response.status, 200);
    const body = Buffer.from(await response.arrayBuffer());
    assert.deepEqual(body, Buffer.from(await (await sandboxContent('Café menu.txt')).arrayBuffer()));
    assert.equal(response.headers.get('Content-Length'), String(body.length));
    assert.match(response.headers.get('Content-Type')!, /^text\/plain/);
    assert.equal(response.headers.get('Content-Disposition'), `attachment; filename="Caf_ menu.txt"; filename*=UTF-8''Caf%C3%A9%20menu.txt`);
    assert.equal(response.headers.get('X-Content-Type-Options'), 'nosniff');
    assert.ok(response.headers.get('ETag'));
    assert.equal(response.headers.get('Accept-Ranges'), 'bytes');
  });

  test('HEAD: headers without a body', async () => {
    const response = await file('Large Files/large-256MiB.bin', { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('Content-Length'), String(256 * 1024 * 1024));
    assert.ok(response.headers.get('ETag'));
    assert.equal((await response.arrayBuffer()).byteLength, 0);
  });

  test('an unknown handle is a 404 that any page may read', async () => {
    const response = await h.app.request('/api/file/no-such-handle', { headers: { Origin: 'https://elsewhere.example' } });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*');
  });

  test('If-None-Match with the ETag: 304 without a body', async () => {
    const first = await file('Pictures/icon 64x64.png');
    const etag = first.headers.get('ETag')!;
    await first.arrayBuffer();
    const again = await file('Pictures/icon 64x64.png', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('ETag'), etag);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    const other = await file('Pictures/icon 64x64.png', { headers: { 'If-None-Match': '"something-else"' } });
    assert.equal(other.status, 200);
    await other.arrayBuffer();
  });

  test('HTML and SVG are never inline, even when asked, and are sandboxed', async () => {
    for (const name of ['Data/notes.html', 'Pictures/vector logo.svg']) {
      for (const query of ['', '?dl=false']) {
        const response = await file(name, {}, query);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('Content-Disposition')!, /^attachment;/, `${name}${query}`);
        assert.equal(response.headers.get('X-Content-Type-Options'), 'nosniff');
        assert.match(response.headers.get('Content-Security-Policy')!, /\bsandbox\b/);
        await response.arrayBuffer();
      }
    }
  });

  test('?dl=false shows safe types inline', async () => {
    const png = await file('Pictures/icon 64x64.png', {}, '?dl=false');
    assert.match(png.headers.get('Content-Disposition')!, /^inline;/);
    await png.arrayBuffer();
    const pdf = await file('Documents/Project brief.pdf', {}, '?dl=false');
    assert.match(pdf.headers.get('Content-Disposition')!, /^inline;/);
    await pdf.arrayBuffer();
    const attached = await file('Documents/Project brief.pdf');
    assert.match(attached.headers.get('Content-Disposition')!, /^attachment;/);
    await attached.arrayBuffer();
  });

  test('an unknown or malformed handle is a 404 JSON error', async () => {
    for (const handle of ['AAAAAAAAAAAAAAAAAAAA', '.hidden', '%00', 'a%2Fb']) {
      const response = await h.app.request(`/api/file/${handle}`);
      assert.equal(response.status, 404, handle);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'FS_ERR_NOT_FOUND');
    }
    const metadata = await h.app.request('/api/file/AAAAAAAAAAAAAAAAAAAA/metadata');
    assert.equal(metadata.status, 404);
  });
});

describe('served by a listening companion (Node streams piped straight through)', () => {
  test('whole file, Range, HEAD, 304 and a reader that goes away', async () => {
    const server = await listen(h.app);
    try {
      const url = (name: string) => `${server.url}/api/file/${handles[name]}`;
      const small = await fetch(url('Café menu.txt'));
      assert.equal(small.status, 200);
      assert.deepEqual(Buffer.from(await small.arrayBuffer()), Buffer.from(await (await sandboxContent('Café menu.txt')).arrayBuffer()));
      assert.match(small.headers.get('Content-Disposition')!, /^attachment;/);
      assert.match(small.headers.get('Content-Security-Policy')!, /sandbox/);
      const big = 'Large Files/large-256MiB.bin';
      const range = 'bytes=200000000-200999999';
      const partial = await fetch(url(big), { headers: { Range: range } });
      assert.equal(partial.status, 206);
      assert.equal(partial.headers.get('Content-Length'), '1000000');
      assert.deepEqual(Buffer.from(await partial.arrayBuffer()), Buffer.from(await (await sandboxContent(big, { headers: { Range: range } })).arrayBuffer()));
      const head = await fetch(url(big), { method: 'HEAD' });
      assert.equal(head.headers.get('Content-Length'), String(256 * 1024 * 1024));
      const etag = head.headers.get('ETag')!;
      assert.equal((await fetch(url(big), { headers: { 'If-None-Match': etag } })).status, 304);
      // Start the 256 MiB download, read a little, walk away: the companion must stay healthy.
      const abort = new AbortController();
      const whole = await fetch(url(big), { signal: abort.signal });
      const reader = whole.body!.getReader();
      await reader.read();
      abort.abort();
      await reader.read().catch(() => {});
      const after = await fetch(url('Café menu.txt'));
      assert.equal(after.status, 200);
      await after.arrayBuffer();
    } finally {
      await server.close();
    }
  });
});

describe('GET /api/file/:handle/metadata', () => {
  test('stat of a file', async () => {
    const response = await h.app.request(`/api/file/${handles['Café menu.txt']}/metadata`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.filename, 'Café menu.txt');
    assert.equal(body.mimetype, 'text/plain');
    assert.equal(body.size, nodes['Café menu.txt']!.content!.sizeInBytes);
    assert.equal(typeof body.uploaded, 'number');
    assert.equal(body.writeable, true);
    assert.equal(body.width, undefined);
  });

  test('width and height of the 6000×4000 JPEG, read from its header', async () => {
    const response = await h.app.request(`/api/file/${handles['Pictures/panorama 6000x4000.jpg']}/metadata?width=true&height=true`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.width, 6000);
    assert.equal(body.height, 4000);
    assert.equal(body.mimetype, 'image/jpeg');
  });

  test('a link whose owner signed out no longer works: 404 saying why', async () => {
    const session = await h.connect('admin');
    const response = await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [nodes['Café menu.txt']!.id] }) });
    const { blobs } = (await response.json()) as PickResponse;
    const row = await h.db.selectFrom('handles').select('grant_id').where('handle_hash', '=', hashToken(blobs[0]!.handle)).executeTakeFirstOrThrow();
    await h.db.deleteFrom('sessions').where('grant_id', '=', row.grant_id!).execute();
    await h.db.deleteFrom('grants').where('id', '=', row.grant_id!).execute();
    const gone = await h.app.request(`/api/file/${blobs[0]!.handle}`);
    assert.equal(gone.status, 404);
    const body = (await gone.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'FS_ERR_NOT_FOUND');
    assert.match(body.error.message, /no longer connected/);
  });
});
