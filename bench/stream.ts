/**
 * `npm run bench:stream [-- --size=1GiB --rounds=5]`: a big file through the companion's distributable
 * link (`/api/file/:handle`) against reading it from the sandbox directly, over loopback HTTP. Prints
 * the throughput ratio (goal ≥ 0.9×) and the companion's peak resident memory (goal ≤ 120 MB).
 *
 * The companion runs in a child process (a listening server, compiled as in production: bench/bundled-child.ts), so
 * its RSS is its own: the child (bench/stream-companion.ts) samples `process.memoryUsage().rss` every
 * 10 ms and reports the peak. The sandbox and the reading client share this process, alike for all
 * modes. Each round reads the file once per mode, in an order that turns by round; a ratio printed is
 * the median of the rounds' ratios.
 *
 * Two controls run the same way: a bare Node proxy (bench/bare-proxy.ts, `http.get` piped into the
 * response), the least any Node process passing the bytes on costs; and, when python3 has os.splice,
 * a native zero-copy proxy (bench/splice-proxy.py), the least any proxy at all costs on this machine.
 *
 * Everything is measured twice, once per reader (bench/stream-readers.ts): a lean one that reads into
 * one reused buffer and costs next to nothing, so a proxy hop's whole cost shows; and Node's own HTTP
 * client, which costs about what a typical client does per byte, more than the sandbox serving them.
 *
 * The sandbox's biggest file is the synthetic 256 MiB one; `--size` (default 1 GiB, as the issue asks)
 * is reached by streaming it back to back (4× for 1 GiB), each time a full GET from the first byte.
 * Then many at once: `--parallel` (50) simultaneous downloads of a `--parallel-size` (10 MiB) file
 * uploaded into admin's My Files for the run, and the companion's peak RSS while they run.
 */
import { randomBytes } from 'node:crypto';
import { bundle, startChild, type Child } from './bundled-child.ts';
import { startSpliceProxy } from './native-proxy.ts';
import { leanReader, nodeHttpReader, type Reader } from './stream-readers.ts';
import { median } from './table.ts';

const CORE = '/alfresco/api/-default-/public/alfresco/versions/1';
const API_KEY = 'bench-app-key';
const ORIGIN = 'http://bench.example';
/**
 * How the companion runs: plain `node`, as the README says for production. `BENCH_NODE_FLAGS` (e.g.
 * "--max-semi-space-size=2") and `BENCH_NODE_ENV` (e.g. "MALLOC_TRIM_THRESHOLD_=0") change it, for the
 * companion and the bare proxy alike, to compare settings. A/B of 2026-11-29 (1 GiB, two runs each): a 2 MB
 * semi-space, once used here, saved ~8 MB of peak RSS (121–133 vs 128–143 MB) but cost a third more CPU
 * (more scavenges and old-space GCs for the same garbage chunks): 0.54–0.60× the direct read against
 * 0.72–0.77×, and 5.1–5.4 s of CPU for the 50 parallel downloads against 3.6–3.9 s.
 */
const COMPANION_NODE_FLAGS = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
const COMPANION_ENV: Record<string, string> = Object.fromEntries((process.env.BENCH_NODE_ENV ?? '').split(' ').filter(Boolean).map((pair) => pair.split('=') as [string, string]));
const RSS_GOAL = 120e6;
const RATIO_GOAL = 0.9;

/** One way of reading a download: a URL and the headers it needs. */
interface Mode {
  kind: 'direct' | 'companion' | 'bare' | 'native';
  label: string;
  url: string;
  headers: Record<string, string>;
}

interface Usage {
  peak: number;
  idle: number;
  cpuSeconds: number;
}

await main();

async function main(): Promise<void> {
  const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
  const size = parseSize(arg('size', '1GiB'));
  const rounds = Number(arg('rounds', '5'));
  const parallel = Number(arg('parallel', '50'));
  const parallelSize = parseSize(arg('parallel-size', '10MiB'));
  const { startSandbox } = await import('../src/sandbox/sandbox.ts');
  const { BIG_FILE_SIZE, SEED_PATHS, BIG_FILE_NAME } = await import('../src/sandbox/content/index.ts');
  const passes = Math.max(1, Math.ceil(size / BIG_FILE_SIZE));

  // The companion and the bare proxy run as production does: compiled, each in its own process (bench/bundled-child.ts).
  const bundles = await bundle(['./stream-companion.ts', './bare-proxy.ts']);
  const [companionEntry, bareEntry] = bundles.paths as [string, string];
  const sandbox = await startSandbox();
  const bare = startChild(bareEntry, [sandbox.url], { env: COMPANION_ENV, execArgv: COMPANION_NODE_FLAGS });
  const bareReady = bare.ask<{ url: string }>();
  // BENCH_PROF=dir writes a CPU profile of the companion there.
  const companion = startChild(companionEntry, [sandbox.url], { env: COMPANION_ENV, execArgv: [...COMPANION_NODE_FLAGS, ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [])] });
  const native = await startSpliceProxy(sandbox.url);
  try {
    const { url, session } = await companion.ask<{ url: string; session: string }>();
    const bareUrl = (await bareReady).url;
    const basic = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
    const pick = async (nodeId: string): Promise<string> => {
      const picked = await fetch(`${url}/api/pick?key=${API_KEY}`, {
        method: 'POST',
        headers: { Origin: ORIGIN, Authorization: `Bearer ${session}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ itemIds: [nodeId] }),
      });
      if (!picked.ok) throw new Error(`picking ${nodeId}: ${picked.status} ${await picked.text()}`);
      const { blobs } = (await picked.json()) as { blobs: Array<{ url: string }> };
      return blobs[0]!.url.replace(/^https?:\/\/[^/]+/, url);
    };
    const modesOf = async (nodeId: string): Promise<Mode[]> => [
      { kind: 'direct', label: 'sandbox directly', url: `${sandbox.url}${CORE}/nodes/${nodeId}/content`, headers: basic },
      { kind: 'companion', label: 'through /api/file/:handle', url: await pick(nodeId), headers: {} },
      { kind: 'bare', label: 'bare Node proxy', url: `${bareUrl}${CORE}/nodes/${nodeId}/content`, headers: basic },
      ...('url' in native ? [{ kind: 'native' as const, label: 'native splice proxy', url: `${native.url}${CORE}/nodes/${nodeId}/content`, headers: basic }] : []),
    ];

    const big = (await (await fetch(`${sandbox.url}${CORE}/nodes/-my-?relativePath=${encodeURIComponent(`${SEED_PATHS.large}/${BIG_FILE_NAME}`)}`, { headers: basic })).json()) as { entry: { id: string } };
    const bigModes = await modesOf(big.entry.id);
    const form = new FormData();
    form.append('filedata', new File([randomBytes(parallelSize)], 'bench-parallel.bin', { type: 'application/octet-stream' }));
    form.append('autoRename', 'true');
    const uploaded = await fetch(`${sandbox.url}${CORE}/nodes/-my-/children`, { method: 'POST', headers: basic, body: form });
    if (!uploaded.ok) throw new Error(`uploading the ${parallelSize}-byte file: ${uploaded.status} ${await uploaded.text()}`);
    const smallModes = await modesOf(((await uploaded.json()) as { entry: { id: string } }).entry.id);

    console.log(`stream benchmark (${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, loopback HTTP, ${rounds} rounds, modes in turn)`);
    if ('missing' in native) console.log(`  (no native splice proxy: ${native.missing})`);
    const children = { companion, bare };
    const readers: Array<[string, Reader]> = [
      ['the lean reader (one reused buffer: what a proxy hop costs in full)', leanReader],
      ["Node's HTTP client (what a typical client costs)", nodeHttpReader],
    ];
    for (const [readerLabel, reader] of readers) {
      const bytes = passes * BIG_FILE_SIZE;
      const one = async (mode: Mode) => {
        const start = performance.now();
        for (let pass = 0; pass < passes; pass++) {
          const read = await reader(mode.url, mode.headers);
          if (read !== BIG_FILE_SIZE) throw new Error(`${mode.label}: read ${read} bytes, expected ${BIG_FILE_SIZE}`);
        }
        return bytes / 2 ** 20 / ((performance.now() - start) / 1000);
      };
      report(`${(bytes / 2 ** 30).toFixed(2)} GiB (${passes}× the ${BIG_FILE_SIZE / 2 ** 20} MiB file) read by ${readerLabel}`, bigModes, bytes, await compare(bigModes, rounds, one, children));
      const many = async (mode: Mode) => {
        const start = performance.now();
        const sizes = await Promise.all(Array.from({ length: parallel }, () => reader(mode.url, mode.headers)));
        if (sizes.some((read) => read !== parallelSize)) throw new Error(`${mode.label}: a parallel download was short: ${sizes.join(', ')}`);
        return (parallel * parallelSize) / 2 ** 20 / ((performance.now() - start) / 1000);
      };
      report(`${parallel} downloads of ${parallelSize / 2 ** 20} MiB at once, read by ${readerLabel}`, smallModes, parallel * parallelSize, await compare(smallModes, rounds, many, children));
    }
    console.log('  (child processes run the bundled code under plain node; RSS sampled every 10 ms; CPU is user + system)');
  } finally {
    if ('url' in native) native.stop();
    await companion.stop();
    await bare.stop();
    await sandbox.close();
    await bundles.remove();
  }
}

interface Compared {
  /** Throughput in MiB/s per mode, one per round. */
  rates: number[][];
  /** What the companion and the bare proxy used over all the rounds. */
  companion: Usage;
  bare: Usage;
}

/** Measures every mode once to warm it, then once a round, in an order that turns by round. */
async function compare(modes: Mode[], rounds: number, measure: (mode: Mode) => Promise<number>, children: { companion: Child; bare: Child }): Promise<Compared> {
  for (const mode of modes) await measure(mode);
  children.companion.process.send('reset');
  children.bare.process.send('reset');
  const rates = modes.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < modes.length; i++) {
      const index = (round + i) % modes.length;
      rates[index]!.push(await measure(modes[index]!));
    }
  }
  return { rates, companion: await children.companion.ask<Usage>('peak'), bare: await children.bare.ask<Usage>('peak') };
}

/**
 * Prints one comparison. Each ratio is the median of the rounds' ratios: readings taken seconds apart
 * are paired, where a ratio of medians could pair a fast round of one mode with a slow round of the
 * other (this shared machine's speed drifts by 2× within a run).
 */
function report(title: string, modes: Mode[], bytesPerRun: number, { rates, companion, bare }: Compared): void {
  const at = (kind: Mode['kind']) => modes.findIndex((mode) => mode.kind === kind);
  const ratiosOf = (index: number, against = at('direct')) => rates[index]!.map((rate, round) => rate / rates[against]![round]!);
  const list = (values: number[], digits: number) => values.map((value) => value.toFixed(digits)).join(', ');
  const gib = (bytesPerRun * rates[0]!.length) / 2 ** 30;
  console.log(`\n  ${title}`);
  modes.forEach((mode, index) => {
    const figure = `${mode.label.padEnd(27)} ${median(rates[index]!).toFixed(0).padStart(5)} MiB/s`;
    if (mode.kind === 'direct') return console.log(`    ${figure}  (runs: ${list(rates[index]!, 0)})`);
    const ratio = median(ratiosOf(index));
    const verdict = mode.kind === 'companion' ? `  goal ≥ ${RATIO_GOAL.toFixed(2)}×: ${ratio >= RATIO_GOAL ? 'met' : 'BELOW'}` : '';
    console.log(`    ${figure}  ${ratio.toFixed(2)}× (rounds: ${list(ratiosOf(index), 2)})${verdict}`);
  });
  const [companionAt, bareAt, nativeAt] = [at('companion'), at('bare'), at('native')];
  const againstNative = nativeAt >= 0 ? `${median(ratiosOf(companionAt, nativeAt)).toFixed(2)}× the native proxy's throughput, ` : '';
  console.log(
    `    companion: ${againstNative}${median(ratiosOf(companionAt, bareAt)).toFixed(2)}× the bare Node proxy's; ${(companion.cpuSeconds / gib).toFixed(2)} s of CPU per GiB (bare proxy ${(bare.cpuSeconds / gib).toFixed(2)}); ` +
      `peak RSS ${(companion.peak / 1e6).toFixed(0)} MB (idle ${(companion.idle / 1e6).toFixed(0)}, bare proxy ${(bare.peak / 1e6).toFixed(0)}; goal ≤ ${RSS_GOAL / 1e6} MB: ${companion.peak <= RSS_GOAL ? 'met' : 'ABOVE'})`,
  );
}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?$/i.exec(text.trim());
  if (!match) throw new Error(`--size: expected e.g. 1GiB or 256MiB, got ${text}`);
  const unit = { b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 }[(match[2] ?? 'B').toLowerCase() as 'b'];
  return Number(match[1]) * unit;
}
