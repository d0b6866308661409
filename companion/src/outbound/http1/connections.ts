import net from 'node:net';
import tls from 'node:tls';
import { OutboundClosed, OutboundTimeout } from '../errors.ts';
import { tlsFor, type OutboundSettings } from '../settings.ts';
import { ConnectionBuffers, ReadBufferPool } from './read-buffers.ts';

/** What a connection hands its bytes and events to while it carries an exchange. */
export interface Exchange {
  /** Bytes read; false stops reading until the exchange resumes the socket. */
  onRead(bytes: Buffer): boolean;
  onError(error: Error): void;
  /** The server ended or closed the connection. */
  onClose(): void;
}

const MAX_IDLE_PER_ORIGIN = 8;

/**
 * The connections of one outbound instance and their read buffers: those waiting for their next
 * exchange, by origin, and every open one, so that closing the instance closes them all.
 */
export class ConnectionPool {
  readonly buffers = new ReadBufferPool();
  readonly #idle = new Map<string, UpstreamConnection[]>();
  readonly #open = new Set<UpstreamConnection>();
  #closed = false;

  constructor(readonly settings: OutboundSettings) {}

  /** An idle connection to `url`'s origin if there is one (unless `fresh`), else a new one. */
  connectionFor(url: URL, { fresh = false }: { fresh?: boolean } = {}): UpstreamConnection {
    if (this.#closed) throw new OutboundClosed();
    const list = fresh ? undefined : this.#idle.get(url.origin);
    const connection = list?.pop();
    if (list?.length === 0) this.#idle.delete(url.origin);
    if (connection) return connection.taken();
    const opened = new UpstreamConnection(this, url);
    this.#open.add(opened);
    return opened;
  }

  /** Keeps `connection` for the next exchange to its origin; false when it cannot be kept. */
  keep(connection: UpstreamConnection): boolean {
    const list = this.#idle.get(connection.origin) ?? [];
    if (this.#closed || list.length >= MAX_IDLE_PER_ORIGIN) return false;
    list.push(connection);
    this.#idle.set(connection.origin, list);
    return true;
  }

  forget(connection: UpstreamConnection): void {
    this.#open.delete(connection);
    const list = this.#idle.get(connection.origin);
    const at = list?.indexOf(connection) ?? -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (list!.length === 0) this.#idle.delete(connection.origin);
  }

  /** Closes every connection, idle or carrying an exchange (which fails), and lets the buffers go. */
  close(): void {
    this.#closed = true;
    for (const connection of this.#open) connection.socket.destroy(new OutboundClosed());
    this.#idle.clear();
    this.buffers.close();
  }
}

/**
 * A connection to an upstream origin, kept between exchanges as node:http's agent keeps its own:
 * one download after another then costs no new TCP and TLS handshakes. Reads land in its pooled
 * buffers (read-buffers.ts) and go to the exchange it carries.
 */
export class UpstreamConnection {
  readonly socket: net.Socket;
  readonly buffers: ConnectionBuffers;
  readonly origin: string;
  /** It carried an exchange before: the server may have closed it just as it was taken again. */
  reused = false;
  #exchange: Exchange | undefined;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: ConnectionPool,
    url: URL,
  ) {
    this.origin = url.origin;
    this.buffers = new ConnectionBuffers(pool.buffers);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const onread = { buffer: this.buffers.next, callback: (length: number) => this.#onRead(this.buffers.reading.subarray(0, length)) };
    const { connectMs } = pool.settings.timeouts;
    this.socket =
      url.protocol === 'https:'
        ? // Node supports onread for TLS too (decrypted records land in the buffer); its types lack it.
          tls.connect({ host, port: Number(url.port) || 443, ...tlsFor(pool.settings, host), onread } as tls.ConnectionOptions)
        : net.connect({ host, port: Number(url.port) || 80, onread });
    const connectTimer = setTimeout(() => this.socket.destroy(new OutboundTimeout('connect', connectMs)), connectMs).unref();
    this.socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    this.socket.on('error', (error) => this.#exchange?.onError(error));
    this.socket.on('end', () => this.#exchange?.onClose());
    this.socket.on('close', () => {
      clearTimeout(connectTimer);
      this.#exchange?.onClose();
      this.#forget();
      this.buffers.close();
    });
  }

  /** Taken from the pool for another exchange. */
  taken(): this {
    clearTimeout(this.#idleTimer);
    this.socket.ref();
    return this;
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
    if (this.socket.destroyed || this.buffers.lent > 0 || !this.pool.keep(this)) {
      this.socket.destroy();
      return;
    }
    this.reused = true;
    this.#idleTimer = setTimeout(() => this.socket.destroy(), this.pool.settings.timeouts.pooledMs).unref();
    // Reading on while idle is how a server's closing of the connection is noticed; an idle
    // connection does not keep the process alive.
    this.socket.resume();
    this.socket.unref();
  }

  #onRead(bytes: Buffer): boolean {
    if (this.#exchange) return this.#exchange.onRead(bytes);
    // Bytes nobody asked for on an idle connection: it cannot carry another exchange.
    this.socket.destroy();
    return false;
  }

  #forget(): void {
    clearTimeout(this.#idleTimer);
    this.pool.forget(this);
  }
}
