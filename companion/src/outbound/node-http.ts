import http, { type Agent, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { OutboundTimeout } from './errors.ts';
import { watchIdle } from './idle.ts';
import { tlsFor, type OutboundSettings } from './settings.ts';

export interface NodeRequestInit {
  method: string;
  headers?: OutgoingHttpHeaders;
  signal?: AbortSignal;
  /** A keep-alive pool (agents.ts), or false for a connection of its own. */
  agent: Agent | false;
  /** Connect to this address rather than resolving the host: the one the SSRF check passed. Host and TLS keep the name. */
  address?: { address: string; family: number };
}

export interface NodeExchange {
  /** Write the body to it (or just `end()` it): the answer timeout starts once it has all gone. */
  request: ClientRequest;
  /** The answer's head; its body is the message itself. Rejects with the raw failure (errors.ts maps it) or the signal's reason. */
  response: Promise<IncomingMessage>;
}

/**
 * One exchange over node:http(s), with the companion's limits: a connection within `connectMs`, an
 * answer within `answerMs` of the request body's end, and a body cut (the message errors) after
 * `idleMs` without a byte while its reader keeps up. No redirects; the caller reads the status.
 */
export function nodeRequest(settings: OutboundSettings, url: URL, { method, headers = {}, signal, agent, address }: NodeRequestInit): NodeExchange {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure = url.protocol === 'https:';
  const { connectMs, answerMs, idleMs } = settings.timeouts;
  const request = (secure ? https : http).request({
    protocol: url.protocol,
    hostname: host,
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    method,
    headers,
    agent,
    ...(url.username || url.password ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
    ...(address ? { lookup: pinnedLookup(address) } : {}),
    // A pool's https agent has the TLS settings already; a connection of its own needs them here.
    ...(secure && agent === false ? tlsFor(settings, host) : {}),
    ...(signal ? { signal } : {}),
  });
  const timers: { connect?: NodeJS.Timeout; answer?: NodeJS.Timeout } = {};
  const limit = (what: 'connect' | 'answer', ms: number) => (timers[what] = setTimeout(() => request.destroy(new OutboundTimeout(what, ms)), ms).unref());
  const clear = (what: 'connect' | 'answer') => clearTimeout(timers[what]);
  request.once('socket', (socket) => {
    // A pooled socket is connected already.
    if (!socket.connecting) return;
    limit('connect', connectMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => clear('connect'));
  });
  request.once('finish', () => limit('answer', answerMs));
  request.once('close', () => {
    clear('connect');
    clear('answer');
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', (incoming: IncomingMessage) => {
      clear('answer');
      const socket = incoming.socket;
      const idle = watchIdle(idleMs, () => incoming.destroy(new OutboundTimeout('idle', idleMs)), {
        // Everything came, or what came waits for the reader: nothing is owed by the source.
        readerIsBehind: () => incoming.complete || incoming.isPaused() || incoming.readableLength > 0,
        bytesRead: () => socket.bytesRead,
      });
      incoming.once('close', () => idle.stop());
      resolve(incoming);
    });
    request.once('error', (error) => reject(signal?.aborted ? (signal.reason as Error) : error));
  });
  response.catch(() => undefined);
  return { request, response };
}

/** A lookup that answers with the address given, whatever is asked: the connection goes where the check said. */
function pinnedLookup(address: { address: string; family: number }): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  }) as unknown as LookupFunction;
}
