import type net from 'node:net';
import { Readable, type Writable } from 'node:stream';
import { countPassedOn } from '../../spent-chunks.ts';
import { OutboundTimeout } from '../errors.ts';
import { watchIdle, type IdleWatch } from '../idle.ts';
import { bodyFramingOf, type BodyFraming } from './body-framing.ts';
import type { ConnectionPool, UpstreamConnection } from './connections.ts';
import { MAX_LENT } from './read-buffers.ts';
import { parseResponseHead, ProtocolError } from './response-head.ts';

export interface UpstreamRequest {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** Aborts the whole exchange, the body included. */
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: UpstreamBody;
}

/**
 * A GET or HEAD over HTTP/1.1 whose body can be passed on without a copy: a minimal client for the
 * one exchange a companion repeats for gigabytes, the download behind a distributable link.
 *
 * With Node's own client a companion passing a file on spends most of its CPU on a fresh buffer per
 * 64 KiB read, the HTTP parser's copy of each, and the stream machinery for both: bench/stream, a bare
 * node:http proxy used 2.2–2.8 s of CPU per GiB, the companion with this client 1.1–1.2 s.
 * Here the socket reads into a few pooled buffers per connection (read-buffers.ts), the body is
 * framed in place (Content-Length, chunked, or until close), and {@link UpstreamBody.relayTo} writes
 * those bytes to the response directly, reading again only once they have left.
 *
 * Connections are kept between exchanges to the same origin in `pool` (connections.ts); an exchange
 * on a kept connection that the server closes before answering is made again once on a new one (GET
 * and HEAD are safe to repeat). No redirects, no compression, no proxy, as with the node:http request
 * it replaces. Nothing arriving for the pool's idle timeout ends the exchange with an
 * {@link OutboundTimeout}, before the head (the promise rejects) or in the body (the stream errors).
 * Rejects with the connection's error, or a {@link ProtocolError} naming what was wrong with the
 * response, before a head arrives.
 */
export async function streamUpstream(pool: ConnectionPool, url: URL, request: UpstreamRequest = {}): Promise<UpstreamResponse> {
  const first = new UpstreamBody(pool, url, request);
  try {
    return await first.response;
  } catch (error) {
    // A source that said nothing for the idle timeout would not say more on a new connection.
    if (!first.repeatable || error instanceof OutboundTimeout) throw error;
    return new UpstreamBody(pool, url, request, { fresh: true }).response;
  }
}

/**
 * The body of an upstream response. As a Readable it works anywhere a stream does (each chunk a
 * copy out of the read buffer); {@link relayTo} is the fast way, for when the bytes only pass through.
 */
export class UpstreamBody extends Readable {
  readonly response: Promise<UpstreamResponse>;
  readonly #connection: UpstreamConnection;
  readonly #socket: net.Socket;
  readonly #method: string;
  readonly #signal: AbortSignal | undefined;
  #answer!: (response: UpstreamResponse) => void;
  #refuse!: (error: Error) => void;
  /** What has come of the head so far; undefined once the head is read. */
  #head: Buffer | undefined = Buffer.alloc(0);
  #framing: BodyFraming | undefined;
  #sink: Writable | undefined;
  #keepAlive = false;
  /** The exchange is over and its connection went back to the pool, perhaps to carry another. */
  #released = false;
  /** Reading stopped until the sink has sent on enough of what it was given ({@link MAX_LENT}). */
  #waitingForSink = false;
  /** Reading stopped until the stream's reader asks for more. */
  #waitingForReader = false;
  #finished = false;
  readonly #idle: IdleWatch;

  constructor(pool: ConnectionPool, url: URL, { method = 'GET', headers = {}, signal }: UpstreamRequest, { fresh = false }: { fresh?: boolean } = {}) {
    super();
    this.#method = method;
    this.#signal = signal;
    this.response = new Promise((resolve, reject) => {
      this.#answer = resolve;
      this.#refuse = reject;
    });
    // Nobody may be listening yet when it fails early; the caller learns through the promise.
    this.response.catch(() => undefined);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${url.protocol} is not http: or https:`);
    const head = requestHead(url, method, headers);
    if (signal?.aborted) throw signal.reason;
    this.#connection = pool.connectionFor(url, { fresh });
    this.#socket = this.#connection.socket;
    this.#connection.attach({ onRead: (bytes) => this.#onRead(bytes), onError: (error) => this.#fail(error), onClose: () => this.#onClose() });
    this.#socket.write(head);
    const { idleMs } = pool.settings.timeouts;
    this.#idle = watchIdle(idleMs, () => this.#fail(new OutboundTimeout('idle', idleMs)), { readerIsBehind: () => this.#waitingForSink || this.#waitingForReader });
    // A failure may come before anyone reads the body (or while only relayTo's sink listens); it is
    // kept as the stream's error, which pipeline and async iteration still report.
    this.on('error', () => undefined);
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Sent on a kept connection and refused before any byte of an answer: worth once more on a new one. */
  get repeatable(): boolean {
    return this.#connection.reused && this.#head?.length === 0 && !this.#signal?.aborted;
  }

  readonly #onAbort = (): void => {
    const reason: unknown = this.#signal?.reason;
    this.#fail(reason instanceof Error ? reason : new Error('aborted'));
  };

  /**
   * Writes the body to `sink` and ends it; resolves when the sink has finished. The sink is given
   * the read buffers themselves, no copies; each read lands in a buffer the sink no longer points
   * into (read-buffers.ts), and reading waits while the sink holds {@link MAX_LENT} of them (for a
   * socket: until the kernel has taken the bytes). When the body breaks off, the sink is destroyed
   * with the error, so a reader sees a truncated download, never a short one that looks whole; when
   * the sink closes early (the reader went away), the upstream connection is closed.
   */
  relayTo(sink: Writable): Promise<void> {
    this.#sink = sink;
    return new Promise((resolve, reject) => {
      if (this.destroyed) {
        const error = this.errored ?? new Error('the upstream body was closed before it was relayed');
        sink.destroy(error);
        return reject(error);
      }
      sink.once('finish', resolve);
      sink.once('error', reject);
      sink.once('close', () => {
        if (!sink.writableFinished) {
          this.destroy();
          reject(new Error('the reader went away'));
        }
      });
      // Anything read before the sink came: already copies, so they can wait in the sink.
      for (let chunk = this.read() as Buffer | null; chunk !== null; chunk = this.read() as Buffer | null) sink.write(chunk);
      if (this.#finished) return void sink.end();
      // From now on the sink is the reader.
      this.#waitingForReader = false;
      this.#idle.touch();
      this.#socket.resume();
    });
  }

  override _read(): void {
    if (this.#sink || this.#finished) return;
    this.#waitingForReader = false;
    this.#idle.touch();
    this.#socket.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A released connection may already carry the next exchange.
    if (!this.#released) this.#socket.destroy();
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#idle.stop();
    callback(error);
  }

  /** Returns false to stop reading (the socket pauses) until the bytes just read have been passed on. */
  #onRead(bytes: Buffer): boolean {
    this.#idle.touch();
    if (this.#head) return this.#readHead(bytes);
    return this.#deliver(bytes, false);
  }

  #readHead(bytes: Buffer): boolean {
    let head = Buffer.concat([this.#head!, bytes]);
    try {
      for (;;) {
        const parsed = parseResponseHead(head);
        if (!parsed) {
          this.#head = head;
          return true;
        }
        head = head.subarray(parsed.bodyStart);
        const { status, headers } = parsed.head;
        if (status === 101) throw new ProtocolError('the server switched protocols unasked');
        // 100 Continue, 103 Early Hints: interim, the real head follows.
        if (status < 200) continue;
        this.#head = undefined;
        this.#keepAlive = parsed.head.keepAlive;
        this.#framing = bodyFramingOf(this.#method, parsed.head);
        this.#answer({ status, headers, body: this });
        // The rest is a copy already (the concat), so it may wait in this stream.
        return this.#deliver(head, true);
      }
    } catch (error) {
      this.#fail(error as Error);
      return false;
    }
  }

  #deliver(bytes: Buffer, copied: boolean): boolean {
    const parts: Buffer[] = [];
    let taken: number;
    try {
      taken = this.#framing!.take(bytes, (part) => parts.push(part));
    } catch (error) {
      this.#fail(error as Error);
      return false;
    }
    let more = true;
    const sink = this.#sink;
    if (sink) {
      countPassedOn(bytes.length);
      const loan = this.#connection.buffers.loan(parts.length, () => this.#returned());
      for (const part of parts) sink.write(part, loan.returned);
      // FIFO: with nothing pending in the sink, what was just written has left it.
      if (sink.writableLength > 0) loan.hold();
      if (this.#connection.buffers.lent >= MAX_LENT) {
        this.#waitingForSink = true;
        more = false;
      }
    } else {
      for (const part of parts) more = this.push(copied ? part : Buffer.from(part)) && more;
      if (!more) this.#waitingForReader = true;
    }
    // Bytes past the end of the body are not an answer to anything: the connection is not kept.
    if (this.#framing!.done) this.#finish(this.#keepAlive && taken === bytes.length);
    // A released connection reads on while it waits (connections.ts).
    return this.#released || (more && !this.#finished);
  }

  #returned(): void {
    if (!this.#waitingForSink || this.#connection.buffers.lent >= MAX_LENT) return;
    this.#waitingForSink = false;
    this.#idle.touch();
    if (!this.#finished) this.#socket.resume();
  }

  /** The body is complete: end the reader's side; keep the connection for another exchange when it may be. */
  #finish(keepConnection: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#idle.stop();
    if (keepConnection && this.#connection.buffers.lent === 0) {
      this.#released = true;
      this.#connection.release();
    } else {
      this.#socket.destroy();
    }
    if (this.#sink) this.#sink.end();
    else this.push(null);
  }

  #onClose(): void {
    if (this.#finished || this.destroyed) return;
    if (this.#framing?.untilClose) return this.#finish(false);
    const where = this.#framing ? this.#framing.describe() : 'before answering';
    this.#fail(new ProtocolError(`the server closed the connection ${where}`));
  }

  #fail(error: Error): void {
    if (this.#finished || this.destroyed) return;
    this.#finished = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#idle.stop();
    this.#socket.destroy();
    this.#refuse(error);
    this.#sink?.destroy(error);
    this.destroy(error);
  }
}

/** The request line and headers; a name or value that could split the request is refused, not sent. */
function requestHead(url: URL, method: string, headers: Record<string, string>): string {
  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new TypeError(`the header name ${JSON.stringify(name)} is not a token`);
    if (/[\r\n\0]/.test(value)) throw new TypeError(`the ${name} header holds a line break or NUL`);
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}
