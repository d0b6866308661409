import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { ConvertedBlob } from '../../src/protocol/convert.ts';
import type { PickResponse } from '../../src/protocol/pick.ts';
import { findTool } from '../../companion/src/convert/tools.ts';
import { encodePolicy, signPolicy } from '../../companion/src/security/policy.ts';
import { hashToken } from '../../companion/src/security/secrets.ts';
import { openEventText } from '../../companion/src/webhooks/event-text.ts';
import { startCompanion, TEST_APP, type CompanionHarness } from '../helpers/companion.ts';
import { nodeAt } from '../helpers/sandbox.ts';
import { startS3rver, type TestS3 } from '../helpers/s3rver.ts';

/*
 * POST /api/convert against a real sandbox (Alfresco links), the local storage folder and s3rver. Every
 * result is decoded (sharp, pdfinfo) and checked for what a person would notice: size, format, colours
 * in the right places, orientation, page count.
 */

type Answer = { blob: ConvertedBlob } & { error: { code: string; message: string; field?: string } };

const BUCKET = 'fs-convert-bucket';
const run = promisify(execFile);

let h: CompanionHarness;
let s3: TestS3;
let localRoot: string;
let admin: string;
const sources: Record<string, string> = {};

const RED = { r: 255, g: 0, b: 0 };
const BLUE = { r: 0, g: 0, b: 255 };
const GREEN = { r: 0, g: 255, b: 0 };

/** 400×300: the left half red, the right half blue. */
async function halves(): Promise<Buffer> {
  const half = await sharp({ create: { width: 200, height: 300, channels: 3, background: BLUE } }).png().toBuffer();
  return sharp({ create: { width: 400, height: 300, channels: 3, background: RED } }).composite([{ input: half, left: 200, top: 0 }]).png().toBuffer();
}

async function store(bytes: Buffer, filename: string, mimetype: string): Promise<string> {
  const response = await h.call(`/api/store?filename=${encodeURIComponent(filename)}&mimetype=${encodeURIComponent(mimetype)}`, { method: 'POST', body: new Uint8Array(bytes) });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as Answer).blob.handle;
}

async function pickPath(path: string): Promise<string> {
  const node = await nodeAt(h.sandbox, path);
  const response = await h.call('/api/pick', { method: 'POST', session: admin, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [node.id] }) });
  assert.equal(response.status, 200);
  return ((await response.json()) as PickResponse).blobs[0]!.handle;
}

function convert(handle: string, options?: unknown, storeOptions?: unknown, query = ''): Promise<Response> {
  return h.call(`/api/convert${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handle, options, storeOptions }) });
}

/** Converts and returns the Blob and the stored bytes (read from the local folder or s3rver). */
async function converted(handle: string, options?: unknown, storeOptions?: unknown): Promise<{ blob: ConvertedBlob; bytes: Buffer }> {
  const response = await convert(handle, options, storeOptions);
  const answer = (await response.json()) as Answer;
  assert.equal(response.status, 200, JSON.stringify(answer));
  const served = await h.app.request(new URL(answer.blob.url).pathname);
  assert.equal(served.status, 200);
  return { blob: answer.blob, bytes: Buffer.from(await served.arrayBuffer()) };
}

async function decode(bytes: Buffer) {
  return sharp(bytes).metadata();
}

/** The colour at (x, y) as r, g, b. */
async function pixel(bytes: Buffer, x: number, y: number): Promise<{ r: number; g: number; b: number }> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return { r: data[at]!, g: data[at + 1]!, b: data[at + 2]! };
}

function near(actual: { r: number; g: number; b: number }, expected: { r: number; g: number; b: number }, message: string): void {
  const distance = Math.abs(actual.r - expected.r) + Math.abs(actual.g - expected.g) + Math.abs(actual.b - expected.b);
  assert.ok(distance < 60, `${message}: got rgb(${actual.r}, ${actual.g}, ${actual.b}), expected rgb(${expected.r}, ${expected.g}, ${expected.b})`);
}

async function expectError(response: Response, status: number, code: string, field?: string): Promise<string> {
  const answer = (await response.json()) as Answer;
  assert.equal(response.status, status, JSON.stringify(answer));
  assert.equal(answer.error.code, code);
  if (field !== undefined) assert.equal(answer.error.field, field, answer.error.message);
  return answer.error.message;
}

const countHandles = async () => (await h.db.selectFrom('handles').select('handle_hash').execute()).length;
const converseEvents = async () =>
  (await h.db.selectFrom('webhook_events').selectAll().where('action', '=', 'fp.converse').orderBy('id').execute()).map((row) => JSON.parse(openEventText(h.box, row.text)) as { url: string; link: Record<string, unknown> });

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

before(async () => {
  s3 = await startS3rver();
  await s3.createBucket(BUCKET);
  localRoot = await mkdtemp(join(tmpdir(), 'fs-convert-local-'));
  // no-such-bucket: allowed by configuration, missing in S3.
  h = await startCompanion({ storage: { local: { root: localRoot }, s3: { ...s3.config(BUCKET), containers: ['no-such-bucket'] } } });
  admin = await h.connect('admin');
  sources.halves = await store(await halves(), 'halves.png', 'image/png');
  // A JPEG whose pixels lie on their side, with EXIF orientation 6 ("turn 90° clockwise to view").
  const sideways = await sharp({ create: { width: 400, height: 300, channels: 3, background: GREEN } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  sources.sideways = await store(sideways, 'sideways.jpg', 'image/jpeg');
  sources.mark = await store(await sharp({ create: { width: 50, height: 50, channels: 3, background: RED } }).png().toBuffer(), 'mark.png', 'image/png');
  sources.blue = await store(await sharp({ create: { width: 400, height: 300, channels: 3, background: BLUE } }).png().toBuffer(), 'blue.png', 'image/png');
  // Noise: a photo-like image whose size depends on the encoder's effort.
  const noise = Buffer.alloc(300 * 200 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) % 251;
  sources.noise = await store(await sharp(noise, { raw: { width: 300, height: 200, channels: 3 } }).blur(1.2).png().toBuffer(), 'noise.png', 'image/png');
  sources.text = await store(Buffer.from('plain text'), 'notes.txt', 'text/plain');
  sources.panorama = await pickPath('Pictures/panorama 6000x4000.jpg');
  sources.docx = await pickPath('Documents/Quarterly report.docx');
  sources.pptx = await pickPath('Documents/Roadmap.pptx');
  sources.xlsx = await pickPath('Documents/Sales figures.xlsx');
  sources.pdf = await pickPath('Documents/Project brief.pdf');
});

after(async () => {
  await h?.close();
  await s3?.close();
  await rm(localRoot, { recursive: true, force: true });
});

describe('POST /api/convert: resizing', () => {
  test('fit clip (the default) fits inside the box keeping the ratio, and may enlarge', async () => {
    const { blob, bytes } = await converted(sources.halves!, { width: 600, height: 600 });
    const meta = await decode(bytes);
    assert.deepEqual([meta.width, meta.height, meta.format], [600, 450, 'png']);
    assert.equal(blob.converted, true);
    assert.equal(blob.filename, 'halves.png');
    assert.equal(blob.mimetype, 'image/png');
    assert.equal(blob.size, bytes.length);
    assert.equal(blob.client, 'Computer');
    assert.match(blob.key!, /^[A-Za-z0-9_-]{12}_halves\.png$/);
    assert.deepEqual(await readFile(join(localRoot, blob.key!)), bytes);
  });

  test('fit max fits inside but never enlarges; w and h are width and height', async () => {
    const { bytes } = await converted(sources.halves!, { w: 600, h: 600, fit: 'max' });
    const meta = await decode(bytes);
    assert.deepEqual([meta.width, meta.height], [400, 300]);
    const smaller = await decode((await converted(sources.halves!, { width: 200, height: 200, fit: 'max' })).bytes);
    assert.deepEqual([smaller.width, smaller.height], [200, 150]);
  });

  test('fit scale stretches to the exact box', async () => {
    const { bytes } = await converted(sources.halves!, { width: 100, height: 300, fit: 'scale' });
    const meta = await decode(bytes);
    assert.deepEqual([meta.width, meta.height], [100, 300]);
    near(await pixel(bytes, 10, 150), RED, 'left stays red');
    near(await pixel(bytes, 90, 150), BLUE, 'right stays blue');
  });

  test('fit crop fills the box and align chooses what stays: left keeps red, right keeps blue, center both', async () => {
    const left = (await converted(sources.halves!, { width: 100, height: 100, fit: 'crop', align: 'left' })).bytes;
    const right = (await converted(sources.halves!, { width: 100, height: 100, fit: 'crop', align: 'right' })).bytes;
    const center = (await converted(sources.halves!, { width: 100, height: 100, fit: 'crop' })).bytes;
    assert.deepEqual([(await decode(left)).width, (await decode(left)).height], [100, 100]);
    // 400×300 scaled to 133×100, then 100 columns kept: source x 0–300 (left), 100–400 (right), 50–350 (center).
    near(await pixel(left, 60, 50), RED, 'align left: column 60 is source x 180, red');
    near(await pixel(center, 60, 50), BLUE, 'center: column 60 is source x 230, blue');
    near(await pixel(center, 45, 50), RED, 'center: column 45 is source x 185, red');
    near(await pixel(right, 45, 50), BLUE, 'align right: column 45 is source x 235, blue');
  });

  test('a side left to the aspect ratio stays within the pixel budget (limits.convertPixels, 40 MP)', async () => {
    const handles = await countHandles();
    const strip = await store(await sharp({ create: { width: 1, height: 4000, channels: 3, background: RED } }).png().toBuffer(), 'strip.png', 'image/png');
    const { bytes } = await converted(strip, { width: 10_000 });
    const meta = await decode(bytes);
    assert.ok(meta.width * meta.height <= 40_000_000, `${meta.width}×${meta.height}`);
    assert.equal(meta.height, 4000);
    assert.equal(await countHandles(), handles + 2);
  });

  test('only a width keeps the aspect ratio', async () => {
    const meta = await decode((await converted(sources.halves!, { width: 200 })).bytes);
    assert.deepEqual([meta.width, meta.height], [200, 150]);
  });

  test('a 6000×4000 JPEG picked from Alfresco converts (24 MP is under the pixel limit); the event says provider "Alfresco"', async () => {
    const before = (await converseEvents()).length;
    const { blob, bytes } = await converted(sources.panorama!, { width: 600 });
    const meta = await decode(bytes);
    assert.deepEqual([meta.width, meta.height, meta.format], [600, 400, 'jpeg']);
    assert.equal(blob.client, 'Alfresco');
    assert.equal(blob.source, 'ALFRESCO');
    assert.equal(blob.filename, 'panorama 6000x4000.jpg');
    const events = await converseEvents();
    assert.equal(events.length, before + 1);
    const event = events.at(-1)!;
    assert.equal(event.url, `${h.config.publicUrl ?? 'http://127.0.0.1:3020'}/api/file/${sources.panorama}`);
    assert.deepEqual(event.link, { url: blob.url, handle: blob.handle, filename: blob.filename, mimetype: 'image/jpeg', size: blob.size, key: blob.key, container: blob.container, provider: 'Alfresco' });
  });
});

describe('POST /api/convert: crop, rotate, format, quality, filters, watermark', () => {
  test('crop is taken after resizing by default, before with crop_first', async () => {
    const after = (await converted(sources.halves!, { width: 200, crop: [100, 0, 100, 100] })).bytes;
    const meta = await decode(after);
    assert.deepEqual([meta.width, meta.height], [100, 100]);
    near(await pixel(after, 50, 50), BLUE, 'x 100–200 of the 200-wide resize is the blue half');

    const first = (await converted(sources.halves!, { width: 100, crop: '0,0,200,300', crop_first: true })).bytes;
    const firstMeta = await decode(first);
    assert.deepEqual([firstMeta.width, firstMeta.height], [100, 150]);
    near(await pixel(first, 90, 75), RED, 'only the red half was kept, then resized');
  });

  test('rotate turns clockwise by degrees; rotate exif turns the image upright and drops the orientation', async () => {
    const turned = (await converted(sources.halves!, { rotate: 90 })).bytes;
    const meta = await decode(turned);
    assert.deepEqual([meta.width, meta.height], [300, 400]);
    near(await pixel(turned, 150, 10), RED, 'red (the left) went to the top');
    near(await pixel(turned, 150, 390), BLUE, 'blue (the right) went to the bottom');

    const original = await decode((await converted(sources.sideways!, {})).bytes);
    assert.deepEqual([original.width, original.height, original.orientation], [400, 300, undefined]);
    const upright = await decode((await converted(sources.sideways!, { rotate: 'exif' })).bytes);
    assert.deepEqual([upright.width, upright.height, upright.orientation], [300, 400, undefined]);
    const kept = await decode((await converted(sources.sideways!, { exif: true })).bytes);
    assert.deepEqual([kept.width, kept.height, kept.orientation], [400, 300, 6]);
  });

  test('format jpg, png, webp and avif: decoded format, MIME type and file extension follow', async () => {
    for (const [format, decoded, mimetype, extension] of [
      ['jpg', 'jpeg', 'image/jpeg', 'jpg'],
      ['png', 'png', 'image/png', 'png'],
      ['webp', 'webp', 'image/webp', 'webp'],
      ['avif', 'heif', 'image/avif', 'avif'],
    ] as const) {
      const { blob, bytes } = await converted(sources.halves!, { format, width: 80 });
      const meta = await decode(bytes);
      assert.equal(meta.format, decoded, format);
      assert.equal(meta.width, 80);
      assert.equal(blob.mimetype, mimetype);
      assert.equal(blob.filename, `halves.${extension}`);
    }
  });

  test('quality lowers the size of lossy formats; compress makes a smaller PNG', async () => {
    const low = (await converted(sources.noise!, { format: 'jpg', quality: 10 })).blob.size;
    const high = (await converted(sources.noise!, { format: 'jpg', quality: 95 })).blob.size;
    assert.ok(low < high / 2, `quality 10: ${low} bytes, quality 95: ${high} bytes`);
    const plain = (await converted(sources.noise!, {})).blob.size;
    const compressed = (await converted(sources.noise!, { compress: true })).blob.size;
    assert.ok(compressed < plain, `compress: ${compressed} bytes, without: ${plain} bytes`);
  });

  test('blur softens the edge between the halves; sharpen changes the image; blurAmount alone means blur', async () => {
    const edge = async (bytes: Buffer) => (await pixel(bytes, 200, 150)).r;
    const plain = (await converted(sources.halves!, {})).bytes;
    const blurred = (await converted(sources.halves!, { filter: 'blur', blurAmount: 10 })).bytes;
    const implied = (await converted(sources.halves!, { blurAmount: 10 })).bytes;
    assert.ok((await edge(plain)) < 10, 'without blur x=200 is blue');
    assert.ok((await edge(blurred)) > 60, `blurred: red bleeds into x=200 (r=${await edge(blurred)})`);
    assert.equal(await edge(implied), await edge(blurred));
    const sharpened = (await converted(sources.noise!, { filter: 'sharpen', sharpenAmount: 20 })).bytes;
    const noise = (await converted(sources.noise!, {})).bytes;
    const spread = async (bytes: Buffer) => (await sharp(bytes).stats()).channels[0]!.stdev;
    assert.ok((await spread(sharpened)) > (await spread(noise)), 'sharpening raises the contrast of the noise');
  });

  test('watermark (a handle or a companion URL) is drawn at watermark_position, scaled by watermark_size', async () => {
    const corner = (await converted(sources.blue!, { watermark: sources.mark, watermark_position: 'bottom,right' })).bytes;
    near(await pixel(corner, 395, 295), RED, 'bottom right is the red mark');
    near(await pixel(corner, 340, 240), BLUE, 'outside the 50×50 mark it is blue');
    near(await pixel(corner, 5, 5), BLUE, 'top left is blue');

    const markUrl = `${h.config.publicUrl ?? 'http://127.0.0.1:3020'}/api/file/${sources.mark}`;
    const big = (await converted(sources.blue!, { watermark: markUrl, watermark_size: 200, watermark_position: 'top,left' })).bytes;
    near(await pixel(big, 95, 95), RED, 'the mark is 100×100 at 200 %');
    near(await pixel(big, 105, 105), BLUE, 'and no larger');
    const centred = (await converted(sources.blue!, { watermark: sources.mark })).bytes;
    near(await pixel(centred, 200, 150), RED, 'the default position is the middle');
  });
});

describe('POST /api/convert: refusals', () => {
  test('bad options name the key', async () => {
    const h0 = sources.halves!;
    assert.match(await expectError(await convert(h0, { heigth: 10 }), 400, 'FS_ERR_INVALID_OPTION', 'heigth'), /unknown option "heigth" \(did you mean "height"\?\)/);
    await expectError(await convert(h0, { width: -5 }), 400, 'FS_ERR_INVALID_OPTION', 'width');
    // A 1×1 image made 40,000×40,000 (and watermarked) was 1.6 gigapixels of work for anyone with the key.
    assert.match(await expectError(await convert(h0, { width: 40_000, height: 40_000, watermark: sources.mark }), 400, 'FS_ERR_INVALID_OPTION', 'height'), /"height" must be a whole number from 1 to 10000, got 40000/);
    await expectError(await convert(h0, { width: 40_000 }), 400, 'FS_ERR_INVALID_OPTION', 'width');
    await expectError(await convert(h0, { h: 10_001 }), 400, 'FS_ERR_INVALID_OPTION', 'h');
    assert.match(await expectError(await convert(h0, { width: 10_000, height: 10_000 }), 400, 'FS_ERR_INVALID_OPTION', 'height'), /100 megapixels; at most 40 megapixels/);
    await expectError(await convert(h0, { fit: 'stretch' }), 400, 'FS_ERR_INVALID_OPTION', 'fit');
    await expectError(await convert(h0, { format: 'bmp' }), 400, 'FS_ERR_INVALID_OPTION', 'format');
    await expectError(await convert(h0, { quality: 101 }), 400, 'FS_ERR_INVALID_OPTION', 'quality');
    await expectError(await convert(h0, { rotate: 'left' }), 400, 'FS_ERR_INVALID_OPTION', 'rotate');
    await expectError(await convert(h0, { crop: [0, 0, 0, 10] }), 400, 'FS_ERR_INVALID_OPTION', 'crop');
    await expectError(await convert(h0, { width: 1, w: 1 }), 400, 'FS_ERR_INVALID_OPTION');
    assert.match(await expectError(await convert(h0, { fit: 'crop', width: 10, height: 10, align: 'faces' }), 400, 'FS_ERR_INVALID_OPTION', 'align'), /"faces" is not supported/);
    await expectError(await convert(h0, { text: 'hello' }), 400, 'FS_ERR_INVALID_OPTION', 'text');
    await expectError(await convert(h0, { watermark_size: 50 }), 400, 'FS_ERR_INVALID_OPTION', 'watermark_size');
    await expectError(await convert(h0, { watermark: 'ftp://example.com/a.png' }), 400, 'FS_ERR_INVALID_OPTION', 'watermark');
    await expectError(await convert(h0, { page: 2 }), 400, 'FS_ERR_INVALID_OPTION', 'page');
    await expectError(await convert(h0, { format: 'pdf' }), 400, 'FS_ERR_INVALID_OPTION', 'format');
    await expectError(await convert(h0, {}, { location: 'ftp' }), 400, 'FS_ERR_INVALID_OPTION', 'storeOptions.location');
    await expectError(await convert(h0, {}, { bucket: 'x' }), 400, 'FS_ERR_INVALID_OPTION', 'storeOptions.bucket');
    await expectError(await convert(h0, { storePath: 'a/' }, { path: 'b/' }), 400, 'FS_ERR_INVALID_OPTION', 'storePath');
    await expectError(await convert('no-such-handle', {}), 404, 'FS_ERR_NOT_FOUND', 'handle');
    await expectError(await convert(sources.text!, { width: 10 }), 400, 'FS_ERR_INVALID_REQUEST', 'handle');
    const fake = await store(Buffer.from('not really a picture'), 'fake.png', 'image/png');
    assert.match(await expectError(await convert(fake, { width: 10 }), 400, 'FS_ERR_INVALID_REQUEST'), /not an image the companion can read/);
    const notJson = await h.call('/api/convert', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
    await expectError(notJson, 400, 'FS_ERR_INVALID_REQUEST');
    await expectError(await h.call('/api/convert', { method: 'POST', body: JSON.stringify({ handle: h0, extra: 1 }) }), 400, 'FS_ERR_INVALID_OPTION', 'extra');
  });

  test('a security policy must allow "convert" on this handle (query parameters, or v2\'s policy/signature options)', async () => {
    const signed = (policy: object) => {
      const text = encodePolicy({ expiry: Math.floor(Date.now() / 1000) + 600, ...policy });
      return { policy: text, signature: signPolicy(text, TEST_APP.appSecret) };
    };
    const readOnly = signed({ call: ['read'] });
    await expectError(await convert(sources.halves!, { width: 10 }, undefined, `?policy=${encodeURIComponent(readOnly.policy)}&signature=${readOnly.signature}`), 403, 'FS_ERR_POLICY');
    const otherHandle = signed({ call: ['convert'], handle: sources.blue });
    await expectError(await convert(sources.halves!, { width: 10, ...otherHandle }), 403, 'FS_ERR_POLICY');
    const allowed = signed({ call: ['convert'], handle: sources.halves });
    const { bytes } = await converted(sources.halves!, { width: 10, ...allowed });
    assert.equal((await decode(bytes)).width, 10);
  });

  test('a crop outside the image names "crop"; nothing is stored', async () => {
    const handles = await countHandles();
    const files = await listFiles(localRoot);
    await expectError(await convert(sources.halves!, { crop: [350, 0, 100, 100] }), 400, 'FS_ERR_INVALID_OPTION', 'crop');
    assert.equal(await countHandles(), handles);
    assert.deepEqual(await listFiles(localRoot), files);
  });

  test('a decompression bomb (a 144-megapixel PNG of a few kilobytes) is refused with 413; nothing is stored', async () => {
    const bomb = await sharp({ create: { width: 12_000, height: 12_000, channels: 3, background: { r: 0, g: 0, b: 0 } } }).greyscale().png({ compressionLevel: 9 }).toBuffer();
    assert.ok(bomb.length < 1024 * 1024, `the bomb is ${bomb.length} bytes`);
    const handle = await store(bomb, 'bomb.png', 'image/png');
    const handles = await countHandles();
    const files = await listFiles(localRoot);
    const events = (await converseEvents()).length;
    const message = await expectError(await convert(handle, { width: 100 }), 413, 'FS_ERR_TOO_LARGE');
    assert.match(message, /more than 100 megapixels/);
    assert.equal(await countHandles(), handles);
    assert.deepEqual(await listFiles(localRoot), files);
    assert.equal((await converseEvents()).length, events);
  });

  test('a stored source whose file was removed from the disk is 404 "no longer there"; nothing is stored', async () => {
    const handle = await store(await halves(), 'gone.png', 'image/png');
    const { key } = await h.db.selectFrom('handles').select('key').where('handle_hash', '=', hashToken(handle)).executeTakeFirstOrThrow();
    await rm(join(localRoot, key!));
    const handles = await countHandles();
    const files = await listFiles(localRoot);
    const events = (await converseEvents()).length;
    const message = await expectError(await convert(handle, { width: 100 }), 404, 'FS_ERR_NOT_FOUND');
    assert.match(message, /no longer there/);
    assert.equal(await countHandles(), handles);
    assert.deepEqual(await listFiles(localRoot), files);
    assert.equal((await converseEvents()).length, events);
  });
});

describe('POST /api/convert: storage', () => {
  test('storeOptions location S3 stores the object in the bucket under path; the Blob has key and container', async () => {
    const { blob } = await converted(sources.halves!, { width: 400, height: 400, fit: 'crop' }, { location: 'S3', path: 'converted/', filename: 'square.png' });
    assert.equal(blob.container, BUCKET);
    assert.equal(blob.path, 'converted/');
    assert.equal(blob.filename, 'square.png');
    assert.match(blob.key!, /^converted\/[A-Za-z0-9_-]{12}_square\.png$/);
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: blob.key! }));
    assert.equal(head.ContentLength, blob.size);
    const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: blob.key! }));
    const meta = await decode(Buffer.from(await object.Body!.transformToByteArray()));
    assert.deepEqual([meta.width, meta.height], [400, 400]);
    const event = (await converseEvents()).at(-1)!;
    assert.deepEqual([event.link.provider, event.link.key, event.link.container, event.link.path], ['internal', blob.key, BUCKET, 'converted/']);

    const handles = await countHandles();
    await expectError(await convert(sources.halves!, { width: 10 }, { location: 'S3', container: 'no-such-bucket' }), 404, 'FS_ERR_NOT_FOUND');
    assert.match(await expectError(await convert(sources.halves!, { width: 10 }, { location: 'S3', container: 'someone-elses-bucket' }), 400, 'FS_ERR_INVALID_OPTION', 'container'), /must be one of this app's S3 buckets: "fs-convert-bucket", "no-such-bucket"/);
    assert.equal(await countHandles(), handles);
  });

  test('v2 store keys among the options work too (storeLocation, storePath); a source on S3 is provider "amazon"', async () => {
    const first = (await converted(sources.halves!, { width: 50, storeLocation: 's3', storePath: 'v2/' })).blob;
    assert.match(first.key!, /^v2\//);
    assert.equal(first.container, BUCKET);
    const second = (await converted(first.handle, { width: 25 })).blob;
    assert.equal((await converseEvents()).at(-1)!.link.provider, 'amazon');
    assert.notEqual(second.container, BUCKET);
  });
});

describe('POST /api/convert: documents', () => {
  const pages = async (bytes: Buffer): Promise<number> => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-convert-test-'));
    try {
      await writeFile(join(dir, 'out.pdf'), bytes);
      const { stdout } = await run('pdfinfo', [join(dir, 'out.pdf')]);
      return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  test('docx, xlsx and pptx from Alfresco become PDFs (LibreOffice headless, in parallel)', async () => {
    const results = await Promise.all([sources.docx!, sources.xlsx!, sources.pptx!].map((handle) => converted(handle, { format: 'pdf' })));
    for (const [index, { blob, bytes }] of results.entries()) {
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.ok((await pages(bytes)) >= 1);
      assert.equal(blob.mimetype, 'application/pdf');
      assert.equal(blob.filename, ['Quarterly report.pdf', 'Sales figures.pdf', 'Roadmap.pdf'][index]);
    }
  });

  test('a page of a PDF, and of an office document, becomes an image, with the image options applied', async () => {
    const page = await converted(sources.pdf!, { format: 'png', page: 1 });
    const meta = await decode(page.bytes);
    assert.equal(meta.format, 'png');
    assert.ok(meta.width > 1000 && meta.height > 1000, `150 dpi page: ${meta.width}×${meta.height}`);
    assert.equal(page.blob.filename, 'Project brief.png');

    const small = await decode((await converted(sources.docx!, { format: 'jpg', width: 300 })).bytes);
    assert.deepEqual([small.format, small.width], ['jpeg', 300]);
  });

  test('a page past the end names "page"; a document without format names "format"; format pdf takes no image options', async () => {
    assert.match(await expectError(await convert(sources.pdf!, { format: 'png', page: 99 }), 400, 'FS_ERR_INVALID_OPTION', 'page'), /has \d+ pages?/);
    await expectError(await convert(sources.pdf!, { width: 100 }), 400, 'FS_ERR_INVALID_OPTION', 'format');
    await expectError(await convert(sources.docx!, { format: 'pdf', width: 100 }), 400, 'FS_ERR_INVALID_OPTION', 'width');
    await expectError(await convert(sources.pdf!, { format: 'pdf' }), 400, 'FS_ERR_INVALID_OPTION', 'format');
  });

  test('a missing LibreOffice or poppler is a clear 500 naming the Debian package; nothing is stored', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'fs-convert-nopath-'));
    await assert.rejects(findTool('soffice', { path: empty }), /apt-get install --no-install-recommends libreoffice-writer-nogui/);
    await assert.rejects(findTool('pdftoppm', { path: empty }), /poppler-utils/);
    assert.match(await findTool('pdftoppm', { path: `${empty}:/usr/bin` }), /\/usr\/bin\/pdftoppm$/);

    const path = process.env.PATH;
    const handles = await countHandles();
    process.env.PATH = empty;
    try {
      const office = await expectError(await convert(sources.docx!, { format: 'pdf' }), 500, 'FS_ERR_INTERNAL');
      assert.match(office, /LibreOffice .* is not installed.*libreoffice-writer-nogui/);
      const poppler = await expectError(await convert(sources.pdf!, { format: 'png' }), 500, 'FS_ERR_INTERNAL');
      assert.match(poppler, /poppler-utils/);
    } finally {
      process.env.PATH = path;
      await rm(empty, { recursive: true, force: true });
    }
    assert.equal(await countHandles(), handles);
  });
});
