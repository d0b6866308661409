/**
 * `npm run bench:open [-- --rounds=20]`: time from calling open() to the picker's dialog being shown and
 * focusable, in Debian's Chromium (headless, playwright-core), for fs-picker, Uppy Dashboard and
 * Uploadcare's regular uploader. Each is built as bench/size.ts builds it (bench/contenders.ts) into a
 * temporary folder and served from a loopback static server. Every round opens each contender once in a
 * fresh page, in a rotating order, after the page has loaded and gone quiet (its scripts run, any
 * import() the page starts by itself finished): the time a person clicking "choose a file" would wait.
 *
 * Three figures per open, all medians, polled after every task: "shown" is when the dialog is visible
 * (checkVisibility with opacity), "shown+focused" when it also holds the keyboard focus, and "painted"
 * the end of the first frame after that (requestAnimationFrame, then a task): the headline figure. filestack-js is listed but not timed: its picker UI comes from its
 * CDN, which these machines cannot reach. Absolute times drift on a shared machine; compare the ratios.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../src/dev/chrome.ts';
import { CONTENDERS, writeEntries, type Contender } from './contenders.ts';
import { measureBundle } from './size-measure.ts';
import { serveFolder } from './static-server.ts';
import { median, printTable } from './table.ts';

const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 20);

const { dir, entries, remove } = await writeEntries();
const out = await mkdtemp(join(tmpdir(), 'fs-bench-open-'));
const timed = CONTENDERS.filter((contender) => !contender.notMeasurable);
for (const contender of timed) {
  const folder = join(out, contender.id);
  await measureBundle(entries.get(contender.id)!, { root: dir, outDir: folder });
  const css = existsSync(join(folder, 'entry.css')) ? '<link rel="stylesheet" href="entry.css">' : '';
  await writeFile(join(folder, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${contender.id}</title>${css}</head><body><button id="trigger">Choose a file</button><script type="module" src="entry.js"></script></body></html>`);
}

const server = await serveFolder(out);
const base = server.url;

const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: CHROME_ARGS });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
// tsx compiles this file with esbuild's keepNames, whose __name helper the evaluated function calls.
await context.addInitScript('window.__name = (target) => target');
interface Timing { shownMs: number; readyMs: number; paintedMs: number }
const results = new Map<Contender['id'], Timing[]>(timed.map((contender) => [contender.id, []]));
const failures = new Map<Contender['id'], string>();

async function openOnce(contender: Contender): Promise<Timing | string> {
  const page = await context.newPage();
  try {
    await page.goto(`${base}/${contender.id}/index.html`, { waitUntil: 'networkidle' });
    await page.waitForFunction(() => '__bench' in window);
    return await page.evaluate(async () => {
      const bench = (window as unknown as { __bench: { open(): void; state(): number } }).__bench;
      const channel = new MessageChannel();
      const task = () => new Promise<void>((resolve) => {
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
      });
      const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      await frame();
      await task();
      (document.querySelector('#trigger') as HTMLElement).focus();
      const start = performance.now();
      bench.open();
      let shownMs = Number.NaN;
      for (let state = bench.state(); state < 2; state = bench.state()) {
        if (state === 1 && Number.isNaN(shownMs)) shownMs = performance.now() - start;
        if (performance.now() - start > 5000) return 'not shown and focused within 5 s';
        await task();
      }
      const readyMs = performance.now() - start;
      if (Number.isNaN(shownMs)) shownMs = readyMs;
      await frame();
      await task();
      return { shownMs, readyMs, paintedMs: performance.now() - start };
    });
  } catch (error) {
    return String(error).split('\n')[0]!;
  } finally {
    await page.close();
  }
}

try {
  for (const contender of timed) await openOnce(contender); // warm-up: the browser's caches and JIT
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < timed.length; i++) {
      const contender = timed[(round + i) % timed.length]!;
      const timing = await openOnce(contender);
      if (typeof timing === 'string') failures.set(contender.id, timing);
      else results.get(contender.id)!.push(timing);
    }
  }
} finally {
  await browser.close();
  await server.close();
  await remove();
  await rm(out, { recursive: true, force: true });
}

const ours = median(results.get('fs-picker')!.map((t) => t.paintedMs));
console.log(`bench/open (${new Date().toISOString().slice(0, 10)}): open() → dialog shown and focused, Chromium headless 1280×800, fresh page per open, median of ${ROUNDS} per contender, alternating`);
printTable(
  ['picker', 'opens', 'shown ms', 'shown+focused ms', 'painted ms', 'painted min–max', 'fs-picker / this'],
  CONTENDERS.map((contender) => {
    if (contender.notMeasurable) return [contender.label, '0', '—', '—', '—', '—', 'not measurable'];
    const runs = results.get(contender.id)!;
    if (runs.length === 0) return [contender.label, '0', '—', '—', '—', '—', failures.get(contender.id) ?? 'failed'];
    const painted = runs.map((t) => t.paintedMs);
    return [
      contender.label,
      String(runs.length),
      median(runs.map((t) => t.shownMs)).toFixed(1),
      median(runs.map((t) => t.readyMs)).toFixed(1),
      median(painted).toFixed(1),
      `${Math.min(...painted).toFixed(0)}–${Math.max(...painted).toFixed(0)}`,
      `${(ours / median(painted)).toFixed(2)}×`,
    ];
  }),
);
for (const contender of CONTENDERS) if (contender.notMeasurable) console.log(`${contender.label}: not measurable: ${contender.notMeasurable}.`);
for (const [id, why] of failures) console.log(`${id}: some opens failed: ${why}`);
