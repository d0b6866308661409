/**
 * `npm run bench`: every benchmark, one after another, each in its own process (so one's memory and JIT
 * state do not colour the next), each printing its own table. A benchmark that fails or times out is
 * reported in the closing summary; this script always exits 0, so a bench run never fails a build.
 *
 *   tsx bench/all.ts [--only=size,open] [--quick]
 *
 * `--quick` passes fewer rounds to each (for a smoke run; the README figures come from a full run).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { printTable } from './table.ts';

interface Bench {
  name: string;
  file: string;
  args: string[];
  quick: string[];
  /** Give up after this long (minutes). */
  timeout: number;
}

const BENCHES: Bench[] = [
  { name: 'size', file: 'size.ts', args: [], quick: [], timeout: 5 },
  { name: 'open', file: 'open.ts', args: [], quick: ['--rounds=5'], timeout: 10 },
  { name: 'render', file: 'render.ts', args: ['--rounds=3'], quick: ['--rounds=1', '--end-timeout=20000'], timeout: 20 },
  { name: 'listing', file: 'listing.ts', args: [], quick: ['--rounds=5'], timeout: 10 },
  { name: 'stream', file: 'stream.ts', args: [], quick: ['--size=256MiB', '--rounds=1'], timeout: 15 },
  { name: 'convert', file: 'convert.ts', args: [], quick: ['--rounds', '1'], timeout: 10 },
  { name: 'webhooks', file: 'webhooks.ts', args: [], quick: ['--events=2000', '--seconds=2'], timeout: 10 },
  { name: 'sandbox', file: 'sandbox.ts', args: [], quick: [], timeout: 10 },
  { name: 'load', file: 'load.ts', args: [], quick: ['--duration=10', '--warmup=2'], timeout: 5 },
];

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const quick = process.argv.includes('--quick');
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function run(bench: Bench): Promise<{ code: number | null; seconds: number; timedOut: boolean }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(bench.file, import.meta.url)), ...bench.args, ...(quick ? bench.quick : [])], {
      cwd: ROOT,
      stdio: 'inherit',
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // The bench and whatever it started (browser, child servers): its own process group.
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }, bench.timeout * 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, seconds: (performance.now() - started) / 1000, timedOut });
    });
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ code: -1, seconds: (performance.now() - started) / 1000, timedOut });
    });
  });
}

console.log(`npm run bench (${new Date().toISOString()}): Node ${process.versions.node}, shared machine: absolute times drift with other work, compare the ratios`);
const results: string[][] = [];
for (const bench of BENCHES.filter((b) => !only || only.includes(b.name))) {
  console.log(`\n=== bench:${bench.name} ${'='.repeat(60)}`);
  const { code, seconds, timedOut } = await run(bench);
  results.push([bench.name, timedOut ? `timed out after ${bench.timeout} min` : code === 0 ? 'ok' : `failed (exit ${code})`, seconds.toFixed(0)]);
}
console.log('\n=== summary');
printTable(['bench', 'result', 'seconds'], results, [0, 1]);
process.exitCode = 0;
