import { lookup as dnsLookup } from 'node:dns/promises';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { FsError } from 'fs-picker/protocol';
import { isPublicAddress } from './addresses.ts';
import { upstreamError } from './errors.ts';
import type { NodeExchange, NodeRequestInit } from './node-http.ts';

/*
 * Fetching a URL that a web page named, without letting the page reach what only the companion can
 * reach (SSRF): http and https only; every host is resolved first and refused when any of its addresses
 * is loopback, private (RFC 1918, CGNAT, ULA), link-local (cloud metadata 169.254.169.254 and
 * fd00:ec2::254 among them), multicast, unspecified or otherwise reserved; redirects are followed by hand
 * (at most 5), each hop checked the same way; and the connection goes to the address that was checked
 * (a pinned lookup, on a connection of its own), so a DNS answer that changes between check and connect
 * (rebinding) cannot win.
 */

export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

/** Resolves a host name to every address it has. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;
/** Whether the companion may connect to `address` (which `hostname` resolved to). */
export type AddressCheck = (address: string, hostname: string) => boolean;

export interface SafeFetchOptions {
  /** Skip the address checks (the app's `allowPrivateUrls`). Scheme, redirect and time limits still apply. */
  allowPrivate?: boolean;
  /** Redirects followed at most; default 5. */
  maxRedirects?: number;
  /** Time limit for everything, the body included; the outbound's `publicUrlMs` (60 s) by default. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** DNS resolution; the system resolver by default (tests inject one). */
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

export const systemResolver: Resolver = async (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * GETs `url` under the rules above. Answers with the first non-redirect response, whatever its status
 * (the caller decides); refusals are FS_ERR_URL_REFUSED (403), unreachable sources FS_ERR_UPSTREAM.
 */
export async function fetchPublicUrl(send: SendPinned, defaultTimeoutMs: number, url: string, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const { allowPrivate = false, maxRedirects = 5, timeoutMs = defaultTimeoutMs, resolve = systemResolver, isAllowed = (address) => isPublicAddress(address) } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = parseHttpUrl(current, hop > 0);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolveHost(resolve, host);
    if (!allowPrivate && addresses.some(({ address }) => !isAllowed(address, host))) {
      throw new FsError(
        'FS_ERR_URL_REFUSED',
        `The companion does not fetch from private, loopback, link-local or reserved addresses${hop > 0 ? ` (${url} redirected to ${target.origin})` : ` (${target.origin})`}.`,
        { field: 'url' },
      );
    }
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

async function resolveHost(resolve: Resolver, host: string): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    throw new FsError('FS_ERR_UPSTREAM', `The host ${host} could not be resolved.`, { cause: error, field: 'url' });
  }
  if (addresses.length === 0) throw new FsError('FS_ERR_UPSTREAM', `The host ${host} has no address.`, { field: 'url' });
  return addresses;
}
