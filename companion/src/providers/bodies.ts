/** Bodies going to a source (counted, so a short upload is never saved) and coming back from it. */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { FsError } from 'fs-picker/protocol';

/** Passes bytes through; fails when a declared size is exceeded or not reached, so a short file is never saved. */
export class CountBytes extends Transform {
  #seen = 0;

  constructor(private readonly expected: number | undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.expected !== undefined && this.#seen > this.expected) {
      callback(new FsError('FS_ERR_INVALID_REQUEST', `The file is larger than the ${this.expected} bytes it announced; nothing was saved.`));
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expected !== undefined && this.#seen !== this.expected) {
      callback(new FsError('FS_ERR_UPSTREAM', `The file ended after ${this.#seen} of ${this.expected} bytes; nothing was saved.`));
      return;
    }
    callback();
  }
}

/** A source's refusal, for its detail (logs only): at most 4 KiB kept, never throws. */
export async function answerText(response: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (size < 4096) chunks.push(chunk);
      size += chunk.length;
    }
  } catch {
    // The detail is only for logs.
  }
  return Buffer.concat(chunks).subarray(0, 4096).toString('utf8');
}

/** A source's whole answer to an upload (the new item's JSON), as text. */
export async function answerBody(response: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
