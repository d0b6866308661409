import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { listen, type Listening } from '../../companion/src/listen.ts';
import { startCompanion, TEST_APP, type CompanionHarness } from '../helpers/companion.ts';

// Small, so a body of twice the limit is quick to send slowly.
const LIMIT = 4096;
const ADMIN_TOKEN = 'body-limit-admin-token-0123456789abcdef';
const CHUNK = 256;

interface Sent {
  /** The answer's status and JSON body. */
  status: number;
  body: { error?: { code: string; message: string } };
  /** Body bytes written when the answer arrived, and how many the whole body had. */
  sentBeforeAnswer: number;
  total: number;
  /** The server closed the connection (rather than reading on for the next request), and said so. */
  closed: boolean;
  connectionHeader: string | undefined;
}

/**
 * Sends a JSON body of 2× the limit slowly over a real socket (chunked, CHUNK bytes every few ms), and
 * once past the limit waits for an answer before sending more: a server that read the whole body before
 * answering would answer only after the last chunk.
 */
async function sendSlowly(base: URL, method: string, path: string, headers: Record<string, string> = {}): Promise<Sent> {
  const total = 2 * LIMIT;
  const body = Buffer.from(`{"pad":"${'a'.repeat(total - 10)}"}`);
  assert.equal(body.length, total);
  const socket = connect(Number(base.port), base.hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const answer = readAnswer(socket);
  let answered = false;
  void answer.head.then(() => (answered = true), () => (answered = true));

  const head = [`${method} ${path} HTTP/1.1`, `Host: ${base.host}`, 'Content-Type: application/json', 'Transfer-Encoding: chunked', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  socket.write(`${head.join('\r\n')}\r\n\r\n`);
  let sent = 0;
  while (sent < total && !answered) {
    const chunk = body.subarray(sent, sent + CHUNK);
    socket.write(`${chunk.length.toString(16)}\r\n`);
    socket.write(chunk);
    socket.write('\r\n');
    sent += chunk.length;
    // Slowly; and past the limit, give the server time to answer before sending more.
    await Promise.race([answer.head, delay(sent > LIMIT ? 1000 : 5)]).catch(() => {});
  }
  const sentBeforeAnswer = answered ? sent : Infinity;
  if (!answered) socket.write('0\r\n\r\n');
  const { status, top, text, closed } = await answer.done;
  socket.destroy();
  const connectionHeader = /\r\nconnection: *([^\r]*)/i.exec(top)?.[1]?.toLowerCase();
  return { status, body: JSON.parse(text || '{}') as Sent['body'], sentBeforeAnswer, total, closed, connectionHeader };
}

/** The answer on a raw socket: `head` once the status line is in, `done` once the server closed or 3 s passed. */
function readAnswer(socket: Socket) {
  let data = '';
  let closed = false;
  const head = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) resolve();
    });
    socket.once('close', () => reject(new Error('closed without an answer')));
  });
  head.catch(() => {});
  const done = new Promise<{ status: number; top: string; text: string; closed: boolean }>((resolve) => {
    const finish = () => {
      const [top = '', text = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(top)?.[1] ?? 0), top, text, closed });
    };
    socket.once('end', () => (closed = true));
    socket.once('close', finish);
    socket.once('error', () => {});
    setTimeout(finish, 3000).unref();
  });
  return { head, done };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function assertRefused(sent: Sent): void {
  assert.equal(sent.status, 413);
  assert.equal(sent.body.error?.code, 'FS_ERR_TOO_LARGE');
  assert.match(sent.body.error.message, new RegExp(`${LIMIT} bytes`));
  assert.ok(sent.sentBeforeAnswer < sent.total, `answered after ${sent.sentBeforeAnswer} of ${sent.total} bytes`);
  // Connection: close, so the rest of the body is not drained for a next request on the connection.
  assert.equal(sent.connectionHeader, 'close');
  assert.ok(sent.closed, 'the server closed the connection instead of reading the rest');
}

describe('every JSON body is limited (limits.jsonBodyBytes): 2× the limit, sent slowly, is refused before it all arrives', () => {
  let h: CompanionHarness;
  let server: Listening;
  let base: URL;
  let session: string;
  let handle: string;
  let appId: string;
  const key = `key=${TEST_APP.apiKey}`;

  before(async () => {
    h = await startCompanion({ limits: { jsonBodyBytes: LIMIT }, portal: { adminToken: ADMIN_TOKEN } });
    server = await listen(h.app);
    base = new URL(server.url);
    session = await h.connect('admin');
    const stored = (await (await h.call('/api/store?filename=a.txt&mimetype=text/plain', { method: 'POST', body: 'some bytes' })).json()) as { blob: { handle: string } };
    handle = stored.blob.handle;
    const apps = (await (await h.app.request('/portal/api/apps', { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { apps: { id: string }[] };
    appId = apps.apps[0]!.id;
  });
  after(async () => {
    await server.close();
    await h.close();
  });

  test('store-url and store-handle', async () => {
    assertRefused(await sendSlowly(base, 'POST', `/api/store-url?${key}`));
    assertRefused(await sendSlowly(base, 'POST', `/api/store-handle?${key}`));
  });

  test('convert', async () => {
    assertRefused(await sendSlowly(base, 'POST', `/api/convert?${key}`));
  });

  test('write-url', async () => {
    assertRefused(await sendSlowly(base, 'POST', `/api/write-url/${handle}?${key}`));
  });

  test('export (the JSON form) and pick, with a session', async () => {
    assertRefused(await sendSlowly(base, 'POST', `/api/export?${key}`, { Authorization: `Bearer ${session}` }));
    assertRefused(await sendSlowly(base, 'POST', `/api/pick?${key}`, { Authorization: `Bearer ${session}` }));
  });

  test('the dialog event', async () => {
    assertRefused(await sendSlowly(base, 'POST', `/api/dialog?${key}`));
  });

  test("the portal's JSON routes: sign-in, app settings, webhooks", async () => {
    assertRefused(await sendSlowly(base, 'POST', '/portal/api/session', { Origin: base.origin }));
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    assertRefused(await sendSlowly(base, 'PATCH', `/portal/api/apps/${appId}`, admin));
    assertRefused(await sendSlowly(base, 'POST', `/portal/api/apps/${appId}/webhooks`, admin));
  });

  test('a declared Content-Length over the limit is refused before a byte of the body is read', async () => {
    const response = await h.call('/api/dialog', { method: 'POST', headers: { 'Content-Length': String(LIMIT + 1) }, body: 'x'.repeat(LIMIT + 1) });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as Sent['body']).error?.code, 'FS_ERR_TOO_LARGE');
    // Over the socket: the head alone, and the answer comes without any body being sent.
    const socket = connect(Number(base.port), base.hostname);
    const answer = readAnswer(socket);
    socket.write(`POST /api/dialog?${key} HTTP/1.1\r\nHost: ${base.host}\r\nContent-Type: application/json\r\nContent-Length: ${2 * LIMIT}\r\n\r\n`);
    const { status, text } = await answer.done;
    socket.destroy();
    assert.equal(status, 413);
    assert.equal((JSON.parse(text) as Sent['body']).error?.code, 'FS_ERR_TOO_LARGE');
  });

  test('a body just under the limit is read and checked as usual', async () => {
    const response = await h.call('/api/dialog', { method: 'POST', body: JSON.stringify({ accept: ['x'.repeat(100)], pad: 'a'.repeat(LIMIT - 200) }) });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { code: string; field: string } }).error.field, 'pad');
  });
});
