/**
 * The two clients bench/stream.ts reads downloads with. Each resolves with the body's length once it
 * has all of it, and rejects on anything but a 200.
 */
import { get } from 'node:http';
import { connect } from 'node:net';

export type Reader = (url: string, headers: Record<string, string>) => Promise<number>;

/**
 * Node's own HTTP client, as a typical client reads: a fresh buffer per socket read, copied once more
 * by the HTTP parser. In this bench it costs more per byte than the sandbox serving the bytes.
 */
export const nodeHttpReader: Reader = (url, headers) =>
  new Promise((resolve, reject) => {
    // A connection per download: a kept-alive one left idle between rounds can be closed by the server
    // just as it is reused ("socket hang up"), and one connection's setup is nothing next to 10 MiB.
    get(url, { headers, agent: false }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return reject(new Error(`${url} answered ${response.statusCode}`));
      }
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve(bytes));
      response.on('error', reject);
    }).on('error', reject);
  });

// One buffer for every download at once: each read is counted and forgotten before the next lands.
const LEAN_BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * The least a client can do: a raw socket that reads into one reused buffer and counts bytes up to
 * the Content-Length, with no allocation per read and so no garbage. The reader then costs next to
 * nothing, and what a proxy hop costs shows in full. Needs a Content-Length (every server here sends one).
 */
export const leanReader: Reader = (target, headers) =>
  new Promise((resolve, reject) => {
    const url = new URL(target);
    let head: Buffer | undefined = Buffer.alloc(0);
    let remaining = 0;
    let body = 0;
    const fail = (message: string) => {
      socket.destroy();
      reject(new Error(`${target}: ${message}`));
    };
    const onRead = (length: number, buffer: Buffer): boolean => {
      let bytes = buffer.subarray(0, length);
      if (head) {
        head = Buffer.concat([head, bytes]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return true;
        const text = head.subarray(0, end).toString('latin1');
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
        if (status !== '200') return (fail(`answered ${status ?? `something that is not HTTP/1.x: ${JSON.stringify(text.slice(0, 40))}`}`), false);
        const declared = /\r\ncontent-length:[ \t]*(\d+)/i.exec(text)?.[1];
        if (declared === undefined) return (fail('answered without a Content-Length, which the lean reader needs'), false);
        remaining = Number(declared);
        bytes = head.subarray(end + 4);
        head = undefined;
      }
      body += Math.min(bytes.length, remaining);
      remaining -= bytes.length;
      if (remaining > 0) return true;
      socket.destroy();
      resolve(body);
      return false;
    };
    const socket = connect({ host: url.hostname, port: Number(url.port), onread: { buffer: LEAN_BUFFER, callback: onRead } });
    socket.on('error', reject);
    socket.on('close', () => (head !== undefined || remaining > 0) && reject(new Error(`${target}: the connection closed after ${body} bytes of the body`)));
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n${lines.join('')}\r\n`);
  });
