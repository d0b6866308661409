import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crc32, inflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import {
  BIG_FILE_NAME, BIG_FILE_SIZE, MANY_FILES, SEED_PATHS, mimeTypeOf, sampleFile, seedPlan, syntheticBytes, type SampleFile,
} from '../../src/sandbox/content/index.ts';
import { image } from '../../src/sandbox/content/images.ts';
import { syntheticBuffer } from '../../src/sandbox/content/synthetic.ts';

// --- Small readers, written from the format specs, so the tests don't trust the writers' own code. ---

interface ZipListing { name: string; data: Buffer }

/** Lists a zip through its central directory, checking each entry's local header, sizes and CRC-32. */
function readZip(buf: Buffer): ZipListing[] {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0 && eocd === buf.length - 22, 'end of central directory record at the end');
  const count = buf.readUInt16LE(eocd + 10);
  const directoryOffset = buf.readUInt32LE(eocd + 16);
  assert.equal(directoryOffset + buf.readUInt32LE(eocd + 12), eocd, 'central directory ends where the EOCD starts');
  const entries: ZipListing[] = [];
  for (let p = directoryOffset, i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory header signature');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const skip = buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
    assert.equal(buf.readUInt32LE(local), 0x04034b50, `local header of ${name}`);
    assert.equal(buf.readUInt32LE(local + 14), crc, `local CRC of ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const body = buf.subarray(start, start + compressed);
    const data = method === 8 ? inflateRawSync(body) : method === 0 ? body : assert.fail(`method ${method}`);
    assert.equal(data.length, size, `size of ${name}`);
    assert.equal(crc32(data), crc, `CRC-32 of ${name}`);
    entries.push({ name, data });
    p += 46 + nameLength + skip;
  }
  return entries;
}

/** An OOXML package: content types cover every part, and every relationship target exists. */
function checkOoxml(buf: Buffer, mainPart: string): void {
  const entries = readZip(buf);
  const names = new Set(entries.map((e) => e.name));
  assert.equal(entries[0]?.name, '[Content_Types].xml');
  const types = entries[0].data.toString();
  assert.ok(types.includes(`PartName="/${mainPart}"`), `content type for ${mainPart}`);
  for (const [, part] of types.matchAll(/PartName="\/([^"]+)"/g)) assert.ok(names.has(part!), `overridden part ${part} exists`);
  for (const entry of entries.filter((e) => e.name.endsWith('.rels'))) {
    const base = entry.name.replace(/_rels\/[^/]*\.rels$/, '');
    for (const [, target] of entry.data.toString().matchAll(/Target="([^"]+)"/g)) {
      const resolved: string[] = [];
      for (const segment of `${base}${target}`.split('/')) {
        if (segment === '..') resolved.pop();
        else resolved.push(segment);
      }
      assert.ok(names.has(resolved.join('/')), `${entry.name} → ${target} exists`);
    }
  }
  for (const entry of entries.filter((e) => e.name.endsWith('.xml') || e.name.endsWith('.rels'))) {
    assert.match(entry.data.toString(), /^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?>\n<[\s\S]+>$/, entry.name);
  }
}

/** %PDF- header, and every xref offset lands on 'N 0 obj'; startxref lands on the xref table. */
function checkPdf(buf: Buffer): void {
  const text = buf.toString('latin1');
  assert.ok(text.startsWith('%PDF-1.'), 'PDF header');
  assert.ok(text.trimEnd().endsWith('%%EOF'));
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n?$/.exec(text)?.[1]);
  assert.equal(text.slice(startxref, startxref + 5), 'xref\n');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!;
  assert.equal(first, '0');
  const table = text.slice(startxref + `xref\n0 ${count}\n`.length);
  for (let n = 1; n < Number(count); n++) {
    const row = table.slice(n * 20, n * 20 + 20);
    assert.match(row, /^\d{10} 00000 n \n$/, `xref row ${n} is 20 bytes`);
    const offset = Number(row.slice(0, 10));
    assert.equal(text.slice(offset, offset + `${n} 0 obj`.length), `${n} 0 obj`, `object ${n} at ${offset}`);
  }
  assert.match(text, new RegExp(`trailer\\n<< /Size ${count} /Root 1 0 R`));
}

function checkWav(buf: Buffer): void {
  assert.equal(buf.toString('ascii', 0, 4), 'RIFF');
  assert.equal(buf.readUInt32LE(4), buf.length - 8);
  assert.equal(buf.toString('ascii', 8, 16), 'WAVEfmt ');
  assert.equal(buf.readUInt16LE(20), 1, 'PCM');
  const channels = buf.readUInt16LE(22);
  const rate = buf.readUInt32LE(24);
  const bits = buf.readUInt16LE(34);
  assert.equal(buf.readUInt32LE(28), (rate * channels * bits) / 8, 'byte rate');
  assert.equal(buf.readUInt16LE(32), (channels * bits) / 8, 'block align');
  assert.equal(buf.toString('ascii', 36, 40), 'data');
  assert.equal(buf.readUInt32LE(40), buf.length - 44);
  assert.ok(buf.subarray(44).some((b) => b !== 0), 'not silence');
}

/** Walks the MP4 boxes down to the sample table and checks it against mdat and the H.264 NAL units. */
function checkMp4(buf: Buffer): { width: number; height: number; frames: number } {
  const boxes = (start: number, end: number): Map<string, [number, number]> => {
    const out = new Map<string, [number, number]>();
    for (let p = start; p < end;) {
      const size = buf.readUInt32BE(p);
      assert.ok(size >= 8 && p + size <= end, 'box fits in its parent');
      out.set(buf.toString('latin1', p + 4, p + 8), [p + 8, p + size]);
      p += size;
    }
    return out;
  };
  const path = (...types: string[]): [number, number] => {
    let range: [number, number] = [0, buf.length];
    for (const type of types) range = boxes(...range).get(type) ?? assert.fail(`no ${type} box`);
    return range;
  };
  assert.equal(buf.toString('latin1', 8, 12), 'isom');
  const top = [...boxes(0, buf.length).keys()];
  assert.deepEqual(top, ['ftyp', 'moov', 'mdat']);
  const stbl = ['moov', 'trak', 'mdia', 'minf', 'stbl'];
  const [hdlr] = path('moov', 'trak', 'mdia', 'hdlr');
  assert.equal(buf.toString('latin1', hdlr + 8, hdlr + 12), 'vide', 'a video track');
  const [stsd] = path(...stbl, 'stsd');
  assert.equal(buf.toString('latin1', stsd + 12, stsd + 16), 'avc1');
  const width = buf.readUInt16BE(stsd + 8 + 32);
  const height = buf.readUInt16BE(stsd + 8 + 34);
  const avcC = buf.indexOf('avcC', stsd);
  assert.equal(buf[avcC + 5], 66, 'Baseline profile');
  assert.equal(buf[avcC + 12]! & 0x1f, 7, 'an SPS NAL unit first in avcC');
  const [stsz] = path(...stbl, 'stsz');
  const frames = buf.readUInt32BE(stsz + 8);
  const [stts] = path(...stbl, 'stts');
  assert.equal(buf.readUInt32BE(stts + 8), frames, 'stts covers every sample');
  const [stco] = path(...stbl, 'stco');
  const [mdatStart, mdatEnd] = path('mdat');
  assert.equal(buf.readUInt32BE(stco + 8), mdatStart, 'the chunk offset points at mdat payload');
  let p = mdatStart;
  for (let i = 0; i < frames; i++) {
    const sampleSize = buf.readUInt32BE(stsz + 12 + i * 4);
    assert.equal(buf.readUInt32BE(p) + 4, sampleSize, `sample ${i} is one length-prefixed NAL unit`);
    assert.equal(buf[p + 4]! & 0x1f, i === 0 ? 5 : 1, `sample ${i} NAL type (IDR, then P)`);
    p += sampleSize;
  }
  assert.equal(p, mdatEnd, 'samples fill mdat exactly');
  return { width, height, frames };
}

const SHARP_FORMAT: Record<string, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/tiff': 'tiff', 'image/svg+xml': 'svg' };
const OOXML_MAIN: Record<string, string> = { doc: 'word/document.xml', docx: 'word/document.xml', xls: 'xl/workbook.xml', xlsx: 'xl/workbook.xml', ppt: 'ppt/presentation.xml', pptx: 'ppt/presentation.xml' };

/** Checks that a file's bytes really are what its mimetype says. */
async function checkType(file: SampleFile, buf: Buffer): Promise<void> {
  const extension = file.name.split('.').pop()!.toLowerCase();
  const format = SHARP_FORMAT[file.mimeType];
  if (format) {
    const meta = await sharp(buf).metadata();
    assert.equal(meta.format, format, file.name);
    const size = /(\d+)x(\d+)/.exec(file.name);
    if (size) assert.deepEqual([meta.width, meta.height], [Number(size[1]), Number(size[2])], file.name);
    return;
  }
  if (OOXML_MAIN[extension]) return checkOoxml(buf, OOXML_MAIN[extension]);
  switch (file.mimeType) {
    case 'application/pdf': return checkPdf(buf);
    case 'application/zip': assert.ok(readZip(buf).length > 0); return;
    case 'audio/x-wav': return checkWav(buf);
    case 'video/mp4': checkMp4(buf); return;
    case 'application/json': JSON.parse(buf.toString('utf8')); return;
    case 'application/rtf': assert.ok(buf.toString('latin1').startsWith('{\\rtf1'), file.name); return;
    case 'application/x-javascript': new TextDecoder('utf-8', { fatal: true }).decode(buf); return;
    case 'text/csv': {
      const lines = buf.toString('utf8').split('\r\n').filter(Boolean);
      assert.ok(lines.every((line) => line.split(',').length === lines[0]!.split(',').length), `${file.name}: rectangular`);
      return;
    }
    default:
      assert.match(file.mimeType, /^text\//, `${file.name}: a type the test knows`);
      new TextDecoder('utf-8', { fatal: true }).decode(buf);
  }
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const plan = seedPlan();
const areas = {
  site: plan.siteLibrary,
  admin: plan.userHome('admin'),
  mjackson: plan.userHome('mjackson'),
  abeecher: plan.userHome('abeecher'),
  shared: plan.shared,
};

describe('seed plan', () => {
  test('builds fast, 10,000 files included', () => {
    const start = performance.now();
    const home = seedPlan().userHome('admin');
    const elapsed = performance.now() - start;
    assert.ok(elapsed < 1000, `built in ${elapsed.toFixed(0)} ms`);
    const many = home[SEED_PATHS.manyFiles]!;
    assert.equal(many.length, MANY_FILES);
    assert.equal(new Set(many.map((f) => f.name)).size, MANY_FILES, 'unique names');
  });

  test('has the swsdp library tree with its file names', () => {
    const names = (folder: string): string[] => (plan.siteLibrary[folder] ?? assert.fail(`no ${folder}`)).map((f) => f.name);
    assert.deepEqual(names('Agency Files/Contracts'), ['Project Contract.pdf']);
    assert.equal(plan.siteLibrary['Agency Files/Contracts']![0]!.title, 'Project Contract for Green Energy');
    assert.ok(names('Agency Files/Images').includes('coins.JPG') && names('Agency Files/Images').includes('wind turbine.JPG'));
    assert.deepEqual(names('Agency Files/Logo Files'), ['GE Logo.png', 'logo.png']);
    assert.deepEqual(names('Agency Files/Mock-Ups'), ['sample 1.png', 'sample 2.png', 'sample 3.png']);
    assert.deepEqual(names('Agency Files/Video Files'), ['WebSiteReview.mp4']);
    assert.deepEqual(names('Budget Files'), ['budget.xls']);
    assert.deepEqual(names('Budget Files/Invoices'), ['inv I200-109.png', 'inv I200-189.png']);
    assert.equal(names('Meeting Notes').length, 3);
    assert.deepEqual(names('Presentations'), ['Project Objectives.ppt', 'Project Overview.ppt']);
    assert.equal(plan.siteLibrary['Budget Files']![0]!.mimeTypeName, 'Microsoft Excel');
  });

  test('every folder comes after its parent, names are unique per folder', () => {
    for (const [area, folders] of Object.entries(areas)) {
      const seen = new Set(['']);
      for (const [folder, files] of Object.entries(folders)) {
        const parent = folder.includes('/') ? folder.slice(0, folder.lastIndexOf('/')) : '';
        assert.ok(seen.has(parent), `${area}: ${folder} after ${parent}`);
        seen.add(folder);
        assert.equal(new Set(files.map((f) => f.name)).size, files.length, `${area}: ${folder}`);
      }
    }
  });

  test('has a folder 10 levels deep, non-Latin names, and My Files for every user', async () => {
    const bottom = areas.admin[SEED_PATHS.deep]!;
    assert.equal(SEED_PATHS.deep.split('/').length, 11); // 'Deep' + Level 1..10
    assert.equal(bottom[0]!.name, 'bottom.txt');
    assert.match((await bottom[0]!.bytes()).toString(), /10 folders deep/);
    const rootNames = areas.admin['']!.map((f) => f.name);
    for (const name of ['Café menu.txt', 'Привет мир.txt', '日本語のメモ.md']) assert.ok(rootNames.includes(name), name);
    for (const user of ['mjackson', 'abeecher', 'someone-else']) assert.ok(Object.values(plan.userHome(user)).flat().length >= 1, user);
    assert.ok(plan.shared['']!.length >= 1);
  });

  test('every generated file is really of its type', async () => {
    const start = performance.now();
    let count = 0;
    for (const folders of Object.values(areas)) {
      for (const [folder, files] of Object.entries(folders)) {
        if (folder === SEED_PATHS.manyFiles || folder === SEED_PATHS.large) continue;
        for (const file of files) {
          await checkType(file, await file.bytes());
          count++;
        }
      }
    }
    assert.ok(count > 50);
    console.log(`  generated and checked ${count} files in ${(performance.now() - start).toFixed(0)} ms`);
  });

  test('the 10,000 files are cheap, valid text', async () => {
    const many = areas.admin[SEED_PATHS.manyFiles]!;
    for (const file of [many[0]!, many[1]!, many[2]!, many[MANY_FILES - 1]!]) await checkType(file, await file.bytes());
  });

  test('the big file streams the synthetic pattern without bytes()', async () => {
    const [big] = areas.admin[SEED_PATHS.large]!;
    assert.equal(big!.name, BIG_FILE_NAME);
    assert.equal(big!.size, BIG_FILE_SIZE);
    assert.equal(big!.mimeType, 'application/octet-stream');
    const tail = await collect(big!.stream!(BIG_FILE_SIZE - 5000, BIG_FILE_SIZE));
    assert.deepEqual(tail, syntheticBuffer(BIG_FILE_SIZE - 5000, BIG_FILE_SIZE));
    assert.equal(tail.subarray(5000 - 4096, 5000 - 4096 + 16).toString(), (BIG_FILE_SIZE - 4096).toString(16).padStart(16, '0'));
  });
});

describe('generated files', () => {
  test('the 6000×4000 JPEG has its size', async () => {
    const start = performance.now();
    const buf = await image({ width: 6000, height: 4000, format: 'jpeg', scene: 'landscape', label: 'big.jpg' });
    const elapsed = performance.now() - start;
    const meta = await sharp(buf).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 6000, 4000]);
    console.log(`  6000×4000 JPEG: ${buf.length} bytes in ${elapsed.toFixed(0)} ms`);
    assert.ok(elapsed < 8000);
  });

  test('images look like something, not noise or a flat colour', async () => {
    const buf = await sampleFile('look.png', { width: 200, height: 150 }).bytes();
    const { channels } = await sharp(buf).stats();
    assert.ok(channels.every((c) => c.stdev > 5 && c.stdev < 100), 'some variation, not random');
    const { entropy } = await sharp(buf).stats();
    assert.ok(entropy < 7, `entropy ${entropy} is below that of noise`);
  });

  test('same bytes on every call', async () => {
    for (const name of ['a.jpg', 'a.png', 'a.webp', 'a.gif', 'a.svg', 'a.pdf', 'a.docx', 'a.xlsx', 'a.pptx', 'a.zip', 'a.wav', 'a.csv', 'a.bin']) {
      const file = sampleFile(name, { width: 160, height: 120 });
      assert.deepEqual(await file.bytes(), await sampleFile(name, { width: 160, height: 120 }).bytes(), name);
    }
    const video = sampleFile('clip.mp4', { width: 64, height: 48 });
    const first = await video.bytes();
    assert.deepEqual(await video.bytes(), first);
    assert.deepEqual(checkMp4(first), { width: 64, height: 48, frames: 20 });
  });

  test('sampleFile makes a file of the right type for any name', async () => {
    for (const name of ['Photo.JPEG', 'Scan.tif', 'Report.PDF', 'notes.txt', 'data.json', 'Read me.md', 'Deck.pptx', 'Old.doc', 'page.html', 'feed.xml', 'Letter.rtf', 'app.js']) {
      const file = sampleFile(name, { width: 120, height: 90 });
      assert.equal(file.name, name);
      assert.deepEqual({ mimeType: file.mimeType, mimeTypeName: file.mimeTypeName }, mimeTypeOf(name));
      await checkType(file, await file.bytes());
    }
    const unknown = sampleFile('thing.xyz', { title: 'Thing', description: 'What it is' });
    assert.equal(unknown.mimeType, 'application/octet-stream');
    assert.equal(unknown.title, 'Thing');
    assert.equal(unknown.description, 'What it is');
    assert.equal((await unknown.bytes()).length, 4096);
  });
});

describe('mimeTypeOf', () => {
  test('maps by extension, case-insensitively, with Alfresco display names', () => {
    assert.deepEqual(mimeTypeOf('coins.JPG'), { mimeType: 'image/jpeg', mimeTypeName: 'JPEG Image' });
    assert.deepEqual(mimeTypeOf('a.Pdf'), { mimeType: 'application/pdf', mimeTypeName: 'Adobe PDF Document' });
    assert.deepEqual(mimeTypeOf('x.docx'), { mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', mimeTypeName: 'Microsoft Word 2007' });
    assert.deepEqual(mimeTypeOf('budget.xls'), { mimeType: 'application/vnd.ms-excel', mimeTypeName: 'Microsoft Excel' });
    assert.equal(mimeTypeOf('notes.md').mimeType, 'text/x-markdown');
    assert.deepEqual(mimeTypeOf('README'), { mimeType: 'application/octet-stream', mimeTypeName: 'Binary File (Octet Stream)' });
    assert.equal(mimeTypeOf('.txt').mimeType, 'application/octet-stream', 'a dot file has no extension');
  });
});

describe('syntheticBytes', () => {
  const size = 3 * 256 * 1024 + 12_345; // several stream chunks, not a multiple of anything
  test('any range equals the slice of the whole', async () => {
    const whole = await collect(syntheticBytes(size));
    assert.equal(whole.length, size);
    assert.deepEqual(whole, syntheticBuffer(0, size));
    for (const [start, end] of [[0, 1], [1, 17], [4095, 4113], [65_530, 65_560], [262_143, 524_300], [size - 3, size], [1000, 1000], [size - 100, size + 50]]) {
      const part = await collect(syntheticBytes(size, start, end));
      assert.deepEqual(part, whole.subarray(start, Math.min(end!, size)), `[${start}, ${end})`);
    }
    assert.deepEqual(await collect(syntheticBytes(size, 5000)), whole.subarray(5000));
  });

  test('each 4 KiB block starts with its offset, and the filler does not compress away', async () => {
    const buf = syntheticBuffer(0, 3 * 4096);
    assert.equal(buf.toString('latin1', 8192, 8208), '0000000000002000');
    const distinct = new Set(buf.subarray(16, 4096)).size;
    assert.ok(distinct > 200, `${distinct} distinct byte values`);
  });
});
