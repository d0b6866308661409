/**
 * Servers a benchmark measures, run as production runs them: each in its own process (its memory and
 * CPU are its own, and it does not share a thread with the benchmark's client), compiled to JavaScript
 * (bundled by esbuild, packages left as imports) and started with plain `node`, not through tsx, whose
 * compiler holds ~40 MB and whose loader hooks make every dynamic `import()` a trip to another thread.
 *
 * The child speaks over IPC: its first message says it is ready; after that each message sent gets one
 * answer. `stop` asks it to close and exit.
 */
import { build } from 'esbuild';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Bundles the bench/ entries named (e.g. 'stream-companion.ts'); `paths` are the bundles, in order. */
export async function bundle(entries: string[]): Promise<{ paths: string[]; remove(): Promise<void> }> {
  // Inside the project, so the bundles' package imports resolve from node_modules.
  await mkdir(join(ROOT, 'node_modules/.cache'), { recursive: true });
  const out = await mkdtemp(join(ROOT, 'node_modules/.cache/fs-bench-'));
  const paths = await Promise.all(
    entries.map(async (entry) => {
      const outfile = join(out, basename(entry).replace(/\.ts$/, '.mjs'));
      await build({ entryPoints: [fileURLToPath(new URL(entry, import.meta.url))], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
      return outfile;
    }),
  );
  return { paths, remove: () => rm(out, { recursive: true, force: true }) };
}

export interface Child {
  process: ChildProcess;
  /** The child's next message, after sending `message` when given; rejects if the child exits first. */
  ask: <T>(message?: string) => Promise<T>;
  stop: () => Promise<void>;
}

/** Starts a bundle under plain node (`execArgv` only as given: not this process's tsx loader). */
export function startChild(path: string, args: string[], { env = {}, execArgv = [] }: { env?: Record<string, string>; execArgv?: string[] } = {}): Child {
  const child = fork(path, args, { cwd: ROOT, env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${basename(path)} exited (${code})`))));
  exited.catch(() => {});
  return {
    process: child,
    ask: <T>(message?: string) =>
      Promise.race([
        exited,
        new Promise<T>((resolve) => {
          child.once('message', (reply) => resolve(reply as T));
          if (message) child.send(message);
        }),
      ]),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await gone;
    },
  };
}
