/**
 * Conversion throughput: images per second through the companion (POST /api/convert over HTTP on
 * loopback: read from storage, sharp, write to storage, new handle and fp.converse event) against sharp
 * called directly on the same stored files (read the file, same resize and encoder, write a file).
 * Two workloads: one 6000×4000 JPEG resized to 1200 wide, and 100 small PNGs (320×240) resized to 100
 * wide, 4 at a time on both sides. Prints each figure and the ratio companion / sharp (goal ≥ 0.9×).
 *
 * Both sides read and write in the same folder: by default on /dev/shm (tmpfs) when there is one, so the
 * figures compare conversion work and not the disk (the companion's storage fsyncs every file and its
 * folder, which plain sharp does not; on a slow disk that alone costs several ms per small image). Give
 * `--dir <folder>` to measure on a real disk.
 *
 *   node --import tsx bench/convert.ts [--rounds 7] [--dir /var/tmp]
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import sharp from 'sharp';
import type { FsBlob } from '../src/protocol/blob.ts';
import { image } from '../src/sandbox/content/images.ts';
import { buildApp } from '../src/server/app.ts';
import { parseConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { listen } from '../src/server/listen.ts';
import { median } from './table.ts';

const API_KEY = 'bench-convert-key';
const KEY = Buffer.alloc(32, 5).toString('base64');
const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const ROUNDS = Number(argument('--rounds') ?? 7);
const BASE = argument('--dir') ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const CONCURRENCY = 4;

const root = await mkdtemp(join(BASE, 'fs-bench-convert-'));
const storage = join(root, 'storage');
const out = join(root, 'direct');
const db = await openDatabase(':memory:');
const config = parseConfig({
  encryptionKey: KEY,
  alfresco: { repositoryUrl: 'http://127.0.0.1:9' },
  storage: { local: { root: storage } },
  apps: [{ apiKey: API_KEY, name: 'bench', allowedOrigins: ['http://bench.example'] }],
});
const server = await listen(await buildApp(config, { db, logger: pino({ level: 'silent' }) }));
const api = (path: string) => `${server.url}${path}${path.includes('?') ? '&' : '?'}key=${API_KEY}`;

async function store(bytes: Buffer, filename: string, mimetype: string): Promise<FsBlob> {
  const response = await fetch(api(`/api/store?filename=${encodeURIComponent(filename)}&mimetype=${mimetype}`), { method: 'POST', body: new Uint8Array(bytes) });
  if (!response.ok) throw new Error(`store: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { blob: FsBlob }).blob;
}

async function viaCompanion(blob: FsBlob, width: number): Promise<void> {
  const response = await fetch(api('/api/convert'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handle: blob.handle, options: { width } }) });
  if (!response.ok) throw new Error(`convert: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

let outputs = 0;
async function viaSharp(blob: FsBlob, width: number): Promise<void> {
  const format = blob.mimetype === 'image/jpeg' ? 'jpeg' : 'png';
  const pipeline = sharp(join(storage, blob.key!)).resize({ width, fit: 'inside' });
  await (format === 'jpeg' ? pipeline.jpeg() : pipeline.png({ compressionLevel: 6 })).toFile(join(out, `${outputs++}.${format}`));
}

/** Images per second for `work` over `blobs`, `concurrency` at a time. */
async function rate(blobs: FsBlob[], concurrency: number, work: (blob: FsBlob) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, blobs.length) }, async () => {
      while (next < blobs.length) await work(blobs[next++]!);
    }),
  );
  return blobs.length / ((performance.now() - started) / 1000);
}

async function compare(label: string, blobs: FsBlob[], width: number, concurrency: number): Promise<void> {
  await rate(blobs.slice(0, 2), 1, (blob) => viaSharp(blob, width)); // warm-up
  await rate(blobs.slice(0, 2), 1, (blob) => viaCompanion(blob, width));
  // Each round measures both, in alternating order, and gives a ratio; the medians of the rounds are
  // printed, so drift on a shared machine hits both sides of each ratio alike.
  const direct: number[] = [];
  const companion: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const sides = [() => rate(blobs, concurrency, (blob) => viaSharp(blob, width)), () => rate(blobs, concurrency, (blob) => viaCompanion(blob, width))] as const;
    const [first, second] = round % 2 ? [sides[1], sides[0]] : [sides[0], sides[1]];
    const [a, b] = [await first(), await second()];
    const [sharpRate, companionRate] = round % 2 ? [b, a] : [a, b];
    direct.push(sharpRate);
    companion.push(companionRate);
    ratios.push(companionRate / sharpRate);
  }
  const ratio = median(ratios);
  console.log(
    `${label.padEnd(34)} sharp ${median(direct).toFixed(2).padStart(8)} img/s   companion ${median(companion).toFixed(2).padStart(8)} img/s   ratio ${ratio.toFixed(2)}× (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}) ${ratio >= 0.9 ? '(goal ≥ 0.9× met)' : '(below the 0.9× goal)'}`,
  );
}

try {
  await mkdir(out, { recursive: true });
  console.log(`bench/convert: files in ${BASE}, median of ${ROUNDS} rounds (sides alternating), sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, ${sharp.concurrency()} libvips threads`);
  const panorama = await store(await image({ width: 6000, height: 4000, format: 'jpeg', scene: 'landscape', label: 'panorama 6000x4000.jpg' }), 'panorama.jpg', 'image/jpeg');
  await compare('6000×4000 JPEG → 1200 wide (×8)', Array.from({ length: 8 }, () => panorama), 1200, 1);
  const small = await Promise.all(
    Array.from({ length: 100 }, async (_, index) => store(await image({ width: 320, height: 240, format: 'png', scene: index % 2 ? 'logo' : 'chart', label: `small ${index}` }), `small-${index}.png`, 'image/png')),
  );
  await compare(`100 PNGs 320×240 → 100 wide (${CONCURRENCY} at a time)`, small, 100, CONCURRENCY);
} finally {
  await server.close();
  await db.destroy();
  await rm(root, { recursive: true, force: true });
}
