import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { BIG_FILE_SIZE } from '../../src/sandbox/content/index.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { basic, CORE, coreApi, startTestSandbox, type NodeJson } from '../helpers/sandbox.ts';

// Range and If-Modified-Since are checked with plain fetch: js-api v10 drops those headers.
describe('sandbox: file content and renditions', () => {
  let sandbox: RunningSandbox;
  let api: ReturnType<typeof coreApi>;
  const ids: Record<string, string> = {};
  const content = (id: string, headers: Record<string, string> = {}, query = '') =>
    fetch(`${sandbox.url}${CORE}/nodes/${id}/content${query}`, { headers: { Authorization: basic('admin'), ...headers } });

  before(async () => {
    sandbox = await startTestSandbox();
    api = coreApi(sandbox);
    for (const [key, path] of Object.entries({
      welcome: 'welcome.txt',
      russian: 'Привет мир.txt',
      big: 'Large Files/large-256MiB.bin',
      panorama: 'Pictures/panorama 6000x4000.jpg',
      pdf: 'Documents',
    })) {
      const { body } = await api<{ entry: NodeJson }>(`/nodes/-my-?relativePath=${encodeURIComponent(path)}`);
      ids[key] = body.entry.id;
    }
  });
  after(() => sandbox.close());

  test('serves the bytes with the node’s type, as an attachment by default', async () => {
    const response = await content(ids.welcome!);
    const body = await response.text();

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('Content-Type'), 'text/plain');
    assert.equal(response.headers.get('Content-Length'), String(Buffer.byteLength(body)));
    assert.equal(response.headers.get('Accept-Ranges'), 'bytes');
    assert.match(response.headers.get('Content-Disposition')!, /^attachment; filename="welcome.txt"/);
  });

  test('attachment=false shows previewable types inline, and non-Latin names survive', async () => {
    const response = await content(ids.russian!, {}, '?attachment=false');
    await response.body?.cancel();

    assert.equal(response.headers.get('Content-Disposition'), `inline; filename="______ ___.txt"; filename*=UTF-8''${encodeURIComponent('Привет мир.txt')}`);
  });

  test('a Range gives 206 with exactly those bytes', async () => {
    const whole = Buffer.from(await (await content(ids.welcome!)).arrayBuffer());
    const partial = await content(ids.welcome!, { Range: 'bytes=2-9' });
    const suffix = await content(ids.welcome!, { Range: 'bytes=-5' });

    assert.equal(partial.status, 206);
    assert.equal(partial.headers.get('Content-Range'), `bytes 2-9/${whole.length}`);
    assert.deepEqual(Buffer.from(await partial.arrayBuffer()), whole.subarray(2, 10));
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), whole.subarray(whole.length - 5));
  });

  test('an unsatisfiable Range gives 416 with the size', async () => {
    const response = await content(ids.welcome!, { Range: 'bytes=999999-' });
    await response.body?.cancel();

    assert.equal(response.status, 416);
    assert.match(response.headers.get('Content-Range')!, /^bytes \*\/\d+$/);
  });

  test('If-Modified-Since at or after the change gives 304', async () => {
    const first = await content(ids.welcome!);
    await first.body?.cancel();
    const again = await content(ids.welcome!, { 'If-Modified-Since': first.headers.get('Last-Modified')! });
    const older = await content(ids.welcome!, { 'If-Modified-Since': new Date('2001-01-01').toUTCString() });
    await older.body?.cancel();

    assert.equal(again.status, 304);
    assert.equal(older.status, 200);
  });

  test('the 256 MiB file streams, and a range at its end is served without reading the rest', async () => {
    const head = await fetch(`${sandbox.url}${CORE}/nodes/${ids.big}/content`, { method: 'HEAD', headers: { Authorization: basic('admin') } });
    const tail = await content(ids.big!, { Range: `bytes=${BIG_FILE_SIZE - 4096}-${BIG_FILE_SIZE - 4096 + 15}` });

    assert.equal(head.headers.get('Content-Length'), String(BIG_FILE_SIZE));
    // Every 4 KiB block of the synthetic pattern opens with its own offset in hex.
    assert.equal(await tail.text(), (BIG_FILE_SIZE - 4096).toString(16).padStart(16, '0'));
  });

  test('a folder has no content', async () => {
    const response = await content(ids.pdf!);
    assert.equal(response.status, 400);
  });

  test('an image has a real doclib thumbnail, at most 100 px', async () => {
    const list = await api<{ list: { entries: Array<{ entry: { id: string; status: string } }> } }>(`/nodes/${ids.panorama}/renditions`);
    const response = await fetch(`${sandbox.url}${CORE}/nodes/${ids.panorama}/renditions/doclib/content?attachment=false`, { headers: { Authorization: basic('admin') } });
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();

    assert.equal(list.body.list.entries.find(({ entry }) => entry.id === 'doclib')?.entry.status, 'CREATED');
    assert.equal(response.headers.get('Content-Type'), 'image/png');
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 100, 67]);
  });

  test('a PDF has no thumbnail: 404, or a type placeholder when asked', async () => {
    const { body } = await api<{ entry: NodeJson }>('/nodes/-root-?relativePath=Sites/swsdp/documentLibrary/Agency%20Files/Contracts/Project%20Contract.pdf');
    const none = await api(`/nodes/${body.entry.id}/renditions/doclib/content`);
    const placeholder = await fetch(`${sandbox.url}${CORE}/nodes/${body.entry.id}/renditions/doclib/content?placeholder=true`, { headers: { Authorization: basic('admin') } });
    const meta = await sharp(Buffer.from(await placeholder.arrayBuffer())).metadata();
    const create = await api(`/nodes/${body.entry.id}/renditions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":"doclib"}' });

    assert.equal(none.status, 404);
    assert.equal(placeholder.status, 200);
    assert.deepEqual([meta.format, meta.width], ['png', 100]);
    assert.equal(create.status, 400);
  });

  test('asking for an image rendition answers 202, then 409 once it exists', async () => {
    const { body } = await api<{ entry: NodeJson }>('/nodes/-my-?relativePath=Pictures/panorama%206000x4000.jpg');
    const first = await api(`/nodes/${body.entry.id}/renditions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":"imgpreview"}' });
    const second = await api(`/nodes/${body.entry.id}/renditions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[{"id":"imgpreview"}]' });
    const preview = await fetch(`${sandbox.url}${CORE}/nodes/${body.entry.id}/renditions/imgpreview/content`, { headers: { Authorization: basic('admin') } });
    const meta = await sharp(Buffer.from(await preview.arrayBuffer())).metadata();

    assert.equal(first.status, 202);
    assert.equal(second.status, 409);
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 960, 640]);
  });
});
