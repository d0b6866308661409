import { isIP } from 'node:net';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import type { Resolver } from './targets.ts';

/** How long the companion waits for what it calls: one set for every call that leaves it. */
export interface OutboundTimeouts {
  /** Setting up a connection (TCP, and TLS for https). */
  connectMs: number;
  /** An API call's whole exchange, its body included (`fetch`), unless the caller says otherwise. */
  callMs: number;
  /** From the last byte of a request body sent to the head of the answer (`request`: uploads, webhooks). */
  answerMs: number;
  /** Nothing arrived for this long while the companion waited for it: the exchange is cut, a download truncated. */
  idleMs: number;
  /**
   * A pooled connection waiting this long for its next exchange is closed. Shorter than servers keep
   * theirs (Node 5 s, Tomcat 20 s), so that the server rarely closes one just as it is reused.
   */
  pooledMs: number;
  /** A URL a caller handed over (storeUrl, writeUrl, export, a watermark): everything, its body included. */
  publicUrlMs: number;
}

export const DEFAULT_TIMEOUTS: OutboundTimeouts = {
  connectMs: 10_000,
  callMs: 10_000,
  // An upload's answer may wait for the repository to store and index what it received.
  answerMs: 120_000,
  idleMs: 30_000,
  pooledMs: 4_000,
  publicUrlMs: 60_000,
};

export interface OutboundOptions {
  timeouts?: Partial<OutboundTimeouts>;
  /** Certificates to trust besides Node's own, for https sources behind a private CA. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** DNS for the SSRF checks (targets.ts); the system resolver by default. Tests fake DNS here. */
  resolve?: Resolver;
  /** Ports the companion listens on: no checked URL reaches them on this machine (more with `addOwnPort`). */
  ownPorts?: number[];
}

export interface OutboundSettings {
  timeouts: OutboundTimeouts;
  /** What every TLS connection of the companion uses; {@link tlsFor} adds the server name. */
  tls: ConnectionOptions;
}

export function settingsOf({ timeouts = {}, ca }: OutboundOptions = {}): OutboundSettings {
  const extra = ca === undefined ? [] : Array.isArray(ca) ? ca : [ca];
  return {
    timeouts: { ...DEFAULT_TIMEOUTS, ...timeouts },
    tls: {
      minVersion: 'TLSv1.2',
      // HTTP/1.1 is what every client here speaks.
      ALPNProtocols: ['http/1.1'],
      // `ca` replaces Node's roots; extra certificates are added to them.
      ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
    },
  };
}

/** The TLS options for a connection to `host`: SNI for a name (not for an address), the certificate checked against that name. */
export function tlsFor(settings: OutboundSettings, host: string): ConnectionOptions {
  return { ...settings.tls, ...(isIP(host) ? {} : { servername: host }) };
}
