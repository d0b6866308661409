/**
 * `npm run bench:load [-- --duration=60 --connections=200 --warmup=10]`: many clients at once against a
 * companion and the sandbox on loopback, mixing what a picker does: folder listings, picks, downloads
 * of picked files and thumbnails. Prints requests per second, p50/p99 latency, errors (anything but a
 * 2xx, timeouts and resets), and the companion's RSS over time, judged flat when the mean of the last
 * 10 s is within 10 % of the first 10 s after the warm-up.
 *
 * The companion runs in its own process, compiled as in production (bench/bundled-child.ts, the same
 * child as bench:stream), so its RSS and CPU are its own; the sandbox and autocannon share this one.
 * test/e2e/load.test.ts runs a 10-second version and requires no errors.
 */
import autocannon, { type Request as LoadRequest } from 'autocannon';
import { pathToFileURL } from 'node:url';
import type { FolderListing, PickResponse } from '../src/protocol/index.ts';
import { bundle, startChild, type Child } from './bundled-child.ts';
import { median } from './table.ts';

const API_KEY = 'bench-app-key';
const ORIGIN = 'http://bench.example';
const CORE = '/alfresco/api/-default-/public/alfresco/versions/1';
/** The seeded folders a listing asks for (src/sandbox/content/seed-plan.ts). */
const FOLDERS = ['Pictures', 'Documents', 'Data', 'Many Files'];
/** How often the companion's RSS is sampled; the flatness windows are whole numbers of samples. */
const SAMPLE_MS = 1000;
const FLAT_WINDOW_S = 10;
const FLAT_TOLERANCE = 0.1;

export interface LoadOptions {
  durationS: number;
  connections: number;
  warmupS: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers, per status. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  /** The companion's RSS, MB, once per second of the measured run. */
  rssMb: number[];
  /** Mean RSS of the last window against the first, as a ratio (1 = flat). */
  rssDrift: number;
}

export async function runLoad({ durationS, connections, warmupS }: LoadOptions): Promise<LoadResult> {
  const { startSandbox } = await import('../src/sandbox/sandbox.ts');
  const bundles = await bundle(['./stream-companion.ts']);
  const sandbox = await startSandbox();
  const companion = startChild(bundles.paths[0]!, [sandbox.url]);
  try {
    const { url, session } = await companion.ask<{ url: string; session: string }>();
    const requests = await requestMix(url, session, sandbox.url);
    const load = (seconds: number) => autocannon({ url, connections, duration: seconds, requests, timeout: 30 });
    if (warmupS > 0) await load(warmupS);
    const rssMb: number[] = [];
    const sampler = sampleRss(companion, rssMb);
    const result = await load(durationS);
    await sampler.stop();
    const statuses: Record<string, number> = {};
    for (const [status, count] of Object.entries(result.statusCodeStats ?? {})) if (!status.startsWith('2')) statuses[status] = count.count ?? 0;
    const window = Math.min(FLAT_WINDOW_S, Math.floor(rssMb.length / 2));
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    return {
      requests: result.requests.total,
      perSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      statuses,
      errors: result.errors + result.timeouts,
      rssMb,
      rssDrift: mean(rssMb.slice(-window)) / mean(rssMb.slice(0, window)),
    };
  } finally {
    await companion.stop();
    await sandbox.close();
    await bundles.remove();
  }
}

/**
 * Asks the companion for its peak RSS once a second, one question at a time, and resets the peak after
 * each answer. `stop` waits for the question in flight, so nothing is sent to a child that is exiting.
 */
function sampleRss(companion: Child, rssMb: number[]): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      if (!running) break;
      const { peak } = await companion.ask<{ peak: number }>('peak');
      rssMb.push(peak / 1e6);
      companion.process.send('reset');
    }
  })();
  // A child that dies is reported by stop(), not as an unhandled rejection in the middle of the run.
  loop.catch(() => {});
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** The requests each connection cycles through, drawn from real listings and picks made up front. */
async function requestMix(companionUrl: string, session: string, sandboxUrl: string): Promise<LoadRequest[]> {
  const headers = { Origin: ORIGIN, Authorization: `Bearer ${session}` };
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${companionUrl}${path}${path.includes('?') ? '&' : '?'}key=${API_KEY}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const basic = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
  const folderIds = await Promise.all(
    FOLDERS.map(async (path) => ((await (await fetch(`${sandboxUrl}${CORE}/nodes/-my-?relativePath=${encodeURIComponent(path)}`, { headers: basic })).json()) as { entry: { id: string } }).entry.id),
  );
  const listings = await Promise.all(folderIds.map((id) => api<FolderListing>(`/api/alfresco/folders/${id}?maxItems=50`)));
  const files = listings.flatMap((listing) => listing.items).filter((item) => !item.isFolder && (item.size ?? 0) < 1024 * 1024);
  const thumbnails = files.flatMap((item) => (item.thumbnailUrl ? [new URL(item.thumbnailUrl, companionUrl)] : []));
  const picked = await api<PickResponse>('/api/pick', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: files.slice(0, 20).map((item) => item.id) }) });
  if (thumbnails.length === 0 || picked.blobs.length === 0) throw new Error('the seeded folders gave no files to pick or thumbnails to load');
  const pathOf = (url: URL | string) => {
    const parsed = new URL(url, companionUrl);
    return parsed.pathname + parsed.search;
  };
  const key = `key=${API_KEY}`;
  const authorized = { ...headers, 'Content-Type': 'application/json' };
  let turn = 0;
  const next = <T>(list: readonly T[]) => list[turn++ % list.length]!;
  return [
    { method: 'GET', path: `/api/alfresco/folders/${folderIds[0]}?${key}&maxItems=50`, headers: authorized, setupRequest: (request) => ({ ...request, path: `/api/alfresco/folders/${next(folderIds)}?${key}&maxItems=50` }) },
    { method: 'POST', path: `/api/pick?${key}`, headers: authorized, setupRequest: (request) => ({ ...request, body: JSON.stringify({ itemIds: [next(files).id] }) }) },
    { method: 'GET', path: pathOf(picked.blobs[0]!.url), setupRequest: (request) => ({ ...request, path: pathOf(next(picked.blobs).url) }) },
    { method: 'GET', path: pathOf(thumbnails[0]!), headers: { Origin: ORIGIN }, setupRequest: (request) => ({ ...request, path: pathOf(next(thumbnails)) }) },
  ];
}

function printResult(options: LoadOptions, result: LoadResult): void {
  const flat = Math.abs(result.rssDrift - 1) <= FLAT_TOLERANCE;
  const failures = Object.values(result.statuses).reduce((sum, count) => sum + count, 0) + result.errors;
  console.log(`load benchmark (${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, loopback HTTP)`);
  console.log(`  ${options.connections} connections for ${options.durationS} s after ${options.warmupS} s of warm-up, each cycling listing → pick → download → thumbnail`);
  console.log(`  ${result.requests} requests, ${Math.round(result.perSecond)}/s; latency p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
  console.log(`  errors: ${failures}${failures > 0 ? ` (${JSON.stringify(result.statuses)} non-2xx, ${result.errors} connection errors or timeouts)` : ''}`);
  const rss = result.rssMb.map((mb) => Math.round(mb));
  console.log(`  companion RSS, MB, each second: ${rss.join(' ')}`);
  console.log(`  median ${Math.round(median(result.rssMb))} MB; last ${FLAT_WINDOW_S} s / first ${FLAT_WINDOW_S} s = ${result.rssDrift.toFixed(3)} (flat within ${FLAT_TOLERANCE * 100} %: ${flat ? 'yes' : 'NO'})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
  const options = { durationS: arg('duration', 60), connections: arg('connections', 200), warmupS: arg('warmup', 10) };
  printResult(options, await runLoad(options));
}
