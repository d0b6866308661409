/**
 * `tsx bench/render.ts`: how fast `<fs-browser>` shows a folder through the real companion, and how many
 * rows it keeps in the DOM, for a 100-item folder and the sandbox's 10,000-item folder. It builds the
 * elements as a page would load them (bench/size-measure.ts's production build of src/define.ts plus the
 * stories' test context, into a temporary folder, served from loopback: not the Vite dev server, whose
 * reloads on other people's edits would break the run), starts the sandbox and companion, signs admin in
 * over the companion's popup flow, and renders the browser in Debian's Chromium. "First rows" is from adding the element to the
 * first rendered row (locations and the first page of 100 fetched through the companion, then virtualised
 * rendering). Then it scrolls to the bottom every frame until the last item is in the DOM ("scroll to the
 * end": every further page, 500 items each, loaded through the companion on the way), and reads the JS heap in use after a
 * full GC (CDP) before the element is added and at both points. BENCH_PROF=dir writes a CPU profile of the
 * page while it scrolls the 10,000 (and builds without minifying, so the profile names functions). The two folders
 * alternate, medians of `--rounds` (5). A benchmark, not a test: it prints figures and exits 0.
 */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BROWSE_PAGE_SIZE, MORE_PAGE_SIZE } from '../src/core/listing.ts';
import { CHROME_ARGS, findChrome } from '../src/dev/chrome.ts';
import { startStack } from '../src/dev/stack.ts';
import { MANY_FILES, SEED_PATHS } from '../src/sandbox/content/index.ts';
import { signInOverHttp } from '../test/helpers/stack-session.ts';
import { measureBundle, ROOT } from './size-measure.ts';
import { serveFolder } from './static-server.ts';
import { sandboxNodes } from './sandbox-nodes.ts';
import { median, printTable } from './table.ts';

const SMALL_FOLDER = 'Bench 100 items';
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 5);
/** Give up scrolling to the end after this long (a run on a loaded machine may be slow, not broken). */
const END_TIMEOUT_MS = Number(process.argv.find((a) => a.startsWith('--end-timeout='))?.slice(14) ?? 60_000);

interface Measure {
  firstRowsMs: number;
  /** Rows in the DOM once the first rows show. */
  rows: number;
  /** From the first scroll to the last item being in the DOM (every page loaded on the way). */
  endMs: number;
  /** Rows in the DOM at the end. */
  rowsAtEnd: number;
  /** Items loaded at the end (the highest aria-posinset). */
  loaded: number;
  /** The page's JS heap in use after a full GC, in bytes: before the element is added, at first rows, at the end. */
  heapBefore: number;
  heapFirst: number;
  heapEnd: number;
}

const debug = (text: string) => {
  if (process.env.BENCH_DEBUG) console.error(`[render ${new Date().toISOString().slice(11, 19)}] ${text}`);
};
const bundle = await mkdtemp(join(tmpdir(), 'fs-bench-render-'));
await writeFile(
  join(bundle, 'entry.ts'),
  `import ${JSON.stringify(join(ROOT, 'src/define.ts'))};
export { CompanionClient } from ${JSON.stringify(join(ROOT, 'src/api/transport/client.ts'))};
export { storeWith } from ${JSON.stringify(join(ROOT, 'stories/fixtures/context.ts'))};
`,
);
await symlink(join(ROOT, 'node_modules'), join(bundle, 'node_modules'), 'dir');
await measureBundle(join(bundle, 'entry.ts'), { root: bundle, outDir: join(bundle, 'out'), minify: !process.env.BENCH_PROF });
await writeFile(join(bundle, 'out/index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench/render</title></head><body></body></html>');
const files = await serveFolder(join(bundle, 'out'));
const stack = await startStack({ demo: false, allowedOrigins: [files.url], logLevel: 'warn' });
const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: CHROME_ARGS });
try {
  const sandbox = stack.urls.sandbox;
  const { nodeId, create } = sandboxNodes(sandbox);
  // The seed has no 100-item folder: make one in admin's My Files (kept if the sandbox persists).
  let small = await nodeId(SMALL_FOLDER);
  if (!small) {
    small = await create('-my-', SMALL_FOLDER, 'cm:folder');
    for (let i = 1; i <= 100; i++) await create(small, `note ${String(i).padStart(3, '0')}.txt`, 'cm:content');
  }
  const many = await nodeId(SEED_PATHS.manyFiles);
  if (!many) throw new Error('the seed has no Many Files folder');

  const { session, user } = await signInOverHttp({ companion: stack.urls.companion, apiKey: stack.apiKey, origin: files.url, user: 'admin' });

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // tsx compiles this file with esbuild's keepNames, whose __name helper the evaluated function calls.
  await page.addInitScript('window.__name = (target) => target');
  await page.goto(`${files.url}/index.html`);
  debug('page loaded');

  const cdp = await page.context().newCDPSession(page);
  /** The page's JS heap in use after a full garbage collection. */
  const heap = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };

  const measure = async (folderId: string, expected: number): Promise<Measure> => {
    await page.evaluate(
      async ({ companion, apiKey, session, user, folderId }) => {
        const entry = '/entry.js';
        const { CompanionClient, storeWith } = (await import(/* @vite-ignore */ entry)) as {
          CompanionClient: new (options: { server: string; apiKey: string }) => unknown;
          storeWith: (patch: unknown) => unknown;
        };
        await customElements.whenDefined('fs-browser');
        document.querySelector('fs-test-context')?.remove();
        const context = document.createElement('fs-test-context') as HTMLElement & { client: unknown; store: unknown; updateComplete: Promise<boolean> };
        context.client = new CompanionClient({ server: companion, apiKey });
        context.store = storeWith({ currentService: 'ALFRESCO', connection: { session, user }, folderId });
        document.body.append(context);
        await context.updateComplete;
      },
      { folderId, companion: stack.urls.companion, apiKey: stack.apiKey, session, user },
    );
    debug(`measure ${expected}: context ready`);
    const before = await heap();
    const first = await page.evaluate(async () => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const start = performance.now();
      const element = document.createElement('fs-browser');
      document.querySelector('fs-test-context')!.append(element);
      const rows = () => element.shadowRoot?.querySelectorAll('[role="option"]') ?? [];
      while (rows().length === 0) {
        if (performance.now() - start > 30_000) return { firstRowsMs: Number.NaN, rows: 0, state: element.shadowRoot?.textContent?.replace(/\s+/g, ' ').slice(0, 300) ?? 'no shadow root' };
        await frame();
      }
      return { firstRowsMs: performance.now() - start, rows: rows().length, state: '' };
    });
    if (first.state) throw new Error(`no rows after 30 s; the element shows: ${first.state}`);
    debug(`measure ${expected}: first rows`);
    const heapFirst = await heap();
    const profiling = process.env.BENCH_PROF && expected === MANY_FILES;
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const end = await page.evaluate(
      async ({ expected, timeout }) => {
        const element = document.querySelector('fs-browser')!;
        const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
        const rows = () => [...(element.shadowRoot?.querySelectorAll('[role="option"]') ?? [])];
        const last = () => Math.max(0, ...rows().map((row) => Number(row.getAttribute('aria-posinset'))));
        const scroller = element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
        const start = performance.now();
        // What a person holding End does: jump to the bottom every frame until the last item shows.
        while (last() < expected && performance.now() - start < timeout) {
          scroller.scrollTop = scroller.scrollHeight;
          await frame();
        }
        const endMs = performance.now() - start;
        await frame();
        return { endMs: last() >= expected ? endMs : Number.NaN, rowsAtEnd: rows().length, loaded: last() };
      },
      { expected, timeout: END_TIMEOUT_MS },
    );
    if (profiling) {
      const { profile } = await cdp.send('Profiler.stop');
      await writeFile(join(process.env.BENCH_PROF!, `render-scroll-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    }
    const heapEnd = await heap();
    if (Number.isNaN(end.endMs)) console.log(`  (${expected} items: the last item was not in the DOM after ${END_TIMEOUT_MS / 1000} s of scrolling; ${end.loaded} loaded)`);
    return { firstRowsMs: first.firstRowsMs, rows: first.rows, ...end, heapBefore: before, heapFirst, heapEnd };
  };

  await measure(small, 100); // warm-up: module loading, the companion's and sandbox's first calls
  await measure(many, MANY_FILES);
  const runs = { small: [] as Measure[], many: [] as Measure[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so drift hits both alike.
    for (const which of round % 2 ? (['many', 'small'] as const) : (['small', 'many'] as const)) {
      runs[which].push(await measure(which === 'small' ? small : many, which === 'small' ? 100 : MANY_FILES));
    }
  }
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const summary = (values: Measure[]) => ({
    firstRowsMs: median(values.map((run) => run.firstRowsMs)),
    rows: median(values.map((run) => run.rows)),
    endMs: median(values.map((run) => run.endMs)),
    rowsAtEnd: median(values.map((run) => run.rowsAtEnd)),
    loaded: median(values.map((run) => run.loaded)),
    heapBefore: median(values.map((run) => run.heapBefore)),
    heapFirst: median(values.map((run) => run.heapFirst)),
    heapEnd: median(values.map((run) => run.heapEnd)),
  });
  const a = summary(runs.small);
  const b = summary(runs.many);
  const ratio = (x: number, y: number) => `${(y / x).toFixed(2)}×`;
  console.log(`bench/render (${new Date().toISOString().slice(0, 10)}): <fs-browser> through the real companion and sandbox, Chromium 1280×800, list view; median of ${ROUNDS}, alternating`);
  printTable(
    ['', '100 items', `${MANY_FILES.toLocaleString('en')} items`, '10,000 / 100'],
    [
      ['first rows (ms, from adding the element)', a.firstRowsMs.toFixed(0), b.firstRowsMs.toFixed(0), ratio(a.firstRowsMs, b.firstRowsMs)],
      ['rows in the DOM at first', String(a.rows), String(b.rows), ratio(a.rows, b.rows)],
      ['scroll to the end (ms, pages of 500 on the way)', a.endMs.toFixed(0), Number.isNaN(b.endMs) ? `> ${END_TIMEOUT_MS}` : b.endMs.toFixed(0), ratio(a.endMs, b.endMs)],
      ['rows in the DOM at the end', String(a.rowsAtEnd), String(b.rowsAtEnd), ratio(a.rowsAtEnd, b.rowsAtEnd)],
      ['items loaded at the end', String(a.loaded), String(b.loaded), ratio(a.loaded, b.loaded)],
      ['JS heap used before the element (MB, after GC)', mb(a.heapBefore), mb(b.heapBefore), ratio(a.heapBefore, b.heapBefore)],
      ['JS heap used at first rows (MB, after GC)', mb(a.heapFirst), mb(b.heapFirst), ratio(a.heapFirst, b.heapFirst)],
      ['JS heap used at the end (MB, after GC)', mb(a.heapEnd), mb(b.heapEnd), ratio(a.heapEnd, b.heapEnd)],
    ],
  );
  if (Number.isFinite(b.endMs)) console.log(`end of ${MANY_FILES.toLocaleString('en')}: ${(b.endMs / ((MANY_FILES - BROWSE_PAGE_SIZE) / MORE_PAGE_SIZE)).toFixed(1)} ms per further page of ${MORE_PAGE_SIZE} (fetch through the companion + render)`);
  else console.log(`end of ${MANY_FILES.toLocaleString('en')} not reached in ${END_TIMEOUT_MS / 1000} s: ${(b.loaded / (END_TIMEOUT_MS / 1000)).toFixed(0)} items/s loaded while scrolling`);
} finally {
  await browser.close();
  await stack.stop();
  await files.close();
  await rm(bundle, { recursive: true, force: true });
}
