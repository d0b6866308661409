import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** Builds the package and uses it the way an npm consumer would: by name, through `exports`. */
describe('the published package', () => {
  let consumer: string;
  before(async () => {
    await run(process.execPath, [TSC, '-p', 'tsconfig.build.json'], { cwd: ROOT });
    consumer = await mkdtemp(join(tmpdir(), 'fs-picker-consumer-'));
    await mkdir(join(consumer, 'node_modules'));
    await symlink(ROOT, join(consumer, 'node_modules/fs-picker'), 'dir');
    await writeFile(join(consumer, 'package.json'), '{"type":"module"}');
  });
  after(() => rm(consumer, { recursive: true, force: true }));

  test('fs-picker/protocol, the wire contract the companion imports, runs in plain Node from the built files', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', "const m = await import('fs-picker/protocol'); console.log(typeof m.FsError, typeof m.parseByteRange, m.SERVICE_IDS.join())"], { cwd: consumer });
    assert.equal(stdout.trim(), 'function function ALFRESCO,WEBDAV,CMIS,COMPUTER,URL');
  });

  test('fs-picker/server is gone: the companion is its own package', async () => {
    const result = await run(process.execPath, ['--input-type=module', '-e', "await import('fs-picker/server')"], { cwd: consumer }).catch((error: { stderr: string }) => error);
    assert.match(result.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  test('every entry type-checks for a strict nodenext consumer', async () => {
    await writeFile(
      join(consumer, 'use.ts'),
      `import { FsPicker, FsError } from 'fs-picker';
import type { FsBlob } from 'fs-picker';
import 'fs-picker/define';
import { filepicker } from 'fs-picker/filepicker';
import { parseByteRange, type ConvertOptions } from 'fs-picker/protocol';
const blob: FsBlob | undefined = undefined;
const convert: ConvertOptions = { width: 100 };
export const used = [FsPicker, new FsError('FS_ERR_NETWORK').code, blob, filepicker.SERVICES.ALFRESCO, parseByteRange, convert];
`,
    );
    await writeFile(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, lib: ['ES2023', 'DOM'], types: [] }, files: ['use.ts'] }),
    );

    const result = await run(process.execPath, [TSC, '-p', '.'], { cwd: consumer }).catch((error: { stdout: string }) => error);
    assert.equal(result.stdout.trim(), '', 'tsc reported errors');
  });
});
