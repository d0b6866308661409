import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SampleFile } from './content/index.ts';

const CONTENT_DIR = fileURLToPath(new URL('./content/', import.meta.url));
const CACHE_ROOT = fileURLToPath(new URL('../../node_modules/.cache/fs-picker-sandbox/', import.meta.url));

const inProcess = new Map<string, Promise<Buffer>>();
let version: Promise<string> | undefined;

/**
 * The seed's bytes, generated once and then reused: within a process (tests start several sandboxes)
 * and across processes through node_modules/.cache. The cache is keyed by a hash of the generators'
 * source, so a change to any generator regenerates everything; deleting the folder is always safe.
 */
export function seedBytes(sample: SampleFile, path: string): Promise<Buffer> {
  // Text is quicker to make than to read back; the 10,000-file folder is all text.
  if (/^text\/|json$/.test(sample.mimeType)) return sample.bytes();
  let bytes = inProcess.get(path);
  if (!bytes) {
    bytes = fromDiskOrGenerate(sample, path);
    inProcess.set(path, bytes);
    bytes.catch(() => inProcess.delete(path));
  }
  return bytes;
}

async function fromDiskOrGenerate(sample: SampleFile, path: string): Promise<Buffer> {
  const folder = join(CACHE_ROOT, await (version ??= generatorsVersion()));
  const file = join(folder, createHash('sha1').update(path).digest('hex'));
  const cached = await readFile(file).catch(() => undefined);
  if (cached) return cached;
  const bytes = await sample.bytes();
  // Best effort: a read-only node_modules only costs the next start its speed.
  await mkdir(folder, { recursive: true })
    .then(() => writeFile(`${file}.${process.pid}.tmp`, bytes))
    .then(() => rename(`${file}.${process.pid}.tmp`, file))
    .catch(() => undefined);
  return bytes;
}

async function generatorsVersion(): Promise<string> {
  const hash = createHash('sha1');
  for (const name of (await readdir(CONTENT_DIR)).sort()) hash.update(name).update(await readFile(join(CONTENT_DIR, name)));
  hash.update(process.versions.node);
  return hash.digest('hex').slice(0, 16);
}
