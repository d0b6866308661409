import { ProtocolError, type ResponseHead } from './response-head.ts';

// A chunk-size line or trailer line longer than this is not a real server's.
const MAX_LINE_BYTES = 4096;
// 13 hex digits stay below 2^53, so the size is exact as a number.
const CHUNK_SIZE = /^[0-9a-fA-F]{1,13}$/;

/**
 * Where a response body ends (RFC 9112 §6.3), fed the bytes after the head as they arrive: `take`
 * hands each run of body bytes to `emit` as a subarray of what it was given (never a copy) and
 * returns how many bytes belonged to the body. `done` once the body is complete; a body framed by
 * the connection's end (`untilClose`) is complete only when the connection ends.
 */
export interface BodyFraming {
  readonly done: boolean;
  readonly untilClose: boolean;
  /** What was promised, for the error when the connection ends early. */
  describe(): string;
  take(bytes: Buffer, emit: (data: Buffer) => void): number;
}

export function bodyFramingOf(method: string, { status, headers }: ResponseHead): BodyFraming {
  // Both headers are how responses get smuggled past one reader and not another (§6.3 item 3): an
  // error, whatever the method or status, and never relayed.
  if (headers.has('Transfer-Encoding') && headers.has('Content-Length')) throw new ProtocolError('the response has both Transfer-Encoding and Content-Length');
  if (method === 'HEAD' || status === 204 || status === 304 || status < 200) return new FixedLength(0);
  const transferEncoding = headers.get('Transfer-Encoding');
  if (transferEncoding !== null) {
    // Chunked must be the last coding; anything else is read until the connection closes (§6.3 item 4).
    return /(?:^|,)\s*chunked\s*$/i.test(transferEncoding) ? new Chunked() : new UntilClose();
  }
  const contentLength = headers.get('Content-Length');
  if (contentLength === null) return new UntilClose();
  // Repeated Content-Length headers come joined by ", "; they must agree.
  const lengths = new Set(contentLength.split(',').map((value) => value.trim()));
  const [length] = lengths;
  if (lengths.size !== 1 || !/^\d{1,15}$/.test(length!)) throw new ProtocolError(`the Content-Length ${JSON.stringify(contentLength.slice(0, 80))} is not a length`);
  return new FixedLength(Number(length));
}

class FixedLength implements BodyFraming {
  readonly untilClose = false;
  #remaining: number;

  constructor(private readonly length: number) {
    this.#remaining = length;
  }

  get done(): boolean {
    return this.#remaining === 0;
  }

  describe(): string {
    return `after ${this.length - this.#remaining} of ${this.length} bytes`;
  }

  take(bytes: Buffer, emit: (data: Buffer) => void): number {
    const taken = Math.min(this.#remaining, bytes.length);
    if (taken > 0) emit(bytes.subarray(0, taken));
    this.#remaining -= taken;
    return taken;
  }
}

class UntilClose implements BodyFraming {
  readonly done = false;
  readonly untilClose = true;

  describe(): string {
    return 'before the end of the body';
  }

  take(bytes: Buffer, emit: (data: Buffer) => void): number {
    if (bytes.length > 0) emit(bytes);
    return bytes.length;
  }
}

/** Transfer-Encoding: chunked — size lines (extensions ignored), data, CRLF, …, a zero size, trailers (ignored), a blank line. */
class Chunked implements BodyFraming {
  readonly untilClose = false;
  #state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  #line = '';
  #remaining = 0;
  #received = 0;

  get done(): boolean {
    return this.#state === 'done';
  }

  describe(): string {
    return `after ${this.#received} bytes, in the middle of a chunked body`;
  }

  take(bytes: Buffer, emit: (data: Buffer) => void): number {
    let at = 0;
    while (at < bytes.length && this.#state !== 'done') {
      if (this.#state === 'data') {
        const taken = Math.min(this.#remaining, bytes.length - at);
        emit(bytes.subarray(at, at + taken));
        at += taken;
        this.#received += taken;
        this.#remaining -= taken;
        if (this.#remaining === 0) this.#state = 'data-end';
        continue;
      }
      const lineEnd = bytes.indexOf(10, at);
      this.#line += bytes.toString('latin1', at, lineEnd < 0 ? bytes.length : lineEnd + 1);
      at = lineEnd < 0 ? bytes.length : lineEnd + 1;
      if (this.#line.length > MAX_LINE_BYTES) throw new ProtocolError('a line of the chunked body is too long');
      if (lineEnd >= 0) this.#endLine(this.#line);
    }
    return at;
  }

  #endLine(line: string): void {
    this.#line = '';
    if (!line.endsWith('\r\n')) throw new ProtocolError('a line of the chunked body does not end with CRLF');
    const text = line.slice(0, -2);
    if (this.#state === 'data-end') {
      if (text !== '') throw new ProtocolError('a chunk is longer than its size says');
      this.#state = 'size';
    } else if (this.#state === 'size') {
      const size = text.split(';', 1)[0]!.trim();
      if (!CHUNK_SIZE.test(size)) throw new ProtocolError(`the chunk size ${JSON.stringify(size.slice(0, 20))} is not a hexadecimal number`);
      this.#remaining = parseInt(size, 16);
      this.#state = this.#remaining === 0 ? 'trailer' : 'data';
    } else if (text === '') {
      this.#state = 'done';
    }
  }
}
