import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange } from '../../protocol/byte-range.ts';

export type { ByteRange } from '../../protocol/byte-range.ts';

/** Streams `size` bytes of a deterministic pattern from `start` to `end` inclusive, never holding them all. */
export type SyntheticSource = (size: number, range: ByteRange) => Readable;

const SYNTHETIC = 'synthetic:';

/**
 * Where file bytes live: in memory by default, or as files in a folder (`--data DIR`). Bytes arrive as
 * streams and leave as streams, so an upload or a download never needs the whole file in memory on disk
 * storage. Synthetic contents (the 256 MiB benchmark file) are computed as they are read.
 */
export abstract class ContentStore {
  constructor(private readonly synthetic: SyntheticSource) {}

  /** Stores the bytes and returns their id and size. */
  abstract put(bytes: Buffer | Readable): Promise<{ contentId: string; size: number }>;
  protected abstract sizeOf(contentId: string): Promise<number>;
  protected abstract open(contentId: string, range: ByteRange): Readable;
  protected abstract remove(contentId: string): Promise<void>;

  syntheticId(size: number): string {
    return `${SYNTHETIC}${size}`;
  }

  async size(contentId: string): Promise<number> {
    return contentId.startsWith(SYNTHETIC) ? Number(contentId.slice(SYNTHETIC.length)) : this.sizeOf(contentId);
  }

  /** The bytes from `range.start` to `range.end` inclusive (the whole content when no range is given). */
  async read(contentId: string, range?: ByteRange): Promise<Readable> {
    const size = await this.size(contentId);
    const wanted = range ?? { start: 0, end: size - 1 };
    if (size === 0) return Readable.from([]);
    return contentId.startsWith(SYNTHETIC) ? this.synthetic(size, wanted) : this.open(contentId, wanted);
  }

  async delete(contentId: string): Promise<void> {
    if (!contentId.startsWith(SYNTHETIC)) await this.remove(contentId);
  }
}

export class MemoryContentStore extends ContentStore {
  readonly #blobs = new Map<string, Buffer>();

  async put(bytes: Buffer | Readable): Promise<{ contentId: string; size: number }> {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.concat(await bytes.toArray());
    const contentId = randomUUID();
    this.#blobs.set(contentId, buffer);
    return { contentId, size: buffer.length };
  }

  protected async sizeOf(contentId: string): Promise<number> {
    return this.#blob(contentId).length;
  }

  protected open(contentId: string, { start, end }: ByteRange): Readable {
    // Chunked so a large in-memory file still streams with back-pressure.
    const blob = this.#blob(contentId).subarray(start, end + 1);
    return Readable.from(chunks(blob, 64 * 1024));
  }

  protected async remove(contentId: string): Promise<void> {
    this.#blobs.delete(contentId);
  }

  #blob(contentId: string): Buffer {
    const blob = this.#blobs.get(contentId);
    if (!blob) throw new Error(`No content ${contentId} in the store`);
    return blob;
  }
}

export class DiskContentStore extends ContentStore {
  constructor(
    private readonly folder: string,
    synthetic: SyntheticSource,
  ) {
    super(synthetic);
  }

  async put(bytes: Buffer | Readable): Promise<{ contentId: string; size: number }> {
    await mkdir(this.folder, { recursive: true });
    const contentId = randomUUID();
    const path = this.#path(contentId);
    const file = createWriteStream(path, { flags: 'wx' });
    try {
      await pipeline(Buffer.isBuffer(bytes) ? Readable.from([bytes]) : bytes, file);
    } catch (error) {
      // Nothing half-written stays behind; a source that failed early may fail the pipeline while the
      // file is still being opened, so it is removed once closed. (Not `once(file, 'close')`: that
      // rejects when the file stream's own error comes first, and the file would stay.)
      if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
      await rm(path, { force: true });
      throw error;
    }
    return { contentId, size: (await stat(path)).size };
  }

  protected async sizeOf(contentId: string): Promise<number> {
    return (await stat(this.#path(contentId))).size;
  }

  protected open(contentId: string, { start, end }: ByteRange): Readable {
    return createReadStream(this.#path(contentId), { start, end, highWaterMark: 256 * 1024 });
  }

  protected async remove(contentId: string): Promise<void> {
    await rm(this.#path(contentId), { force: true });
  }

  #path(contentId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(contentId)) throw new Error(`Not a content id: ${contentId}`);
    return join(this.folder, contentId);
  }
}

function* chunks(buffer: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size);
}
