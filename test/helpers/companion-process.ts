import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CompanionConfigInput } from '../../companion/src/config.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The companion as its own process (companion/src/cli.ts), as an operator runs it. */
export interface CompanionProcess {
  url: string;
  process: ChildProcess;
  /** Every line it wrote to stdout (pino's JSON), parsed, in order. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the first log line (now or later) for which `match` holds. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGKILL: no handler runs, nothing is flushed or closed. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: the companion's own orderly stop. */
  stop(): Promise<void>;
}

/** Writes `config` as the JSON file FS_CONFIG names and returns its path. */
export async function writeCompanionConfig(dir: string, config: CompanionConfigInput): Promise<string> {
  const path = join(dir, 'companion.json');
  await writeFile(path, JSON.stringify(config));
  return path;
}

/** Starts `fs-picker-companion --config <configPath>` and resolves once it logs that it is listening. */
export function startCompanionProcess(configPath: string, { startTimeoutMs = 60_000 } = {}): Promise<CompanionProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'companion/src/cli.ts', '--config', configPath], {
    cwd: ROOT,
    env: { ...process.env, FS_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line });
    }
    for (const listener of listeners) listener();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitForLog: CompanionProcess['waitForLog'] = (match, what, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => (done(), reject(new Error(`timed out waiting for the companion to log ${what}; stderr: ${stderr.slice(-2000)}`))), timeoutMs);
      const onExit = () => (done(), reject(new Error(`the companion exited (${child.exitCode ?? child.signalCode}) before it logged ${what}; stderr: ${stderr.slice(-2000)}`)));
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
        child.off('exit', onExit);
      };
      listeners.add(check);
      child.once('exit', onExit);
      check();
    });

  return waitForLog((line) => line.msg === 'companion listening', 'that it is listening', startTimeoutMs).then((line) => ({
    url: line.url as string,
    process: child,
    logs,
    waitForLog,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  }), async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
}
