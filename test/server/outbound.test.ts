import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { FsError } from 'fs-picker/protocol';
import { Outbound } from '../../companion/src/outbound/index.ts';

const servers: Server[] = [];
const outbounds: Outbound[] = [];
after(async () => {
  await Promise.all(outbounds.map((outbound) => outbound.close()));
  for (const server of servers) (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const outboundOf = (...args: ConstructorParameters<typeof Outbound>) => {
  const outbound = new Outbound(...args);
  outbounds.push(outbound);
  return outbound;
};

/** A web server on 127.0.0.1 that counts its connections and says when each closes. */
async function webServer(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; sockets: Socket[]; closed: Promise<void>[] }> {
  const sockets: Socket[] = [];
  const closed: Promise<void>[] = [];
  const server = createHttpServer(handle);
  server.on('connection', (socket: Socket) => {
    sockets.push(socket);
    closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets, closed };
}

/** A TCP server that answers every request with `bytes`, byte for byte. */
async function rawServer(bytes: string): Promise<string> {
  const server = createServer((socket) => {
    socket.once('data', () => socket.write(bytes));
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const isUpstream = (pattern: RegExp) => (error: unknown) => error instanceof FsError && error.code === 'FS_ERR_UPSTREAM' && pattern.test(error.message);

describe('Outbound: API calls', () => {
  test('fetch and json reach a source over kept connections, with the method, headers and body given', async () => {
    const seen: string[] = [];
    const { url, sockets } = await webServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${request.headers['content-type'] ?? ''} ${body}`);
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: request.url }));
      });
    });
    const outbound = outboundOf();
    assert.deepEqual(await outbound.json(`${url}/a`), { ok: '/a' });
    const posted = await outbound.fetch(`${url}/b`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"x":1}' });
    assert.equal(posted.status, 200);
    assert.deepEqual(await posted.json(), { ok: '/b' });
    const form = await outbound.fetch(`${url}/c`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) });
    await form.text();
    assert.deepEqual(seen, ['GET /a  ', 'POST /b application/json {"x":1}', 'POST /c application/x-www-form-urlencoded;charset=UTF-8 grant_type=refresh_token']);
    assert.equal(sockets.length, 1, 'three calls, one connection');
  });

  test('a source that cannot be reached, answers with something other than HTTP, or too late is FS_ERR_UPSTREAM naming its origin', async () => {
    const outbound = outboundOf();
    const closedPort = await (async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise((resolve) => server.close(resolve));
      return port;
    })();
    await assert.rejects(outbound.fetch(`http://127.0.0.1:${closedPort}/x`), isUpstream(new RegExp(`^The source at http://127\\.0\\.0\\.1:${closedPort} could not be reached\\.$`)));
    const smuggling = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    await assert.rejects(outbound.fetch(smuggling), isUpstream(/answered with something other than HTTP/));
    const { url } = await webServer(() => undefined);
    await assert.rejects(outbound.fetch(url, { timeoutMs: 200 }), isUpstream(/did not answer within 0\.2 s/));
    // The caller's own signal ending the call is not the source's failure: its reason comes back.
    const mine = new AbortController();
    const pending = outbound.fetch(url, { signal: mine.signal });
    mine.abort(new Error('the page went away'));
    await assert.rejects(pending, /the page went away/);
  });

  test('webFetch keeps fetch’s contract for libraries that take a fetch: TypeError on failure, manual redirects, Authorization kept to its origin', async () => {
    const outbound = outboundOf();
    const other = await webServer((request, response) => response.end(`other saw ${request.headers.authorization ?? 'no authorization'}`));
    const { url } = await webServer((request, response) => {
      if (request.url === '/away') return void response.writeHead(302, { Location: `${other.url}/landed` }).end();
      response.end(`home saw ${request.headers.authorization ?? 'no authorization'}`);
    });
    const manual = await outbound.webFetch(`${url}/away`, { redirect: 'manual' });
    assert.equal(manual.status, 302);
    assert.equal(manual.headers.get('Location'), `${other.url}/landed`);
    await manual.body?.cancel();
    const followed = await outbound.webFetch(`${url}/away`, { headers: { Authorization: 'Bearer secret' } });
    assert.equal(await followed.text(), 'other saw no authorization');
    assert.equal(followed.url, `${other.url}/landed`);
    assert.equal(await (await outbound.webFetch(`${url}/home`, { headers: { Authorization: 'Bearer secret' } })).text(), 'home saw Bearer secret');
    await assert.rejects(outbound.webFetch(await rawServer('SSH-2.0-OpenSSH\r\n\r\n')), (error: unknown) => error instanceof TypeError && error.message === 'fetch failed');
  });

  test('a body that stops arriving is cut after the idle timeout, a slow reader is not', async () => {
    const outbound = outboundOf({ timeouts: { idleMs: 200 } });
    const { url } = await webServer((request, response) => {
      response.writeHead(200, { 'Content-Length': String(2 ** 20) });
      if (request.url === '/stall') return void response.write('only this');
      response.end(Buffer.alloc(2 ** 20, 7));
    });
    const stalled = await outbound.fetch(`${url}/stall`, { timeoutMs: 5000 });
    await assert.rejects(stalled.arrayBuffer(), (error: Error) => /nothing arrived for 200 ms/.test(`${error.message} ${(error.cause as Error | undefined)?.message ?? ''}`));
    const request = outbound.request(new URL(`${url}/whole`), { method: 'GET' });
    request.request.end();
    const message = await request.response;
    // The reader waits three idle periods before it reads: nothing is cut.
    await sleep(700);
    let bytes = 0;
    for await (const chunk of message as AsyncIterable<Buffer>) bytes += chunk.length;
    assert.equal(bytes, 2 ** 20);
  });

  test('request: the answer must start within answerMs of the request body’s end', async () => {
    const outbound = outboundOf({ timeouts: { answerMs: 200 } });
    const { url } = await webServer((request) => request.resume());
    const { request, response } = outbound.request(new URL(`${url}/upload`), { method: 'PUT', headers: { 'Content-Length': '3' } });
    // Sending takes longer than the answer limit: only the wait after it counts.
    request.write('a');
    await sleep(300);
    request.end('bc');
    await assert.rejects(response, isUpstream(/did not answer within 0\.2 s/));
  });
});

describe('Outbound: one instance’s connections close with it', () => {
  test('close() ends the pooled connections of API calls and downloads, and the calls under way; later calls fail', async () => {
    const { url, closed } = await webServer((request, response) => {
      if (request.url === '/hang') return;
      response.end('ok');
    });
    const outbound = new Outbound();
    const hanging = outbound.fetch(`${url}/hang`);
    hanging.catch(() => undefined);
    assert.equal(await (await outbound.fetch(`${url}/a`)).text(), 'ok');
    const download = await outbound.stream(new URL(`${url}/b`));
    for await (const chunk of download.body) assert.equal(String(chunk), 'ok');
    await sleep(50);
    assert.equal(closed.length, 3, 'one call under way, and a kept connection each for API calls and downloads');
    await outbound.close();
    await Promise.all(closed);
    await assert.rejects(hanging, isUpstream(/as the companion shut down/));
    await assert.rejects(outbound.fetch(`${url}/a`), isUpstream(/as the companion shut down/));
    await assert.rejects(outbound.stream(new URL(`${url}/b`)), isUpstream(/as the companion shut down/));
  });
});

describe('importing the companion', () => {
  test('changes no process-wide state: no V8 flag (gc stays hidden), no globals, no process listeners', async () => {
    const entry = fileURLToPath(new URL('../../companion/src/index.ts', import.meta.url));
    const script = `
      import vm from 'node:vm';
      const state = () => ({
        gcInNewContexts: vm.runInNewContext('typeof gc'),
        gc: typeof globalThis.gc,
        globals: Object.getOwnPropertyNames(globalThis).sort(),
        listeners: process.eventNames().map((name) => String(name) + ':' + process.listenerCount(name)).sort(),
      });
      const before = state();
      await import(${JSON.stringify(entry)});
      console.log(JSON.stringify({ before, after: state() }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    const { before, after: afterImport } = JSON.parse(stdout) as { before: { gcInNewContexts: string }; after: unknown };
    assert.equal(before.gcInNewContexts, 'undefined', 'the child starts without --expose-gc');
    assert.deepEqual(afterImport, before);
  });
});
