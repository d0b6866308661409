import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { AUTH, basic, CORE, startTestSandbox } from '../helpers/sandbox.ts';

describe('sandbox: fault switches', () => {
  let sandbox: RunningSandbox;
  const faults = (method: string, body?: unknown) =>
    fetch(`${sandbox.url}/__sandbox/faults`, { method, headers: { 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }).then((r) => r.json());
  const home = (headers: Record<string, string> = { Authorization: basic('admin') }) => fetch(`${sandbox.url}${CORE}/nodes/-my-`, { headers });

  before(async () => (sandbox = await startTestSandbox()));
  beforeEach(() => sandbox.state.faults.reset());
  after(() => sandbox.close());

  test('the next N requests fail with the given status, then all is well again', async () => {
    await faults('POST', { failNext: { count: 2, status: 503 } });

    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await home()).status);
    assert.deepEqual(statuses, [503, 503, 200]);
  });

  test('added latency slows every API call', async () => {
    sandbox.state.faults.set({ latencyMs: 150 });
    const started = performance.now();
    await (await home()).body?.cancel();
    assert.ok(performance.now() - started >= 150);
  });

  test('expiring all tokens signs every ticket out', async () => {
    const response = await fetch(`${sandbox.url}${AUTH}/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"userId":"admin","password":"admin"}' });
    const { entry } = (await response.json()) as { entry: { id: string } };
    const withTicket = { Authorization: `Basic ${Buffer.from(`ROLE_TICKET:${entry.id}`).toString('base64')}` };
    assert.equal((await home(withTicket)).status, 200);

    await faults('POST', { expireTokens: true });

    assert.equal((await home(withTicket)).status, 401);
  });

  test('a dropped download breaks off partway, and only the next one', async () => {
    const node = (await (await fetch(`${sandbox.url}${CORE}/nodes/-my-?relativePath=Pictures/panorama%206000x4000.jpg`, { headers: { Authorization: basic('admin') } })).json()) as { entry: { id: string; content: { sizeInBytes: number } } };
    const download = () => fetch(`${sandbox.url}${CORE}/nodes/${node.entry.id}/content`, { headers: { Authorization: basic('admin') } }).then((r) => r.arrayBuffer());
    await faults('POST', { dropDownloads: 1 });

    await assert.rejects(download());
    assert.equal((await download()).byteLength, node.entry.content.sizeInBytes);
  });

  test('DELETE resets every switch', async () => {
    await faults('POST', { latencyMs: 500, dropDownloads: 3 });
    assert.deepEqual(await faults('DELETE'), { latencyMs: 0, failNext: { count: 0, status: 500 }, dropDownloads: 0 });
  });
});
