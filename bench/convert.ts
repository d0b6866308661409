/**
 * Conversion throughput: images per second through the companion (POST /api/convert over HTTP on
 * loopback: read from storage, sharp, write to storage, new handle and fp.converse event) against sharp
 * called directly on the same stored files (read the file, same resize and encoder, write a file).
 * The companion runs as in production, compiled and in its own process (bench/convert-companion.ts,
 * started by bench/bundled-child.ts); sharp and the HTTP client run in this one. The CPU each side
 * spends per image is printed too: the companion's process, plus this process's client for its side.
 * Two workloads: one 6000×4000 JPEG resized to 1200 wide, 24 times in a row (the two sides taking turns
 * image by image), and 100 small PNGs (320×240) resized to 100 wide, 4 at a time on both sides (a batch
 * a side). Prints each figure and the ratio companion / sharp (goal ≥ 0.9×). For the small PNGs the goal
 * is out of reach of any HTTP service on this machine: the bench measures an empty request and prints
 * the most such a service could reach.
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
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { FsBlob } from '../src/protocol/blob.ts';
import { image } from '../src/sandbox/content/images.ts';
import { bundle, startChild } from './bundled-child.ts';
import { median } from './table.ts';

const API_KEY = 'bench-convert-key';
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
const bundles = await bundle(['./convert-companion.ts']);
// BENCH_PROF=dir writes a CPU profile of the companion there.
const companion = startChild(bundles.paths[0]!, [storage, API_KEY], { execArgv: process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [] });
const { url } = await companion.ask<{ url: string }>();

async function store(bytes: Buffer, filename: string, mimetype: string): Promise<FsBlob> {
  const response = await fetch(`${url}/api/store?key=${API_KEY}&filename=${encodeURIComponent(filename)}&mimetype=${mimetype}`, { method: 'POST', body: new Uint8Array(bytes) });
  if (!response.ok) throw new Error(`store: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { blob: FsBlob }).blob;
}

// The client is node:http on kept-alive connections, not fetch: it shares the two cores with both sides,
// and fetch costs ~2 ms of CPU a request here, which would be counted against the companion.
const agent = new Agent({ keepAlive: true });

/** One request to the companion, its answer read whole; anything but a 200 is an error. */
function call(path: string, json?: unknown): Promise<void> {
  const body = json === undefined ? undefined : JSON.stringify(json);
  const headers = body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const sent = request(`${url}${path}`, { method: body === undefined ? 'GET' : 'POST', agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`${path}: ${response.statusCode} ${Buffer.concat(chunks).toString()}`))));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

const viaCompanion = (blob: FsBlob, width: number) => call(`/api/convert?key=${API_KEY}`, { handle: blob.handle, options: { width } });

let outputs = 0;
async function viaSharp(blob: FsBlob, width: number): Promise<void> {
  const format = blob.mimetype === 'image/jpeg' ? 'jpeg' : 'png';
  const pipeline = sharp(join(storage, blob.key!)).resize({ width, fit: 'inside' });
  await (format === 'jpeg' ? pipeline.jpeg() : pipeline.png({ compressionLevel: 6 })).toFile(join(out, `${outputs++}.${format}`));
}

interface Measured {
  /** Images per second. */
  rate: number;
  /** Milliseconds of CPU per image: this process's (sharp, or the HTTP client) and the companion's. */
  ownCpu: number;
  companionCpu: number;
  /** Milliseconds per image the companion's main thread was busy (the rest of its CPU is sharp's threads). */
  companionMainThread: number;
}

/** Runs `work` over `blobs`, `concurrency` at a time. */
async function measure<T>(blobs: T[], concurrency: number, work: (blob: T) => Promise<void>): Promise<Measured> {
  await companion.ask('cpu'); // starts the companion's count afresh
  const cpu = process.cpuUsage();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, blobs.length) }, async () => {
      while (next < blobs.length) await work(blobs[next++]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(cpu);
  const { cpuSeconds, mainThreadSeconds } = await companion.ask<{ cpuSeconds: number; mainThreadSeconds: number }>('cpu');
  const perImage = (total: number) => (total * 1000) / blobs.length;
  return { rate: blobs.length / seconds, ownCpu: (own.user + own.system) / 1000 / blobs.length, companionCpu: perImage(cpuSeconds), companionMainThread: perImage(mainThreadSeconds) };
}

/**
 * One image at a time, the two sides taking turns image by image (in ABBA order), so that drift on this
 * shared machine, which lasts longer than an image, hits both sides of a round alike. With whole batches
 * a side, single rounds of the same code ranged 0.73–1.02×.
 */
async function measureInTurns(blobs: FsBlob[], width: number): Promise<{ sharp: Measured; companion: Measured }> {
  const sides = [(blob: FsBlob) => viaSharp(blob, width), (blob: FsBlob) => viaCompanion(blob, width)] as const;
  const seconds = [0, 0];
  const ownCpu = [0, 0];
  await companion.ask('cpu'); // starts the companion's count afresh
  for (const [index, blob] of blobs.entries()) {
    for (const side of index % 4 === 0 || index % 4 === 3 ? [0, 1] : [1, 0]) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      await sides[side]!(blob);
      seconds[side]! += (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      ownCpu[side]! += (used.user + used.system) / 1000;
    }
  }
  // The companion idles while sharp runs here, so what it used in the round was for its own side.
  const { cpuSeconds, mainThreadSeconds } = await companion.ask<{ cpuSeconds: number; mainThreadSeconds: number }>('cpu');
  const perImage = (total: number) => total / blobs.length;
  const side = (index: number): Measured => ({ rate: blobs.length / seconds[index]!, ownCpu: perImage(ownCpu[index]!), companionCpu: 0, companionMainThread: 0 });
  return { sharp: side(0), companion: { ...side(1), companionCpu: perImage(cpuSeconds * 1000), companionMainThread: perImage(mainThreadSeconds * 1000) } };
}

/**
 * Measures the workload both ways and prints the rates, the ratio and the CPU per image; returns sharp's
 * CPU per image. One at a time, the sides take turns image by image; several at a time, batch by batch.
 */
async function compare(label: string, blobs: FsBlob[], width: number, concurrency: number): Promise<number> {
  const direct = () => measure(blobs, concurrency, (blob) => viaSharp(blob, width));
  const through = () => measure(blobs, concurrency, (blob) => viaCompanion(blob, width));
  await measure(blobs.slice(0, 2), 1, (blob) => viaSharp(blob, width)); // warm-up
  await measure(blobs.slice(0, 2), 1, (blob) => viaCompanion(blob, width));
  // Each round measures both and gives a ratio; the medians of the rounds are printed, so drift on a
  // shared machine hits both sides of each ratio alike. Batches alternate which side goes first.
  const sharpRuns: Measured[] = [];
  const companionRuns: Measured[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (concurrency === 1) {
      const both = await measureInTurns(blobs, width);
      sharpRuns.push(both.sharp);
      companionRuns.push(both.companion);
    } else if (round % 2) {
      companionRuns.push(await through());
      sharpRuns.push(await direct());
    } else {
      sharpRuns.push(await direct());
      companionRuns.push(await through());
    }
  }
  const ratios = companionRuns.map((run, round) => run.rate / sharpRuns[round]!.rate);
  const ratio = median(ratios);
  const of = (runs: Measured[], key: keyof Measured) => median(runs.map((run) => run[key]));
  console.log(
    `${label.padEnd(34)} sharp ${of(sharpRuns, 'rate').toFixed(2).padStart(8)} img/s   companion ${of(companionRuns, 'rate').toFixed(2).padStart(8)} img/s   ratio ${ratio.toFixed(2)}× (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}) ${ratio >= 0.9 ? '(goal ≥ 0.9× met)' : '(below the 0.9× goal)'}`,
  );
  console.log(
    `${''.padEnd(34)} CPU per image: sharp ${of(sharpRuns, 'ownCpu').toFixed(1)} ms; through the companion ${(of(companionRuns, 'companionCpu') + of(companionRuns, 'ownCpu')).toFixed(1)} ms (companion ${of(companionRuns, 'companionCpu').toFixed(1)}, of which its main thread ${of(companionRuns, 'companionMainThread').toFixed(1)}; HTTP client ${of(companionRuns, 'ownCpu').toFixed(1)})`,
  );
  return of(sharpRuns, 'ownCpu');
}

/**
 * The least any request costs on this machine: GET /healthz (no lookup, no work), 2,000 times, 4 at a
 * time, with the same client. When sharp's work per image is small and the cores are busy, a ratio
 * cannot exceed sharp / (sharp + this).
 */
async function emptyRequestCpu(smallImageCpu: number): Promise<void> {
  const requests = Array.from({ length: 2000 }, (_, index) => index);
  await measure(requests.slice(0, 200), CONCURRENCY, () => call('/healthz')); // warm-up
  const { companionCpu, ownCpu } = await measure(requests, CONCURRENCY, () => call('/healthz'));
  const floor = companionCpu + ownCpu;
  console.log(
    `${'an empty request (GET /healthz)'.padEnd(34)} CPU per request ${floor.toFixed(2)} ms (companion ${companionCpu.toFixed(2)}, HTTP client ${ownCpu.toFixed(2)}): at most ${(smallImageCpu / (smallImageCpu + floor)).toFixed(2)}× for images that take sharp ${smallImageCpu.toFixed(1)} ms`,
  );
}

try {
  await mkdir(out, { recursive: true });
  console.log(`bench/convert: files in ${BASE}, median of ${ROUNDS} rounds (sides alternating), sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, ${sharp.concurrency()} libvips threads`);
  const panorama = await store(await image({ width: 6000, height: 4000, format: 'jpeg', scene: 'landscape', label: 'panorama 6000x4000.jpg' }), 'panorama.jpg', 'image/jpeg');
  // 24 in a row: a round then lasts about a second a side, long enough that a few busy milliseconds
  // elsewhere on this shared machine do not decide its ratio (with 8, rounds ranged 0.77–1.08).
  await compare('6000×4000 JPEG → 1200 wide (×24)', Array.from({ length: 24 }, () => panorama), 1200, 1);
  const small = await Promise.all(
    Array.from({ length: 100 }, async (_, index) => store(await image({ width: 320, height: 240, format: 'png', scene: index % 2 ? 'logo' : 'chart', label: `small ${index}` }), `small-${index}.png`, 'image/png')),
  );
  await emptyRequestCpu(await compare(`100 PNGs 320×240 → 100 wide (${CONCURRENCY} at a time)`, small, 100, CONCURRENCY));
} finally {
  agent.destroy(); // kept-alive connections would hold the companion's server open
  await companion.stop();
  await bundles.remove();
  await rm(root, { recursive: true, force: true });
}
