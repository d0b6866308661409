import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { LocalLocation } from '../../companion/src/storage/local.ts';
import { isTemporaryName, sweepTemporaryFiles, temporaryPathFor } from '../../companion/src/storage/leftovers.ts';

// The start-up sweep of what a killed run left (crash-restart.test.ts kills a real companion): only
// temporary names, only those older than this run, at any depth, and never a stored file.
test('the sweep removes temporary files of earlier runs at any depth and keeps stored files and this run’s writes', async () => {
  const root = await mkdtemp(join(tmpdir(), 'fs-sweep-'));
  try {
    const storage = new LocalLocation(root);
    const stored = await storage.put('uploads/AbCdEfGhIjKl_report.part', Readable.from(['kept']), { contentType: 'text/plain' });
    assert.equal(stored.size, 4);
    const keptStored = storage.filePath('uploads/AbCdEfGhIjKl_report.part');
    await mkdir(join(root, 'team', 'deep'), { recursive: true });
    const old = [temporaryPathFor(join(root, 'x_a.bin')), temporaryPathFor(join(root, 'team', 'deep', 'y_b.png'))];
    const current = temporaryPathFor(join(root, 'team', 'z_c.bin'));
    // This run started a second ago: what it writes now is newer (the file clock may lag Date.now() by a tick).
    const startedAt = Date.now() - 1000;
    for (const path of [...old, current]) await writeFile(path, 'partial');
    const earlier = new Date(startedAt - 60_000);
    for (const path of old) await utimes(path, earlier, earlier);
    const lookalike = join(root, '.notes.part');
    await writeFile(lookalike, 'not ours');
    await utimes(lookalike, earlier, earlier);
    await utimes(keptStored, earlier, earlier);

    assert.ok(old.every((path) => isTemporaryName(basename(path))));
    assert.equal(await sweepTemporaryFiles(root, { before: startedAt }), 2);
    for (const path of old) assert.ok(!existsSync(path), `${path} was removed`);
    assert.ok(existsSync(current), 'a write of this run stays');
    assert.ok(existsSync(lookalike), 'a name the companion never writes stays');
    assert.ok(existsSync(keptStored), 'a stored file stays');
    assert.equal(await sweepTemporaryFiles(join(root, 'missing'), { before: startedAt }), 0, 'a storage folder not made yet is nothing to sweep');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
