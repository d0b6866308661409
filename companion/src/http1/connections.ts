import net from 'node:net';
import tls from 'node:tls';
import { ConnectionBuffers } from './read-buffers.ts';

/** What a connection hands its bytes and events to while it carries an exchange. */
export interface Exchange {
  /** Bytes read; false stops reading until the exchange resumes the socket. */
  onRead(bytes: Buffer): boolean;
  onError(error: Error): void;
  /** The server ended or closed the connection. */
  onClose(): void;
}

/**
 * How long a connection waits idle for the next exchange to its origin. Shorter than servers keep
 * theirs (Node 5 s, Tomcat 20 s), so that the server rarely closes one just as it is reused.
 */
const IDLE_MS = 4_000;
const MAX_IDLE_PER_ORIGIN = 8;
const idle = new Map<string, UpstreamConnection[]>();

/**
 * A connection to an upstream origin, kept between exchanges as node:http's agent keeps its own:
 * one download after another then costs no new TCP and TLS handshakes. Reads land in its pooled
 * buffers (read-buffers.ts) and go to the exchange it carries.
 */
export class UpstreamConnection {
  readonly socket: net.Socket;
  readonly buffers = new ConnectionBuffers();
  /** It carried an exchange before: the server may have closed it just as it was taken again. */
  reused = false;
  #exchange: Exchange | undefined;
  #idleTimer: NodeJS.Timeout | undefined;

  /** An idle connection to `url`'s origin if there is one (unless `fresh`), else a new one. */
  static for(url: URL, { ca, fresh = false }: { ca?: string | Buffer; fresh?: boolean } = {}): UpstreamConnection {
    // Connections that trust a CA of the caller's are not shared with callers that do not.
    const key = ca === undefined ? url.origin : undefined;
    const list = key === undefined || fresh ? undefined : idle.get(key);
    const connection = list?.pop();
    if (!connection) return new UpstreamConnection(key, url, ca);
    if (list!.length === 0) idle.delete(key!);
    clearTimeout(connection.#idleTimer);
    return connection;
  }

  private constructor(
    private readonly key: string | undefined,
    url: URL,
    ca: string | Buffer | undefined,
  ) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const onread = { buffer: this.buffers.next, callback: (length: number) => this.#onRead(this.buffers.reading.subarray(0, length)) };
    this.socket =
      url.protocol === 'https:'
        ? // Node supports onread for TLS too (decrypted records land in the buffer); its types lack it.
          tls.connect({ host, port: Number(url.port) || 443, ...(net.isIP(host) ? {} : { servername: host }), ALPNProtocols: ['http/1.1'], onread, ...(ca ? { ca } : {}) } as tls.ConnectionOptions)
        : net.connect({ host, port: Number(url.port) || 80, onread });
    this.socket.on('error', (error) => this.#exchange?.onError(error));
    this.socket.on('end', () => this.#exchange?.onClose());
    this.socket.on('close', () => {
      this.#exchange?.onClose();
      this.#forget();
      this.buffers.close();
    });
  }

  attach(exchange: Exchange): void {
    this.#exchange = exchange;
  }

  /**
   * The exchange ended where its framing said, and nothing it wrote still points into the read
   * buffers: the connection waits for the next exchange to the same origin, or closes.
   */
  release(): void {
    this.#exchange = undefined;
    const list = this.key === undefined ? undefined : (idle.get(this.key) ?? []);
    if (!list || list.length >= MAX_IDLE_PER_ORIGIN || this.socket.destroyed || this.buffers.lent > 0) {
      this.socket.destroy();
      return;
    }
    this.reused = true;
    list.push(this);
    idle.set(this.key!, list);
    this.#idleTimer = setTimeout(() => this.socket.destroy(), IDLE_MS).unref();
    // Reading on while idle is how a server's closing of the connection is noticed.
    this.socket.resume();
  }

  #onRead(bytes: Buffer): boolean {
    if (this.#exchange) return this.#exchange.onRead(bytes);
    // Bytes nobody asked for on an idle connection: it cannot carry another exchange.
    this.socket.destroy();
    return false;
  }

  #forget(): void {
    clearTimeout(this.#idleTimer);
    const list = this.key === undefined ? undefined : idle.get(this.key);
    const at = list?.indexOf(this) ?? -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (list!.length === 0) idle.delete(this.key!);
  }
}
