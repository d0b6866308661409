import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { FsError } from 'fs-picker/protocol';
import { upstreamError } from './errors.ts';
import type { NodeExchange, NodeRequestInit } from './node-http.ts';
import type { AddressCheck, ResolvedAddress, Resolver, TargetGuard } from './targets.ts';

export type { AddressCheck, ResolvedAddress, Resolver } from './targets.ts';

/*
 * Fetching a URL that a web page named, without letting the page reach what only the companion can
 * reach (SSRF): http and https only; every host is resolved first and checked (targets.ts): refused
 * when any of its addresses is loopback, private (RFC 1918, CGNAT, ULA) or reserved unless the app
 * allows private URLs, and always when it is link-local, a cloud metadata address or name, or the
 * companion's own port; redirects are followed by hand (at most 5), each hop checked the same way; and
 * the connection goes to the address that was checked (a pinned lookup, on a connection of its own), so
 * a DNS answer that changes between check and connect (rebinding) cannot win.
 */

export interface SafeFetchOptions {
  /**
   * Allow private addresses (the app's `allowPrivateUrls`): loopback, RFC 1918, CGNAT, ULA. Link-local,
   * cloud metadata and the companion's own ports stay refused; scheme, redirect and time limits apply.
   */
  allowPrivate?: boolean;
  /** Redirects followed at most; default 5. */
  maxRedirects?: number;
  /** Time limit for everything, the body included; the outbound's `publicUrlMs` (60 s) by default. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** DNS resolution; the outbound's resolver (the system's) by default (tests inject one). */
  resolve?: Resolver;
  /** The address check; {@link isPublicAddress} by default (tests inject one). */
  isAllowed?: AddressCheck;
}

export interface SafeResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** The body; it errors when the time limit passes mid-body. */
  body: IncomingMessage;
  /** Aborts when the time limit passes: tells a failed body read apart from a slow source. */
  signal: AbortSignal;
  timeoutMs: number;
}

/** One GET on a connection of its own to a checked address (the outbound instance's `nodeRequest`, tracked for closing). */
export type SendPinned = (url: URL, init: Omit<NodeRequestInit, 'agent'> & { address: ResolvedAddress }) => NodeExchange;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url` under the rules above. Answers with the first non-redirect response, whatever its status
 * (the caller decides); refusals are FS_ERR_URL_REFUSED (403), unreachable sources FS_ERR_UPSTREAM.
 */
export async function fetchPublicUrl(send: SendPinned, guard: TargetGuard, defaultTimeoutMs: number, url: string, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const { allowPrivate = false, maxRedirects = 5, timeoutMs = defaultTimeoutMs, resolve, isAllowed } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = parseHttpUrl(current, hop > 0);
    const addresses = await guard.addressesFor(target, {
      allowPrivate,
      ...(resolve ? { resolve } : {}),
      ...(isAllowed ? { isAllowed } : {}),
      ...(hop > 0 ? { redirectedFrom: url } : {}),
      signal,
    });
    let response: IncomingMessage;
    try {
      const exchange = send(target, {
        method: 'GET',
        headers: { 'User-Agent': 'fs-picker-companion', Accept: '*/*', 'Accept-Encoding': 'identity' },
        signal,
        address: addresses[0]!,
      });
      exchange.request.end();
      response = await exchange.response;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw upstreamError(target.origin, error, { timeoutMs });
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECTS.has(status) && location) {
      response.destroy();
      if (hop >= maxRedirects) throw new FsError('FS_ERR_UPSTREAM', `${url} redirects more than ${maxRedirects} times.`);
      current = new URL(location, target).href;
      continue;
    }
    return { url: target.href, status, headers: response.headers, body: response, signal: timeout, timeoutMs };
  }
}

function parseHttpUrl(value: string, redirected: boolean): URL {
  let target: URL;
  try {
    target = new URL(value);
  } catch {
    throw new FsError('FS_ERR_INVALID_REQUEST', `Not an absolute URL: ${value.slice(0, 200)}`, { field: 'url' });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FsError('FS_ERR_URL_REFUSED', `Only http and https URLs can be stored${redirected ? ` (a redirect went to ${target.protocol})` : ''}.`, { field: 'url' });
  }
  return target;
}
