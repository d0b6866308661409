import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { ConnectionPool } from '../../companion/src/outbound/http1/connections.ts';
import { streamUpstream, type UpstreamBody } from '../../companion/src/outbound/http1/upstream-stream.ts';
import { settingsOf } from '../../companion/src/outbound/settings.ts';

/*
 * The zero-copy client (companion/src/outbound/http1) against an upstream that answers with generated
 * answers: well-formed ones split at random places and paced at random, and malformed, contradictory,
 * oversized, slow and truncated ones. Many run at once over one pool, so kept connections pass from one
 * exchange to the next. Every exchange either delivers exactly its own body or fails; none hangs, and no
 * byte of one answer ever shows up in another.
 */

const IDLE_MS = 300;
/** Well past the idle timeout: an exchange still running then has hung. */
const HANG_MS = 5000;

/** How one answer is written. Bodies are derived from the exchange's id, so each is unlike all others. */
type Plan =
  | { kind: 'length'; size: number; cuts: number[]; pauseMs: number }
  | { kind: 'chunked'; size: number; cuts: number[]; extension: boolean; trailer: boolean }
  | { kind: 'until-close'; size: number }
  | { kind: 'extra-bytes'; size: number; extra: number }
  | { kind: 'truncated'; size: number; sent: number }
  | { kind: 'truncated-chunked'; size: number; sent: number }
  | { kind: 'te-and-cl'; size: number }
  | { kind: 'two-lengths'; size: number }
  | { kind: 'bad-chunk-size'; size: number }
  | { kind: 'huge-head' }
  | { kind: 'garbage'; bytes: Uint8Array }
  | { kind: 'http2-preface' }
  | { kind: 'stall-in-body'; size: number; sent: number }
  | { kind: 'stall-before-head' }
  | { kind: 'close-at-once' };

const size = fc.integer({ min: 0, max: 300_000 });
const cuts = fc.array(fc.integer({ min: 1, max: 300_000 }), { maxLength: 6 });
const plan: fc.Arbitrary<Plan> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('length' as const), size, cuts, pauseMs: fc.integer({ min: 0, max: 20 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('chunked' as const), size, cuts, extension: fc.boolean(), trailer: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('until-close' as const), size }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extra-bytes' as const), size, extra: fc.integer({ min: 1, max: 5000 }) }) },
  { weight: 2, arbitrary: size.filter((n) => n > 0).chain((n) => fc.record({ kind: fc.constant('truncated' as const), size: fc.constant(n), sent: fc.integer({ min: 0, max: n - 1 }) })) },
  { weight: 1, arbitrary: size.filter((n) => n > 0).chain((n) => fc.record({ kind: fc.constant('truncated-chunked' as const), size: fc.constant(n), sent: fc.integer({ min: 0, max: n - 1 }) })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('te-and-cl' as const), size }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('two-lengths' as const), size: size.filter((n) => n > 0) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bad-chunk-size' as const), size: size.filter((n) => n > 0) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'huge-head' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 3000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'http2-preface' as const }) },
  { weight: 1, arbitrary: size.filter((n) => n > 0).chain((n) => fc.record({ kind: fc.constant('stall-in-body' as const), size: fc.constant(n), sent: fc.integer({ min: 0, max: n - 1 }) })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stall-before-head' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'close-at-once' as const }) },
);

/** Whether a client may deliver the body of an answer written this way: the rest must fail. */
const deliverable = (kind: Plan['kind']) => kind === 'length' || kind === 'chunked' || kind === 'until-close' || kind === 'extra-bytes';

/** `size` bytes that belong to exchange `id` alone. */
function bodyOf(id: string, size: number): Buffer {
  return Buffer.alloc(size, createHash('sha256').update(id).digest());
}

/** Splits `body` at the given offsets (sorted, in range). */
function pieces(body: Buffer, at: number[]): Buffer[] {
  const offsets = [...new Set(at.map((cut) => cut % (body.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const offset of offsets) {
    parts.push(body.subarray(from, offset));
    from = offset;
  }
  parts.push(body.subarray(from));
  return parts.filter((part) => part.length > 0);
}

const head = (lines: string[]) => `HTTP/1.1 200 OK\r\n${lines.map((line) => `${line}\r\n`).join('')}\r\n`;

async function answer(socket: Socket, id: string, way: Plan): Promise<void> {
  const body = 'size' in way ? bodyOf(id, way.size) : Buffer.alloc(0);
  switch (way.kind) {
    case 'length':
      socket.write(head([`Content-Length: ${body.length}`]));
      for (const part of pieces(body, way.cuts)) {
        socket.write(part);
        if (way.pauseMs > 0) await sleep(way.pauseMs);
      }
      return;
    case 'chunked': {
      socket.write(head(['Transfer-Encoding: chunked']));
      for (const part of pieces(body, way.cuts)) socket.write(Buffer.concat([Buffer.from(`${part.length.toString(16)}${way.extension ? ';ext="x"' : ''}\r\n`), part, Buffer.from('\r\n')]));
      socket.write(`0\r\n${way.trailer ? 'X-Trailer: y\r\n' : ''}\r\n`);
      return;
    }
    case 'until-close':
      socket.write(head(['Connection: close']));
      return void socket.end(body);
    case 'extra-bytes':
      // Bytes past the end of the body answer nothing: they must not reach the next exchange.
      socket.write(head([`Content-Length: ${body.length}`]));
      return void socket.write(Buffer.concat([body, bodyOf(`${id}-extra`, way.extra)]));
    case 'truncated':
      socket.write(head([`Content-Length: ${body.length}`]));
      return void socket.end(body.subarray(0, way.sent));
    case 'truncated-chunked':
      socket.write(head(['Transfer-Encoding: chunked']));
      return void socket.end(Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body.subarray(0, way.sent)]));
    case 'te-and-cl':
      socket.write(head(['Transfer-Encoding: chunked', `Content-Length: ${body.length}`]));
      return void socket.end(Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]));
    case 'two-lengths':
      socket.write(head([`Content-Length: ${body.length}`, `Content-Length: ${body.length - 1}`]));
      return void socket.end(body);
    case 'bad-chunk-size':
      socket.write(head(['Transfer-Encoding: chunked']));
      return void socket.end(Buffer.concat([Buffer.from('zz\r\n'), body, Buffer.from('\r\n0\r\n\r\n')]));
    case 'huge-head':
      return void socket.end(head([`X-Filler: ${'a'.repeat(100_000)}`, 'Content-Length: 0']));
    case 'garbage':
      return void socket.end(Buffer.from(way.bytes));
    case 'http2-preface':
      return void socket.end('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    case 'stall-in-body':
      socket.write(head([`Content-Length: ${body.length}`]));
      return void socket.write(body.subarray(0, way.sent));
    case 'stall-before-head':
      return;
    case 'close-at-once':
      return void socket.destroy();
  }
}

let server: Server;
let origin: string;
const plans = new Map<string, Plan>();
const sockets = new Set<Socket>();
let pool: ConnectionPool;

before(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      for (let end = received.indexOf('\r\n\r\n'); end >= 0; end = received.indexOf('\r\n\r\n')) {
        const id = /^GET \/(\S+) /.exec(received)?.[1] ?? '';
        received = received.slice(end + 4);
        const way = plans.get(id);
        if (way) void answer(socket, id, way).catch(() => socket.destroy());
        else socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pool = new ConnectionPool(settingsOf({ timeouts: { idleMs: IDLE_MS, answerMs: IDLE_MS * 2, connectMs: 2000 } }));
});

after(async () => {
  pool.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function readAll(body: UpstreamBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let next = 0;

/** One exchange under `way`: what it delivered, or that it failed; throws if it outlives HANG_MS. */
async function exchange(way: Plan): Promise<{ id: string; delivered?: Buffer; failed?: unknown }> {
  const id = `x${next++}`;
  plans.set(id, way);
  const run = (async () => {
    try {
      const response = await streamUpstream(pool, new URL(`${origin}/${id}`));
      return { id, delivered: await readAll(response.body) };
    } catch (failed) {
      return { id, failed };
    }
  })();
  const hung = sleep(HANG_MS, 'hung' as const, { ref: false });
  const outcome = await Promise.race([run, hung]);
  plans.delete(id);
  if (outcome === 'hung') throw new Error(`${JSON.stringify({ ...way, bytes: undefined })}: the exchange hung`);
  return outcome;
}

describe('the zero-copy client under hostile upstreams', () => {
  test('generated answers, 8 at a time over one pool: each delivers exactly its own body or fails, none hangs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(plan, { minLength: 8, maxLength: 8 }), async (ways) => {
        const outcomes = await Promise.all(ways.map((way) => exchange(way)));
        outcomes.forEach(({ id, delivered, failed }, index) => {
          const way = ways[index]!;
          const what = `${way.kind} ${'size' in way ? way.size : ''}`;
          if (!deliverable(way.kind)) return assert.ok(failed !== undefined, `${what}: a malformed answer was delivered as a body`);
          assert.equal(failed, undefined, `${what}: ${String(failed)}`);
          const expected = bodyOf(id, (way as { size: number }).size);
          assert.ok(delivered!.equals(expected), `${what}: delivered ${delivered!.length} bytes that are not its own body (${expected.length})`);
        });
      }),
      { numRuns: 60, endOnFailure: true, includeErrorInReport: true },
    );
  });

  test('40 downloads at once with fast, slow and leaving readers: every one that stays gets every byte', async () => {
    const SIZE = 2 * 1024 * 1024;
    // 40 connections opened at once in this one process take longer than the short idle timeout above to be served.
    const busy = new ConnectionPool(settingsOf({ timeouts: { idleMs: 5000 } }));
    const readers = Array.from({ length: 40 }, (_, index) => (['fast', 'slow', 'leaves'] as const)[index % 3]!);
    const results = await Promise.all(
      readers.map(async (reader) => {
        const id = `p${next++}`;
        plans.set(id, { kind: 'length', size: SIZE, cuts: [65_537, 1_000_003], pauseMs: 0 });
        const { body } = await streamUpstream(busy, new URL(`${origin}/${id}`));
        const hash = createHash('sha256');
        let received = 0;
        const sink = new Writable({
          highWaterMark: 16 * 1024,
          write(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            received += chunk.length;
            if (reader === 'leaves' && received > SIZE / 3) return done(new Error('the reader left'));
            setTimeout(done, reader === 'slow' ? 2 : 0);
          },
        });
        sink.on('error', () => undefined);
        // A reader that leaves ends its relay with its error; the others' must end whole.
        const relayed = await body.relayTo(sink).then(
          () => true,
          () => false,
        );
        if (reader !== 'leaves') assert.ok(relayed, `a ${reader} reader's relay failed`);
        plans.delete(id);
        return { reader, received, digest: hash.digest('hex'), expected: createHash('sha256').update(bodyOf(id, SIZE)).digest('hex') };
      }),
    );
    for (const { reader, received, digest, expected } of results) {
      if (reader === 'leaves') continue;
      assert.equal(received, SIZE, `a ${reader} reader got ${received} bytes`);
      assert.equal(digest, expected, `a ${reader} reader's bytes differ`);
    }
    // After readers left mid-download, the pool still serves whole, correct bodies.
    const id = `p${next++}`;
    plans.set(id, { kind: 'length', size: 100_000, cuts: [], pauseMs: 0 });
    const { body } = await streamUpstream(busy, new URL(`${origin}/${id}`));
    assert.ok((await readAll(body)).equals(bodyOf(id, 100_000)));
    busy.close();
  });
});
