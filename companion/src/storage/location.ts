import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { FsError, type ByteRange } from 'fs-picker/protocol';
export type { ByteRange } from 'fs-picker/protocol';


export interface PutOptions {
  contentType: string;
  /** Refuse (FS_ERR_TOO_LARGE, nothing left behind) as soon as more than this many bytes arrive. */
  maxSize?: number;
}

export interface StoredObject {
  /** The content, or the asked range of it. */
  stream: Readable;
  /** The whole object's size in bytes (not the range's). */
  size: number;
  /** The type the object was stored with, when the location keeps one (S3 does, a local folder does not). */
  contentType: string | undefined;
  /** The range `stream` holds, when one was asked for. */
  range?: ByteRange;
  /** Changes whenever the content is replaced (a local file's mtime, S3's ETag); part of the HTTP ETag. */
  version?: string;
}

/**
 * One container of a storage location (an S3 bucket, or a folder on the companion's disk). Keys are
 * relative ('uploads/abc_report.pdf'); every method refuses a key that could leave the container.
 */
export interface StorageLocation {
  readonly location: 'local' | 'S3';
  readonly container: string;
  /**
   * Streams `stream` to `key`. The size limit is enforced while streaming: past it the write stops, the
   * partial data is removed and FS_ERR_TOO_LARGE is thrown. Nothing is visible under `key` until it ends.
   */
  put(key: string, stream: Readable, options: PutOptions): Promise<{ size: number }>;
  /** The object (FS_ERR_NOT_FOUND when absent); `range` must lie within it. */
  get(key: string, range?: ByteRange): Promise<StoredObject>;
  head(key: string): Promise<{ size: number; contentType: string | undefined } | undefined>;
  /** Deletes the object; deleting what is not there is no error. */
  delete(key: string): Promise<void>;
  /**
   * The object as a file on the companion's own disk, when the location keeps it there (a local
   * folder; S3 does not): a converter can read it in place instead of through a stream.
   */
  filePath?(key: string): string;
  /**
   * Like `put`, for a producer that writes files itself (sharp's toFile): `write` gets the path of an
   * empty file to replace (not append to) and answers the size it wrote; the result is published under
   * `key` as `put` publishes a stream. Only where objects are files on the companion's disk; the bytes
   * then never pass through JavaScript.
   */
  writeFile?(key: string, write: (path: string) => Promise<{ size: number }>, options: PutOptions): Promise<{ size: number }>;
}

/** Counts bytes going through and fails the stream as soon as there are more than `maxSize`. */
export class SizeLimit extends Transform {
  /** Bytes so far. (Not `size`: lib-storage would take a Body's `size` for its length.) */
  bytes = 0;

  constructor(private readonly maxSize: number = Number.POSITIVE_INFINITY) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxSize) callback(tooLarge(this.maxSize));
    else callback(null, chunk);
  }
}

export function tooLarge(maxSize: number): FsError {
  return new FsError('FS_ERR_TOO_LARGE', `The file is larger than the ${formatBytes(maxSize)} allowed.`);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Whether `key` is a safe relative object key: segments of printable characters, no empty, "." or ".."
 * segment, no backslash, no leading slash. Throws FS_ERR_INVALID_REQUEST otherwise.
 */
export function assertSafeKey(key: string): void {
  const segments = key.split('/');
  const bad =
    key.length === 0 ||
    key.length > 1024 ||
    key.includes('\\') ||
    [...key].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127) ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) throw new FsError('FS_ERR_INVALID_REQUEST', 'Not a valid storage key.');
}

/** Checks a range against an object's size. */
export function assertRange(range: ByteRange | undefined, size: number): void {
  if (range === undefined) return;
  if (!Number.isInteger(range.start) || !Number.isInteger(range.end) || range.start < 0 || range.end < range.start || range.end >= size) {
    throw new FsError('FS_ERR_INVALID_REQUEST', `The byte range ${range.start}-${range.end} is outside the file (${size} bytes).`);
  }
}
