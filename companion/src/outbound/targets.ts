import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { FsError } from 'fs-picker/protocol';
import { isMetadataHost, isNeverReachable, isPublicAddress, isThisMachine } from './addresses.ts';

/*
 * The one SSRF check: may the companion connect to this URL's host, and to which address. Used for every
 * URL someone other than the operator chose: a caller's (storeUrl, writeUrl, export, a watermark, each
 * redirect of them: public-url.ts), and what the portal saves (webhook URLs, an app's repository, issuer
 * and S3 endpoint) when it is saved and, for webhooks, at every delivery.
 */

export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

/** Resolves a host name to every address it has. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;
/** Whether the companion may connect to `address` (which `hostname` resolved to) when private targets are not allowed. */
export type AddressCheck = (address: string, hostname: string) => boolean;

export const systemResolver: Resolver = async (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface TargetOptions {
  /**
   * Private targets are allowed (an app's `allowPrivateUrls`, the operator's `outbound.allowPrivateTargets`):
   * loopback, RFC 1918, CGNAT, ULA. Link-local, cloud metadata and the companion's own ports stay refused.
   */
  allowPrivate?: boolean;
  /** DNS; the outbound's resolver by default (tests inject one). */
  resolve?: Resolver;
  /** The check of private targets; {@link isPublicAddress} by default (tests inject one). */
  isAllowed?: AddressCheck;
  /** The field a refusal names; 'url' by default. */
  field?: string;
  /** What a refusal says the companion does not do: fetch (a caller's URL, the default) or connect (a setting's). */
  purpose?: 'fetch' | 'connect';
  /** Added to the refusal of a private address: who may allow it. */
  privateHint?: string;
  /** The URL that redirected here, named in a refusal. */
  redirectedFrom?: string;
  /** Ends a slow DNS answer. */
  signal?: AbortSignal;
}

/** The addresses of this machine's interfaces. */
const interfaceAddresses = (): string[] =>
  Object.values(networkInterfaces())
    .flat()
    .flatMap((entry) => (entry ? [entry.address] : []));

/**
 * What the checks know of the companion itself: the ports it listens on (refused on loopback and on
 * every address of this machine, whatever is allowed: a URL must not make the companion call itself)
 * and the resolver used unless a call brings its own.
 */
export class TargetGuard {
  readonly #ownPorts = new Set<number>();

  constructor(
    readonly resolve: Resolver = systemResolver,
    ownPorts: Iterable<number> = [],
    private readonly ownAddresses: () => string[] = interfaceAddresses,
  ) {
    for (const port of ownPorts) this.addOwnPort(port);
  }

  /** A port the companion listens on (main.ts, once it listens; buildApp with the configured one). */
  addOwnPort(port: number): void {
    if (Number.isInteger(port) && port > 0 && port <= 65535) this.#ownPorts.add(port);
  }

  get ownPorts(): readonly number[] {
    return [...this.#ownPorts];
  }

  /**
   * The addresses `target`'s host has, once every one of them passed; the connection must go to one of
   * these (pinned), so a DNS answer that changes afterwards cannot win. Refusals are FS_ERR_URL_REFUSED
   * (403) naming `field`; a host that does not resolve is FS_ERR_UPSTREAM.
   */
  async addressesFor(target: URL, options: TargetOptions = {}): Promise<ResolvedAddress[]> {
    const { allowPrivate = false, isAllowed = (address) => isPublicAddress(address), field = 'url', purpose = 'fetch', privateHint = '', redirectedFrom } = options;
    const where = redirectedFrom === undefined ? target.origin : `${redirectedFrom} redirected to ${target.origin}`;
    const refuse = (message: string) => new FsError('FS_ERR_URL_REFUSED', message, { field });
    const [does, never] = purpose === 'fetch' ? ['does not fetch from', 'never fetches from'] : ['does not connect to', 'never connects to'];
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isMetadataHost(host)) throw refuse(`The companion ${never} cloud metadata services (${where}).`);
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : isLocalhost(host) ? LOOPBACK : await resolveHost(options.resolve ?? this.resolve, host, field, options.signal);
    if (addresses.some(({ address }) => isNeverReachable(address))) {
      throw refuse(`The companion ${never} link-local, unspecified or cloud metadata addresses (${where}).`);
    }
    const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
    if (this.#ownPorts.has(port)) {
      const own = this.ownAddresses();
      if (addresses.some(({ address }) => isThisMachine(address, own))) throw refuse(`The companion ${does} itself (${where}: port ${port} of this machine is the companion's own).`);
    }
    if (!allowPrivate && addresses.some(({ address }) => !isAllowed(address, host))) {
      throw refuse(`The companion ${does} private, loopback, link-local or reserved addresses (${where}).${privateHint}`);
    }
    return addresses;
  }
}

/** localhost and *.localhost are loopback whatever DNS says (RFC 6761). */
const isLocalhost = (host: string) => /(^|\.)localhost\.?$/i.test(host);
const LOOPBACK: ResolvedAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

async function resolveHost(resolve: Resolver, host: string, field: string, signal: AbortSignal | undefined): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    signal?.throwIfAborted();
    addresses = signal ? await raceAbort(resolve(host), signal) : await resolve(host);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new FsError('FS_ERR_UPSTREAM', `The host ${host} could not be resolved.`, { cause: error, field });
  }
  if (addresses.length === 0) throw new FsError('FS_ERR_UPSTREAM', `The host ${host} has no address.`, { field });
  return addresses;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
