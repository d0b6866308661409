import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConvertRequest } from '../../src/protocol/convert.ts';
import { renamed, sourceKind } from '../../companion/src/convert/convert.ts';
import { gravityOf, keptFormat } from '../../companion/src/convert/image.ts';
import { findTool, Gate, runTool } from '../../companion/src/convert/tools.ts';

/* The pieces of companion/src/convert that need no companion: finding and running programs, option parsing. */

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-convert-tools-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('findTool', () => {
  test('searches the given PATH, prefers an override, and names the Debian package when missing', async () => {
    const fake = join(dir, 'pdftoppm');
    await writeFile(fake, '#!/bin/sh\nexit 0\n');
    await chmod(fake, 0o755);
    assert.equal(await findTool('pdftoppm', { path: `/nonexistent:${dir}` }), fake);
    assert.equal(await findTool('pdfinfo', { path: dir, overrides: { pdfinfo: fake } }), fake);
    await assert.rejects(findTool('pdfinfo', { path: dir }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'FS_ERR_INTERNAL');
      assert.match(error.message, /pdfinfo.*not installed.*apt-get install --no-install-recommends poppler-utils/);
      return true;
    });
    await assert.rejects(findTool('soffice', { path: '' }), /LibreOffice \(soffice\).*libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui/);
  });
});

describe('runTool', () => {
  test('a program past its time limit is killed (with its children) and reported', async () => {
    const started = Date.now();
    await assert.rejects(runTool('sleeper', '/bin/sh', ['-c', 'sleep 30 & sleep 30'], { timeoutMs: 300 }), /sleeper took longer than 0.3 s and was stopped/);
    assert.ok(Date.now() - started < 5000);
  });

  test('a failing program reports the end of its stderr; a good one its output', async () => {
    await assert.rejects(runTool('tool', '/bin/sh', ['-c', 'echo first >&2; echo "the real reason" >&2; exit 3'], { timeoutMs: 5000 }), /tool failed \(exit 3\): first the real reason/);
    assert.equal((await runTool('tool', '/bin/sh', ['-c', 'echo ok'], { timeoutMs: 5000 })).stdout, 'ok\n');
  });
});

describe('Gate', () => {
  test('runs at most `limit` tasks at a time, all of them in the end', async () => {
    const gate = new Gate(2);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        gate.run(async () => {
          most = Math.max(most, ++running);
          await new Promise((resolve) => setTimeout(resolve, 20));
          running--;
          return index;
        }),
      ),
    );
    assert.equal(most, 2);
    assert.deepEqual(results, [0, 1, 2, 3, 4, 5]);
  });
});

describe('Gate: bounded and cancellable', () => {
  test('past maxWaiting a task is refused at once with FS_ERR_BUSY and a Retry-After; an aborted waiter leaves the queue and never runs', async () => {
    const gate = new Gate(1, 'LibreOffice');
    let release!: () => void;
    const running = gate.run(() => new Promise<void>((resolve) => (release = resolve)), { maxWaiting: 1 });
    const waiter = new AbortController();
    let ran = false;
    const waiting = gate.run(async () => {
      ran = true;
    }, { maxWaiting: 1, signal: waiter.signal });
    assert.deepEqual(gate.load, { running: 1, waiting: 1 });
    await assert.rejects(gate.run(async () => undefined, { maxWaiting: 1 }), (error: Error & { code?: string; retryAfterSeconds?: number }) => {
      assert.equal(error.code, 'FS_ERR_BUSY');
      assert.equal(error.retryAfterSeconds, 30);
      assert.match(error.message, /LibreOffice is busy with 1 conversion and 1 waiting/);
      return true;
    });
    waiter.abort();
    await assert.rejects(waiting, /LibreOffice was cancelled/);
    assert.deepEqual(gate.load, { running: 1, waiting: 0 });
    release();
    await running;
    assert.equal(ran, false);
    assert.deepEqual(gate.load, { running: 0, waiting: 0 });
  });
});

describe('options and names', () => {
  test('parseConvertRequest: format pdf is allowed, store* keys merge into the store options, clashes name the key', () => {
    assert.deepEqual(parseConvertRequest({ format: 'pdf' }, undefined), { options: { format: 'pdf' }, store: {} });
    assert.deepEqual(parseConvertRequest({ w: 10, storeLocation: 'S3', storePath: 'a/' }, { filename: 'x.png', storeContainer: 'bucket' }), {
      options: { width: 10, storeLocation: 'S3', storePath: 'a/' },
      store: { location: 'S3', path: 'a/', container: 'bucket', filename: 'x.png' },
    });
    assert.throws(() => parseConvertRequest({ storeAccess: 'public' }, { access: 'private' }), (error: Error & { field?: string }) => error.field === 'storeAccess');
    assert.throws(() => parseConvertRequest({}, { container: 'a', storeContainer: 'b' }), (error: Error & { field?: string }) => /^storeOptions\./.test(error.field ?? ''));
    assert.throws(() => parseConvertRequest({ format: 'doc' }, {}), (error: Error & { field?: string }) => error.field === 'format');
  });

  test('source kinds, kept formats, renamed files and watermark gravity', () => {
    assert.equal(sourceKind('a.docx', 'application/octet-stream'), 'office');
    assert.equal(sourceKind('scan', 'application/pdf'), 'pdf');
    assert.equal(sourceKind('photo.JPG', ''), 'image');
    assert.equal(sourceKind('notes.txt', 'text/plain'), undefined);
    assert.deepEqual([keptFormat('image/jpeg'), keptFormat('image/svg+xml'), keptFormat('image/webp')], ['jpeg', 'png', 'webp']);
    assert.deepEqual([renamed('photo.JPG', '.webp'), renamed('README', '.pdf'), renamed('.hidden', '.png')], ['photo.webp', 'README.pdf', '.hidden.png']);
    assert.deepEqual([gravityOf('bottom,right'), gravityOf('top'), gravityOf('center'), gravityOf(undefined)], ['southeast', 'north', 'centre', 'centre']);
  });
});
