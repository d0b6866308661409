import type { ClientRequest, OutgoingHttpHeaders } from 'node:http';
import { FsError } from 'fs-picker/protocol';
import { AgentPools } from './agents.ts';
import { OutboundClosed, upstreamError } from './errors.ts';
import { fetchOverNode, type FetchInit } from './fetch.ts';
import { ConnectionPool } from './http1/connections.ts';
import { streamUpstream, type UpstreamRequest, type UpstreamResponse } from './http1/upstream-stream.ts';
import { nodeRequest, type NodeExchange, type NodeRequestInit } from './node-http.ts';
import { fetchPublicUrl, type SafeFetchOptions, type SafeResponse } from './public-url.ts';
import { TargetGuard, type ResolvedAddress, type TargetOptions } from './targets.ts';
import { settingsOf, type OutboundOptions, type OutboundSettings, type OutboundTimeouts } from './settings.ts';

export interface UpstreamInit extends RequestInit {
  /** Gives up after this long (the outbound's `callMs`, 10 s, by default); the caller's own signal still applies. */
  timeoutMs?: number;
}

export interface OutboundRequestInit {
  method: string;
  headers?: OutgoingHttpHeaders;
  signal?: AbortSignal;
  /** A pool of its own (a webhook URL's), with at most this many connections; by default the origin's. */
  pool?: { key: string; maxSockets: number };
  /** Connect to this address (one `checkTarget` passed) rather than resolving the host again. */
  address?: ResolvedAddress;
}

/**
 * The one way out of a companion: every call it makes (Alfresco's API and content, the identity
 * service, URLs callers hand over, webhook receivers) leaves through an instance of this, with its
 * limits and TLS settings (settings.ts) and one mapping of failures to FS_ERR_UPSTREAM (errors.ts).
 * Its connection pools and read buffers are its own, and `close()` ends them all.
 *
 * - `fetch` / `json`: API calls, web-style (node:http underneath, pooled per origin).
 * - `webFetch`: the same with fetch's own contract, for libraries that take a fetch (openid-client).
 *   A method, as they all are: pass it on as `(url, init) => outbound.webFetch(url, init)`.
 * - `request`: a node:http exchange whose body the caller streams (uploads, webhook deliveries).
 * - `stream`: GET/HEAD with a body relayed without copies (http1/: the distributable link's downloads).
 * - `fetchPublic`: a GET of a caller-supplied URL under the SSRF checks (public-url.ts).
 * - `checkTarget`: the SSRF checks alone (targets.ts), for URLs the portal saves and webhook deliveries.
 */
export class Outbound {
  readonly settings: OutboundSettings;
  readonly #agents: AgentPools;
  readonly #connections: ConnectionPool;
  readonly #guard: TargetGuard;
  /** Exchanges under way over node:http, so that closing ends those on connections of their own too. */
  readonly #inFlight = new Set<ClientRequest>();
  #closed = false;

  constructor(options: OutboundOptions = {}) {
    this.settings = settingsOf(options);
    this.#agents = new AgentPools(this.settings);
    this.#connections = new ConnectionPool(this.settings);
    this.#guard = new TargetGuard(options.resolve, options.ownPorts);
  }

  /** A port the companion listens on: no checked URL (fetchPublic, checkTarget) may reach it on this machine. */
  addOwnPort(port: number): void {
    this.#guard.addOwnPort(port);
  }

  /**
   * The SSRF checks of targets.ts for `url`: resolves its host and answers its addresses, or throws
   * FS_ERR_URL_REFUSED naming `options.field` (FS_ERR_UPSTREAM when the host does not resolve). Pass
   * one of the addresses to `request` so that the connection goes where the check said.
   */
  checkTarget(url: URL, options: TargetOptions = {}): Promise<ResolvedAddress[]> {
    return this.#guard.addressesFor(url, options);
  }

  get timeouts(): OutboundTimeouts {
    return this.settings.timeouts;
  }

  /**
   * An API call. A source that cannot be reached, answers with something other than HTTP or not within
   * `timeoutMs` becomes FS_ERR_UPSTREAM naming its origin, with the detail kept as `cause` (for logs).
   * Statuses are the caller's to interpret; the limit covers the body too.
   */
  async fetch(url: string | URL, { timeoutMs = this.timeouts.callMs, signal, ...init }: UpstreamInit = {}): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await this.webFetch(url, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw upstreamError(new URL(url).origin, (error as { cause?: unknown }).cause ?? error, { timeoutMs });
    }
  }

  /** GET a JSON document; any status but 2xx is FS_ERR_UPSTREAM. */
  async json<T>(url: string | URL, init: UpstreamInit & { headers?: Record<string, string> } = {}): Promise<T> {
    const response = await this.fetch(url, { ...init, headers: { Accept: 'application/json', ...init.headers } });
    if (!response.ok) throw new FsError('FS_ERR_UPSTREAM', `The source answered ${response.status}.`, { cause: await response.text().catch(() => '') });
    return (await response.json()) as T;
  }

  /** `fetch` as the platform defines it (failures are TypeError 'fetch failed'), over this instance's pools and limits. */
  webFetch(input: string | URL, init?: FetchInit): Promise<Response> {
    return fetchOverNode((url, options) => this.#send(url, options), (url) => this.#agents.agentFor(url), input, init);
  }

  /**
   * An exchange whose request body the caller writes (then ends) on `request`. `response` is the
   * answer's head, within `answerMs` of the body's end; it rejects with FS_ERR_UPSTREAM naming the
   * origin, or the signal's reason when the caller's signal ended it.
   */
  request(url: URL, { method, headers, signal, pool, address }: OutboundRequestInit): NodeExchange {
    if (this.#closed) throw upstreamError(url.origin, new OutboundClosed());
    const agent = this.#agents.agentFor(url, pool ?? {});
    // A pinned address applies to the pool's new connections (a pooled one went to an address checked when it was made).
    const { request, response } = this.#send(url, { method, ...(headers ? { headers } : {}), ...(signal ? { signal } : {}), ...(address ? { address } : {}), agent });
    const mapped = response.catch((error: unknown) => {
      throw signal?.aborted ? error : upstreamError(url.origin, error);
    });
    mapped.catch(() => undefined);
    return { request, response: mapped };
  }

  /**
   * GET or HEAD whose body can be relayed without a copy (`body.relayTo`), on connections kept per
   * origin. Failures before the head are FS_ERR_UPSTREAM naming the origin; the signal aborts the whole
   * exchange, body included; a body that stops arriving for `idleMs` errors (a relay's sink is destroyed).
   */
  async stream(url: URL, request: UpstreamRequest = {}): Promise<UpstreamResponse> {
    try {
      return await streamUpstream(this.#connections, url, request);
    } catch (error) {
      if (request.signal?.aborted) throw error;
      throw upstreamError(url.origin, error);
    }
  }

  /** A GET of a URL a caller handed over, under the SSRF checks of public-url.ts. */
  fetchPublic(url: string, options: SafeFetchOptions = {}): Promise<SafeResponse> {
    return fetchPublicUrl((target, init) => this.#send(target, { ...init, agent: false }), this.#guard, this.timeouts.publicUrlMs, url, options);
  }

  /** Ends every connection, pooled or carrying an exchange (those fail), and lets the read buffers go. Later calls fail. */
  close(): Promise<void> {
    this.#closed = true;
    for (const request of this.#inFlight) request.destroy(new OutboundClosed());
    this.#agents.destroy();
    this.#connections.close();
    return Promise.resolve();
  }

  #send(url: URL, init: NodeRequestInit): NodeExchange {
    if (this.#closed) throw new OutboundClosed();
    const exchange = nodeRequest(this.settings, url, init);
    this.#inFlight.add(exchange.request);
    exchange.request.once('close', () => this.#inFlight.delete(exchange.request));
    return exchange;
  }
}
