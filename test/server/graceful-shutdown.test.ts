import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, test } from 'node:test';
import type { CompanionConfigInput } from '../../companion/src/config.ts';
import { startCompanionProcess, writeCompanionConfig, type CompanionProcess } from '../helpers/companion-process.ts';
import { createTestDatabaseUrl, onPostgres } from '../helpers/test-database.ts';

/*
 * SIGTERM as an orchestrator sends it to one of several instances: the companion (its own process)
 * stops accepting at once, lets a 256 MiB download in flight finish with every byte, then exits 0; a
 * download stalled past `shutdown.deadlineMs` is cut and the process exits 0 all the same. Every line
 * it logs carries its instance id.
 */

const API_KEY = 'drain-app-key';
const ORIGIN = 'https://drain.example.com';
const ENCRYPTION_KEY = Buffer.alloc(32, 11).toString('base64');
const MiB = 1024 * 1024;
const SIZE = 256 * MiB;

let dir: string;
let database: string;
let handle: string;
let sha256: string;

function config(instanceId: string, deadlineMs: number): CompanionConfigInput {
  return {
    host: '127.0.0.1',
    port: 0,
    instanceId,
    database,
    encryptionKey: ENCRYPTION_KEY,
    alfresco: { repositoryUrl: 'http://127.0.0.1:9' },
    storage: { local: { root: join(dir, 'storage') } },
    shutdown: { deadlineMs },
    apps: [{ apiKey: API_KEY, name: 'Drain test', allowedOrigins: [ORIGIN] }],
  };
}

async function start(instanceId: string, deadlineMs: number): Promise<CompanionProcess> {
  const path = await writeCompanionConfig(join(dir), config(instanceId, deadlineMs));
  return startCompanionProcess(path);
}

/** 256 MiB made while it streams (never held whole): 1 MiB blocks, each numbered, hashed as they go. */
function content(): { stream: Readable; digest: () => string } {
  const hash = createHash('sha256');
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < MiB; i++) block[i] = (i * 31 + 7) & 0xff;
  function* blocks() {
    for (let n = 0; n < SIZE / MiB; n++) {
      const chunk = Buffer.from(block);
      chunk.writeUInt32BE(n, 0);
      hash.update(chunk);
      yield chunk;
    }
  }
  return { stream: Readable.from(blocks()), digest: () => hash.digest('hex') };
}

/** Stores the 256 MiB file through POST /api/store; its handle. */
async function store(url: string): Promise<{ handle: string; sha256: string }> {
  const { stream, digest } = content();
  const request = httpRequest(`${url}/api/store?${new URLSearchParams({ key: API_KEY, filename: 'big.bin', mimetype: 'application/octet-stream' })}`, {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'application/octet-stream', 'Content-Length': String(SIZE) },
  });
  const answer = once(request, 'response') as Promise<[IncomingMessage]>;
  await pipeline(stream, request);
  const [response] = await answer;
  let text = '';
  for await (const chunk of response) text += String(chunk);
  assert.equal(response.statusCode, 200, text);
  const { blob } = JSON.parse(text) as { blob: { handle: string; size: number } };
  assert.equal(blob.size, SIZE);
  return { handle: blob.handle, sha256: digest() };
}

/** Starts GET /api/file/<handle> on a connection of its own and waits for the headers; the body is not read yet. */
async function startDownload(url: string): Promise<IncomingMessage> {
  const request = httpRequest(`${url}/api/file/${handle}`, { agent: false });
  request.end();
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  assert.equal(response.statusCode, 200);
  response.pause();
  return response;
}

/** Whether a new connection to the companion is refused (it has stopped accepting). */
function connectionRefused(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = httpRequest(`${url}/healthz`, { agent: false });
    request.once('response', (response) => (response.resume(), resolve(false)));
    request.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    request.end();
  });
}

/** A keep-alive connection that has answered /healthz and stays open, idle; `closed` resolves when the companion closes it. */
async function idleKeepAlive(url: string): Promise<{ closed: Promise<void> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const request = httpRequest(`${url}/healthz`, { agent });
  const socket = new Promise<Socket>((resolve) => request.once('socket', resolve));
  request.end();
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  assert.equal(response.headers.connection, 'keep-alive');
  response.resume();
  await once(response, 'end');
  const closed = once(await socket, 'close').then(() => agent.destroy());
  return { closed };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-graceful-shutdown-'));
  database = onPostgres ? await createTestDatabaseUrl() : join(dir, 'companion.db');
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('SIGTERM during a 256 MiB download: no new connection, the download completes with every byte, then exit 0; every log line names the instance', { timeout: 300_000 }, async () => {
  const companion = await start('drain-test-1', 120_000);
  const exited = once(companion.process, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    ({ handle, sha256 } = await store(companion.url));
    const download = await startDownload(companion.url);
    // Read slowly: the first chunk, then SIGTERM while the rest waits in the companion's stream.
    const hash = createHash('sha256');
    let bytes = 0;
    await once(download, 'readable');
    const first = download.read() as Buffer | null;
    assert.ok(first !== null && first.length < SIZE);
    hash.update(first);
    bytes += first.length;

    // A keep-alive connection left idle (a load balancer's pool): closed at once, so it does not hold the drain.
    const idle = await idleKeepAlive(companion.url);

    companion.process.kill('SIGTERM');
    await companion.waitForLog((line) => line.msg === 'shutdown: not ready any more and not accepting connections; finishing requests in flight', 'that it is shutting down');
    await idle.closed;
    assert.equal(await connectionRefused(companion.url), true, 'a new connection during the drain is refused');

    for await (const chunk of download) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    assert.equal(bytes, SIZE, 'every byte arrived');
    assert.equal(hash.digest('hex'), sha256, 'the bytes are the stored ones');

    const [code, signal] = await exited;
    assert.deepEqual([code, signal], [0, null]);
    const messages = companion.logs.map((line) => line.msg);
    assert.ok(messages.includes('shutdown: every request in flight finished'), messages.join('\n'));
    assert.ok(messages.includes('shutdown: database closed; exiting'), messages.join('\n'));
    assert.deepEqual(companion.logs.filter((line) => line.instance !== 'drain-test-1'), [], 'every log line carries the instance id');
  } finally {
    await companion.kill();
  }
});

test('a download stalled past shutdown.deadlineMs (1 s) is cut, and the process still exits 0 long before the default 30 s', { timeout: 120_000 }, async () => {
  assert.ok(handle, 'the first test stored the file');
  const companion = await start('drain-test-2', 1000);
  const exited = once(companion.process, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    const download = await startDownload(companion.url);
    const ended = new Promise<number>((resolve) => {
      let bytes = 0;
      // Never read further until the cut: then what is left drains out, short of the whole file.
      download.once('aborted', () => resolve(bytes)).once('error', () => resolve(bytes)).once('end', () => resolve(bytes));
      download.on('data', (chunk: Buffer) => (bytes += chunk.length));
    });
    download.pause();

    const sent = Date.now();
    companion.process.kill('SIGTERM');
    const cut = await companion.waitForLog((line) => line.msg === 'shutdown: the deadline passed; cut the connections still open', 'that the deadline cut the download', 20_000);
    assert.equal(cut.cut, 1);
    assert.equal(cut.instance, 'drain-test-2');
    download.resume();
    assert.ok((await ended) < SIZE, 'the stalled download did not complete');

    const [code, signal] = await Promise.race([exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the companion did not exit within 20 s of SIGTERM')), 20_000))]);
    assert.deepEqual([code, signal], [0, null]);
    assert.ok(Date.now() - sent >= 1000, 'not before the deadline');
  } finally {
    await companion.kill();
  }
});
