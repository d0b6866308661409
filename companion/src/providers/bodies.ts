/** Bodies going to a source (counted, so a short upload is never saved) and coming back from it. */
import type { IncomingMessage } from 'node:http';
import { finished, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FsError } from 'fs-picker/protocol';
import type { NodeExchange } from '../outbound/node-http.ts';

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

/**
 * Sends `content` as the body of an upload (between `head` and `tail`, a multipart's framing), counted
 * against its declared size, and resolves with the source's answer. A source that refuses before the whole
 * body went (a 403, 409 or 412 after the first bytes) stops the sending, and its refusal is the answer.
 * The content is piped, not put in the pipeline, so a failure leaves it to the caller (who may need to
 * drain a request body to answer with an error rather than reset the connection).
 */
export async function sendCounted(
  { request, response: answer }: NodeExchange,
  content: { stream: Readable; size?: number | undefined },
  { head, tail, source }: { head?: Buffer; tail?: Buffer; source: string },
): Promise<IncomingMessage> {
  const counter = new CountBytes(content.size);
  // An error, or a close before the end (a source that just goes away), fails the upload.
  const cleanup = finished(content.stream, { writable: false }, (error) => {
    if (error) counter.destroy(error);
  });
  content.stream.pipe(counter);
  answer.then(
    (response) => {
      if ((response.statusCode ?? 0) >= 300) counter.destroy(new Error(`${source} answered ${response.statusCode ?? 0} while the file was being sent`));
    },
    () => {},
  );
  const detach = () => {
    content.stream.unpipe(counter);
    cleanup();
  };
  try {
    if (head) request.write(head);
    await pipeline(counter, request, { end: false });
    request.end(tail);
    detach();
  } catch (error) {
    detach();
    request.destroy();
    // Refused while sending: report the source's answer rather than the broken pipe.
    const early = await Promise.race([answer.catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(resolve, 200))]);
    if (early && (early.statusCode ?? 0) >= 300) return early;
    if (error instanceof FsError) throw error;
    throw new FsError('FS_ERR_UPSTREAM', 'The file stopped arriving before it was complete; nothing was saved.', { cause: error });
  }
  try {
    return await answer;
  } catch (error) {
    request.destroy();
    throw new FsError('FS_ERR_UPSTREAM', `${source} did not answer the upload.`, { cause: error });
  }
}
