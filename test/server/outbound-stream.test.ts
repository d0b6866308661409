import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { ConnectionPool } from '../../companion/src/outbound/http1/connections.ts';
import { ProtocolError } from '../../companion/src/outbound/http1/response-head.ts';
import { streamUpstream as streamThrough, type UpstreamBody, type UpstreamRequest } from '../../companion/src/outbound/http1/upstream-stream.ts';
import { settingsOf, type OutboundOptions } from '../../companion/src/outbound/settings.ts';

const servers: Server[] = [];
const sockets = new Set<Socket>();
const pools: ConnectionPool[] = [];
/** A pool of the outbound's zero-copy client, as an Outbound instance has one. */
const poolOf = (options: OutboundOptions = {}) => {
  const pool = new ConnectionPool(settingsOf(options));
  pools.push(pool);
  return pool;
};
const pool = poolOf();
const streamUpstream = (url: URL, request?: UpstreamRequest) => streamThrough(pool, url, request);
after(async () => {
  for (const open of pools) open.close();
  // Some answers leave their connection open on purpose.
  for (const socket of sockets) socket.destroy();
  for (const server of servers) (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A TCP server that hands each request head (several on a kept connection) and its socket to `answer`, for byte-exact answers. */
async function rawServer(answer: (socket: Socket, request: string) => void | Promise<void>): Promise<{ url: URL; requests: string[]; closed: Promise<void>[] }> {
  const requests: string[] = [];
  const closed: Promise<void>[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      for (let end = received.indexOf('\r\n\r\n'); end >= 0; end = received.indexOf('\r\n\r\n')) {
        const head = received.slice(0, end + 4);
        received = received.slice(end + 4);
        requests.push(head);
        void answer(socket, head);
      }
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/files/a%20b?x=1`), requests, closed };
}

async function readAll(body: UpstreamBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A sink slower than the upstream that keeps each chunk it is given and copies it only later, as a
 * socket does with what the kernel has not taken yet: should reading go on before a write has left
 * it, the read buffer is overwritten under it and the copy differs.
 */
function lateCopyingSink(): { sink: Writable; received: () => Buffer } {
  const copies: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      setTimeout(() => {
        copies.push(Buffer.from(chunk));
        done();
      }, 1);
    },
  });
  return { sink, received: () => Buffer.concat(copies) };
}

const lengthAnswer = (body: Buffer) => (socket: Socket) => {
  socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`);
  socket.end(body);
};

describe('the outbound zero-copy client (outbound/http1): a minimal HTTP/1.1 client for passing big bodies on', () => {
  test('sends the method, path, query, Host and the given headers', async () => {
    const { url, requests } = await rawServer(lengthAnswer(Buffer.from('ok')));
    const response = await streamUpstream(url, { method: 'GET', headers: { Authorization: 'Bearer t', Range: 'bytes=0-1' } });
    assert.equal((await readAll(response.body)).toString(), 'ok');
    const [line, ...headers] = requests[0]!.trim().split('\r\n');
    assert.equal(line, 'GET /files/a%20b?x=1 HTTP/1.1');
    assert.deepEqual(headers.sort(), [`Host: ${url.host}`, 'Authorization: Bearer t', 'Range: bytes=0-1'].sort());
  });

  test('a Content-Length body of 8 MiB arrives whole, read as a stream and relayed to a slow sink', async () => {
    const body = randomBytes(8 * 2 ** 20);
    const { url } = await rawServer(lengthAnswer(body));
    const read = await streamUpstream(url);
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('Content-Length'), String(body.length));
    assert.ok((await readAll(read.body)).equals(body), 'read as a stream');
    const relayed = await streamUpstream(url);
    const { sink, received } = lateCopyingSink();
    await relayed.body.relayTo(sink);
    assert.equal(received().length, body.length);
    assert.ok(received().equals(body), 'relayed: the sink got the bytes as they were sent');
  });

  test('relayed into a real HTTP response, a fetch on the other side gets every byte', async () => {
    const body = randomBytes(32 * 2 ** 20 + 17);
    const { url } = await rawServer(lengthAnswer(body));
    const proxy = createHttpServer((_request, response) => {
      void streamUpstream(url).then((upstream) => {
        response.writeHead(upstream.status, { 'Content-Length': upstream.headers.get('Content-Length')! });
        return upstream.body.relayTo(response);
      });
    });
    servers.push(proxy);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const answer = await fetch(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`);
    assert.ok(Buffer.from(await answer.arrayBuffer()).equals(body));
  });

  test('a chunked body split at awkward places: extensions and trailers dropped, data whole', async () => {
    const pieces = ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n', '\r\n5;name=va', 'lue\r\nhello\r', '\n1', '0\r\n', '0123456789abcdef', '\r\n0\r\nX-Trailer: 1\r', '\n\r\n'];
    const { url } = await rawServer(async (socket) => {
      socket.setNoDelay(true);
      for (const piece of pieces) {
        socket.write(piece);
        await sleep(15);
      }
      // The connection stays open: the end of the chunked body alone must finish the stream.
    });
    const response = await streamUpstream(url);
    assert.equal((await readAll(response.body)).toString(), 'hello0123456789abcdef');
    const relayed = await streamUpstream(url);
    const { sink, received } = lateCopyingSink();
    await relayed.body.relayTo(sink);
    assert.equal(received().toString(), 'hello0123456789abcdef');
  });

  test('without Content-Length or chunked, the body ends with the connection', async () => {
    const { url } = await rawServer(async (socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r\nfirst ');
      await sleep(20);
      socket.end('second');
    });
    assert.equal((await readAll((await streamUpstream(url)).body)).toString(), 'first second');
  });

  test('HEAD, 204 and 304 have no body even with a Content-Length; a 103 before the answer is skipped', async () => {
    const { url } = await rawServer((socket, request) => {
      if (request.startsWith('HEAD')) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
      else if (request.includes('If-None-Match')) socket.write('HTTP/1.1 304 Not Modified\r\nContent-Length: 1000\r\nETag: "a"\r\n\r\n');
      else socket.write('HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n');
      // Left open: finishing must not wait for the server to close.
    });
    const head = await streamUpstream(url, { method: 'HEAD' });
    assert.equal(head.headers.get('Content-Length'), '1000');
    assert.equal((await readAll(head.body)).length, 0);
    const notModified = await streamUpstream(url, { headers: { 'If-None-Match': '"a"' } });
    assert.equal(notModified.status, 304);
    assert.equal((await readAll(notModified.body)).length, 0);
    const noContent = await streamUpstream(url);
    assert.equal(noContent.status, 204);
    assert.equal(noContent.headers.get('Link'), null);
    assert.equal((await readAll(noContent.body)).length, 0);
  });

  test('a body cut short is an error, never a short body that looks whole: the stream errors, a relay sink is destroyed', async () => {
    const { url } = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
      socket.end(Buffer.alloc(500, 1));
    });
    await assert.rejects(readAll((await streamUpstream(url)).body), /closed the connection after 500 of 1000 bytes/);
    const { sink } = lateCopyingSink();
    const relayed = (await streamUpstream(url)).body.relayTo(sink);
    await assert.rejects(relayed, /after 500 of 1000 bytes/);
    assert.ok(sink.destroyed);
    assert.match(String(sink.errored), /after 500 of 1000 bytes/);
  });

  test('answers that are not HTTP/1.1 are refused with what was wrong', async () => {
    const answers: Record<string, string | Buffer> = {
      'not a status line': 'SSH-2.0-OpenSSH_9.2\r\n\r\n',
      'folded header': 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\n\r\n',
      'lengths that disagree': 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
      'a head without end': Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\n'), Buffer.alloc(70 * 1024, 'X-Long: aaaaaaaa\r\n')]),
    };
    const expected: Record<string, RegExp> = {
      'not a status line': /the status line "SSH-2.0-OpenSSH_9.2" is not HTTP\/1.x/,
      'folded header': /the header line " {2}folded" is malformed/,
      'lengths that disagree': /the Content-Length "5, 6" is not a length/,
      'a head without end': /the response head is longer than 65536 bytes/,
    };
    for (const [name, bytes] of Object.entries(answers)) {
      const { url } = await rawServer((socket) => void socket.end(bytes));
      await assert.rejects(streamUpstream(url), (error: Error) => error instanceof ProtocolError && expected[name]!.test(error.message), name);
    }
    const { url } = await rawServer((socket) => void socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'));
    await assert.rejects(readAll((await streamUpstream(url)).body), /the chunk size "zz" is not a hexadecimal number/);
  });

  test('a header that would split the request is refused before anything is sent', async () => {
    const { url, requests } = await rawServer(lengthAnswer(Buffer.from('ok')));
    await assert.rejects(streamUpstream(url, { headers: { Range: 'bytes=0-1\r\nX-Injected: 1' } }), /the Range header holds a line break/);
    await assert.rejects(streamUpstream(url, { headers: { 'Bad Name': 'x' } }), /the header name "Bad Name" is not a token/);
    await sleep(50);
    assert.equal(requests.length, 0);
  });

  test('the signal aborts a server that never answers, and a body in the middle', async () => {
    const { url, closed } = await rawServer((socket, request) => {
      if (request.includes('X-Stall: head')) return;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n');
      socket.write(Buffer.alloc(1000));
    });
    const waiting = new AbortController();
    const pending = streamUpstream(url, { headers: { 'X-Stall': 'head' }, signal: waiting.signal });
    await sleep(50);
    waiting.abort(new Error('headers timeout'));
    await assert.rejects(pending, /headers timeout/);
    const reading = new AbortController();
    const response = await streamUpstream(url, { headers: { 'X-Stall': 'body' }, signal: reading.signal });
    const read = readAll(response.body);
    await sleep(50);
    reading.abort(new Error('the reader went away'));
    await assert.rejects(read, /the reader went away/);
    await Promise.all(closed);
  });

  test('a sink that closes early (the reader left) closes the upstream connection', async () => {
    const { url, closed } = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n');
      const more = (): void => void socket.write(Buffer.alloc(64 * 1024), (error) => error || setImmediate(more));
      more();
    });
    const response = await streamUpstream(url);
    const { sink } = lateCopyingSink();
    const relayed = response.body.relayTo(sink);
    await sleep(50);
    sink.destroy();
    await assert.rejects(relayed, /the reader went away/);
    await closed[0];
  });

  test('a connection carries one exchange after another, until an answer says Connection: close', async () => {
    const { url, requests, closed } = await rawServer((socket, request) => {
      const close = request.includes('X-Close: yes');
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 5\r\n${close ? 'Connection: close\r\n' : ''}\r\nhello`);
    });
    for (let exchange = 0; exchange < 3; exchange++) assert.equal((await readAll((await streamUpstream(url)).body)).toString(), 'hello');
    assert.equal(requests.length, 3);
    assert.equal(closed.length, 1, 'three exchanges, one connection');
    assert.equal((await readAll((await streamUpstream(url, { headers: { 'X-Close': 'yes' } })).body)).toString(), 'hello');
    await closed[0];
    assert.equal((await readAll((await streamUpstream(url)).body)).toString(), 'hello');
    assert.equal(closed.length, 2, 'a new connection after Connection: close');
  });

  test('a kept connection the server drops as it is reused: the exchange is made again on a new one', async () => {
    const answered = new WeakSet<Socket>();
    const { url, requests, closed } = await rawServer((socket) => {
      // The second request on a connection meets a server that has just given up on it.
      if (answered.has(socket)) return void socket.destroy();
      answered.add(socket);
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
    });
    assert.equal((await readAll((await streamUpstream(url)).body)).toString(), 'hello');
    const again = await streamUpstream(url);
    assert.equal((await readAll(again.body)).toString(), 'hello');
    assert.equal(requests.length, 3);
    assert.equal(closed.length, 2);
  });

  test('an answer with both Transfer-Encoding and Content-Length is refused before a byte of it is relayed (RFC 9112 §6.3)', async () => {
    const { url } = await rawServer((socket, request) => {
      const head = `HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`;
      socket.write(request.startsWith('HEAD') ? head : `${head}5\r\nhello\r\n0\r\n\r\n`);
    });
    for (const method of ['GET', 'HEAD'] as const) {
      await assert.rejects(streamUpstream(url, { method }), (error: Error) => error instanceof ProtocolError && /both Transfer-Encoding and Content-Length/.test(error.message), method);
    }
  });

  test('a body that stops arriving is cut after the idle timeout: the stream errors, a relay sink is destroyed', async () => {
    const stalling = poolOf({ timeouts: { idleMs: 200 } });
    const { url } = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
      socket.write(Buffer.alloc(500, 1));
      // …and nothing more, the connection left open.
    });
    const started = performance.now();
    await assert.rejects(readAll((await streamThrough(stalling, url)).body), /nothing arrived for 200 ms/);
    assert.ok(performance.now() - started < 2000, 'cut within a few idle periods');
    const { sink } = lateCopyingSink();
    await assert.rejects((await streamThrough(stalling, url)).body.relayTo(sink), /nothing arrived for 200 ms/);
    assert.ok(sink.destroyed);
    assert.match(String(sink.errored), /nothing arrived/);
    // No head at all within the idle timeout: the exchange fails as well.
    const { url: silent } = await rawServer(() => undefined);
    await assert.rejects(streamThrough(stalling, silent), /nothing arrived for 200 ms/);
  });

  test('a reader slower than the idle timeout is not a stalled source: its download arrives whole', async () => {
    const patient = poolOf({ timeouts: { idleMs: 200 } });
    const body = randomBytes(4 * 2 ** 20);
    const { url } = await rawServer(lengthAnswer(body));
    const read = await streamThrough(patient, url);
    // Nothing is read for three idle periods: the source waits for the reader, not the other way round.
    await sleep(700);
    assert.ok((await readAll(read.body)).equals(body));
    const relayed = await streamThrough(patient, url);
    const received: Buffer[] = [];
    const slowSink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(Buffer.from(chunk));
        // A reader taking longer than the idle timeout over each write now and then.
        setTimeout(done, received.length % 8 === 0 ? 300 : 0);
      },
    });
    await relayed.body.relayTo(slowSink);
    assert.ok(Buffer.concat(received).equals(body));
  });

  test('closing the pool closes its kept connections and fails the exchange under way', async () => {
    const closing = poolOf();
    const { url, closed } = await rawServer((socket, request) => {
      if (request.includes('X-Stall: body')) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
        socket.write(Buffer.alloc(10));
      } else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
    });
    const underWay = await streamThrough(closing, url, { headers: { 'X-Stall': 'body' } });
    const read = readAll(underWay.body);
    read.catch(() => undefined);
    // Another exchange meanwhile, on a connection of its own, which then waits in the pool.
    assert.equal((await readAll((await streamThrough(closing, url)).body)).toString(), 'hello');
    await sleep(50);
    assert.equal(closed.length, 2, 'one kept connection, one carrying the stalled body');
    closing.close();
    await assert.rejects(read, /the companion closed its outbound connections/);
    await Promise.all(closed);
    assert.throws(() => closing.connectionFor(url), /closed its outbound connections/);
  });

  test('https: the certificate is checked, and the body arrives whole through TLS', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'fs-picker-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
      const cert = readFileSync(join(folder, 'cert.pem'));
      const body = randomBytes(3 * 2 ** 20);
      const server = createHttpsServer({ key: readFileSync(join(folder, 'key.pem')), cert }, (_request, response) => response.end(body));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = new URL(`https://localhost:${(server.address() as AddressInfo).port}/`);
      await assert.rejects(streamUpstream(url), /self-signed certificate/);
      const { sink, received } = lateCopyingSink();
      // The CA is the outbound instance's setting, added to Node's own.
      await (await streamThrough(poolOf({ ca: cert }), url)).body.relayTo(sink);
      assert.ok(received().equals(body));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
