import { closeSync, createReadStream, createWriteStream, fsync as fsyncCallback, mkdirSync, openSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { FsError } from 'fs-picker/protocol';
import { collectSpentChunks } from '../spent-chunks.ts';
import { temporaryPathFor } from './leftovers.ts';
import { assertRange, assertSafeKey, SizeLimit, tooLarge, type ByteRange, type PutOptions, type StorageLocation, type StoredObject } from './location.ts';

/** A local container name: one folder name, as conservative as an S3 bucket's. */
export const LOCAL_CONTAINER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Stored files are not for other users of the machine. */
const FILE_MODE = 0o640;

/** Waits for the disk, so it goes through libuv's thread pool, unlike the metadata calls (see below). */
const fsync = promisify(fsyncCallback);

/**
 * The embedded default location: a folder on the companion's disk. The container is either the root
 * folder itself (named after it, e.g. "storage") or a subfolder of it. Writes are atomic: a temporary
 * file in the target folder, fsync, rename; a reader never sees half a file and a failure leaves none.
 *
 * A write's metadata calls (create the temporary file, close it, rename it, open its folder) are made
 * synchronously: on a local disk each takes microseconds, while a trip through libuv's thread pool costs
 * ~0.15 ms of CPU on these 2-core machines (two thread wake-ups), and a write made seven such trips
 * (A/B of POST /api/convert in process: ~0.8 ms of CPU less per small image). The two fsyncs, which
 * wait for the disk, stay asynchronous. The root is meant to be a local disk; network storage is what
 * S3 is for.
 */
export class LocalLocation implements StorageLocation {
  readonly location = 'local' as const;
  readonly container: string;
  readonly #dir: string;

  /** `container` undefined (or the root's own name) = the root folder; otherwise a subfolder of it. */
  constructor(root: string, container?: string) {
    const rootDir = resolve(root);
    const rootName = basename(rootDir);
    if (container === undefined || container === rootName) {
      this.container = rootName;
      this.#dir = rootDir;
    } else {
      if (!LOCAL_CONTAINER_PATTERN.test(container) || container === '..') {
        throw new FsError('FS_ERR_INVALID_OPTION', `"container" must be a folder name of letters, digits, ".", "_" and "-", got "${container.slice(0, 80)}"`, { field: 'container' });
      }
      this.container = container;
      this.#dir = join(rootDir, container);
    }
  }

  #path(key: string): string {
    assertSafeKey(key);
    const path = resolve(this.#dir, key);
    if (!path.startsWith(this.#dir + sep)) throw new FsError('FS_ERR_INVALID_REQUEST', 'Not a valid storage key.');
    return path;
  }

  filePath(key: string): string {
    return this.#path(key);
  }

  async put(key: string, stream: Readable, { maxSize }: PutOptions): Promise<{ size: number }> {
    const limit = new SizeLimit(maxSize);
    const writeTemp = async (temp: string, folder: string) => {
      // `flush` fsyncs the temporary file before the stream closes it.
      const file = createWriteStream(temp, { fd: createTemp(temp, folder), flush: true });
      try {
        await pipeline(collectSpentChunks(stream), limit, file);
      } catch (error) {
        // A source that fails early fails the pipeline before the file is even open; wait for the file
        // to be closed, so that what the open creates exists when it is removed.
        if (!file.closed) await once(file, 'close');
        throw error;
      }
      return limit.bytes;
    };
    return this.#publish(key, writeTemp, () => stream.destroy());
  }

  async writeFile(key: string, write: (path: string) => Promise<{ size: number }>, { maxSize }: PutOptions): Promise<{ size: number }> {
    return this.#publish(key, async (temp, folder) => {
      // The temporary file is made here, with our mode, before the producer writes into it: the mode
      // stays when the producer replaces the content, and fsync through this descriptor makes what the
      // producer wrote durable (it syncs the file, whoever wrote it). Three file-system calls fewer
      // than opening, chmod-ing and stat-ing the producer's file afterwards.
      const fd = createTemp(temp, folder);
      try {
        const { size } = await write(temp);
        if (maxSize !== undefined && size > maxSize) throw tooLarge(maxSize);
        await fsync(fd);
        return size;
      } finally {
        closeSync(fd);
      }
    });
  }

  /**
   * Writes `key` atomically: `writeTemp` fills a temporary file in the target folder (and makes it
   * durable), which is renamed into place, and the folder is synced so the rename lasts too. A reader
   * never sees half a file; a failure leaves none.
   */
  async #publish(key: string, writeTemp: (temp: string, folder: string) => Promise<number>, onFailure?: () => void): Promise<{ size: number }> {
    const path = this.#path(key);
    const folder = dirname(path);
    // A run killed mid-write leaves this file; the next start sweeps it (leftovers.ts).
    const temp = temporaryPathFor(path);
    let size: number;
    try {
      size = await writeTemp(temp, folder);
      renameSync(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      onFailure?.();
      throw error;
    }
    await syncFolder(folder);
    return { size };
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject> {
    const path = this.#path(key);
    const info = await fileInfo(path);
    if (info === undefined) throw new FsError('FS_ERR_NOT_FOUND', 'The stored file is no longer there.');
    const { size } = info;
    assertRange(range, size);
    const stream = createReadStream(path, range === undefined ? {} : { start: range.start, end: range.end });
    return { stream, size, contentType: undefined, version: `${Math.floor(info.mtimeMs)}-${size}`, ...(range === undefined ? {} : { range }) };
  }

  async head(key: string): Promise<{ size: number; contentType: string | undefined } | undefined> {
    const size = await sizeOf(this.#path(key));
    return size === undefined ? undefined : { size, contentType: undefined };
  }

  async delete(key: string): Promise<void> {
    await unlink(this.#path(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  return (await fileInfo(path))?.size;
}

async function fileInfo(path: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** A new, empty file of ours at `temp`, as a descriptor; its folder is made only when missing (usually it is there). */
function createTemp(temp: string, folder: string): number {
  try {
    return openSync(temp, 'wx', FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(folder, { recursive: true });
    return openSync(temp, 'wx', FILE_MODE);
  }
}

/** Makes the rename durable; not every platform can open a folder, so this is best effort. */
async function syncFolder(folder: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return; // Windows cannot open a directory; the rename itself has still happened.
  }
  try {
    await fsync(fd);
  } catch {
    // Nor fsync one.
  } finally {
    closeSync(fd);
  }
}
