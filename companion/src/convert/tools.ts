import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { FsError } from 'fs-picker/protocol';

/*
 * The external programs of document conversion, found on PATH when a conversion needs them (so a
 * companion without them still starts, and converts images), and run with a time limit.
 */

/** The programs, and the Debian package(s) that provide each. */
export const TOOL_PACKAGES = {
  soffice: 'libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui',
  pdftoppm: 'poppler-utils',
  pdfinfo: 'poppler-utils',
} as const;

export type ToolName = keyof typeof TOOL_PACKAGES;

/** How the companion finds a program: by default on `process.env.PATH`, read at each call. */
export interface ToolLookup {
  /** The search path (PATH syntax); default `process.env.PATH`. Tests pass an empty folder to simulate a missing program. */
  path?: string;
  /** Absolute paths that win over the search, e.g. `{ soffice: '/opt/libreoffice/program/soffice' }`. */
  overrides?: Partial<Record<ToolName, string>>;
}

/** The absolute path of `name`, or FS_ERR_INTERNAL saying which Debian package to install. */
export async function findTool(name: ToolName, lookup: ToolLookup = {}): Promise<string> {
  const override = lookup.overrides?.[name];
  if (override !== undefined && (await isExecutable(override))) return override;
  const path = lookup.path ?? process.env.PATH ?? '';
  for (const dir of path.split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  throw missingTool(name);
}

export function missingTool(name: ToolName): FsError {
  const what = name === 'soffice' ? 'LibreOffice (soffice), which converts office documents,' : `poppler's ${name}, which turns PDF pages into images,`;
  return new FsError(
    'FS_ERR_INTERNAL',
    `This conversion needs ${what} and it is not installed on the companion server. Install the Debian package(s): apt-get install --no-install-recommends ${TOOL_PACKAGES[name]}`,
  );
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface RunOptions {
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a program (no shell), collecting at most 64 KiB of its output. Past `timeoutMs`, or when `signal`
 * aborts, the whole process group is killed and the call fails with FS_ERR_INTERNAL ("took longer than").
 * A non-zero exit fails with FS_ERR_INTERNAL carrying the end of stderr.
 */
export function runTool(label: string, file: string, args: readonly string[], { timeoutMs, cwd, env, signal }: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const keep = (text: string, chunk: Buffer) => (text.length < 65_536 ? text + chunk.toString('utf8') : text);
    child.stdout.on('data', (chunk: Buffer) => (stdout = keep(stdout, chunk)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = keep(stderr, chunk)));
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    const onAbort = () => kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (error) => {
      done();
      reject(new FsError('FS_ERR_INTERNAL', `${label} could not be started.`, { cause: error }));
    });
    child.once('close', (code, killedBy) => {
      done();
      if (timedOut) reject(new FsError('FS_ERR_INTERNAL', `${label} took longer than ${timeoutMs / 1000} s and was stopped.`));
      else if (signal?.aborted) reject(new FsError('FS_ERR_INTERNAL', `${label} was cancelled.`, { cause: signal.reason }));
      else if (code !== 0) reject(new FsError('FS_ERR_INTERNAL', `${label} failed (${killedBy ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300)}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** How long a caller refused by a full queue is told to wait before trying again. */
export const BUSY_RETRY_AFTER_SECONDS = 30;

/** FS_ERR_BUSY (503) with a Retry-After for the error handler. */
export function busyError(message: string, retryAfterSeconds = BUSY_RETRY_AFTER_SECONDS): FsError {
  return Object.assign(new FsError('FS_ERR_BUSY', message), { retryAfterSeconds });
}

export interface GateRunOptions {
  /** Tasks that may wait for a turn; one more is refused at once with FS_ERR_BUSY (default: no bound). */
  maxWaiting?: number;
  /** Aborting it takes a waiting task out of the queue (FS_ERR_INTERNAL "was cancelled"). */
  signal?: AbortSignal;
}

/**
 * At most `limit` tasks at a time; at most `maxWaiting` more wait their turn, the rest are refused with
 * FS_ERR_BUSY (LibreOffice takes a core and ~200 MB each, so an unbounded queue is unbounded work). A
 * waiting task whose `signal` aborts leaves the queue at once; a running one is stopped by its own code.
 */
export class Gate {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  /** `label` names what is busy in a refusal, e.g. "LibreOffice". */
  constructor(
    private readonly limit: number,
    private readonly label = 'The companion',
  ) {}

  /** Tasks running and waiting, for tests and logs. */
  get load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  async run<T>(task: () => Promise<T>, { maxWaiting = Number.POSITIVE_INFINITY, signal }: GateRunOptions = {}): Promise<T> {
    if (signal?.aborted) throw cancelled(this.label, signal);
    if (this.#running >= this.limit) {
      if (this.#waiting.length >= maxWaiting) {
        throw busyError(`${this.label} is busy with ${this.#running} conversion${this.#running === 1 ? '' : 's'} and ${this.#waiting.length} waiting; try again in ${BUSY_RETRY_AFTER_SECONDS} s.`);
      }
      await new Promise<void>((resolve, reject) => {
        const turn = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const at = this.#waiting.indexOf(turn);
          if (at !== -1) this.#waiting.splice(at, 1);
          reject(cancelled(this.label, signal!));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#waiting.push(turn);
      });
    }
    this.#running++;
    try {
      return await task();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
}

function cancelled(label: string, signal: AbortSignal): FsError {
  return new FsError('FS_ERR_INTERNAL', `${label} was cancelled.`, { cause: signal.reason });
}
