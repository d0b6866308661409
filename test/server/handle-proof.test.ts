import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { HANDLE_TOKEN_HEADER } from '../../src/protocol/handle-token.ts';
import type { PickResponse } from '../../src/protocol/pick.ts';
import type { SecurityPolicy, StoreResponse } from '../../src/protocol/store.ts';
import { encodePolicy, signPolicy } from '../../companion/src/security/policy.ts';
import { startCompanion, TEST_APP, type CompanionHarness } from '../helpers/companion.ts';
import { nodeAt } from '../helpers/sandbox.ts';

/*
 * Issue 19: a link and the public app key are not enough to change or remove a file. Write, writeUrl
 * and remove need the handle token of the page that made the handle, the session of the person who
 * picked it, or a signed policy whose "call" names the call.
 */

type ErrorAnswer = { error: { code: string; message: string; field?: string } };

let h: CompanionHarness;
let admin: string;
let mjackson: string;

before(async () => {
  h = await startCompanion();
  admin = await h.connect('admin');
  mjackson = await h.connect('mjackson');
});
after(() => h.close());

async function stored(content: string): Promise<{ blob: FsBlob; token: string; answer: StoreResponse }> {
  const response = await h.call('/api/store?filename=proof.txt&mimetype=text/plain', { method: 'POST', body: content });
  assert.equal(response.status, 200);
  const answer = (await response.json()) as StoreResponse;
  return { blob: answer.blob, token: answer.handleTokens![answer.blob.handle]!, answer };
}

async function picked(session: string, path = 'Café menu.txt'): Promise<{ blob: FsBlob; token: string; answer: PickResponse }> {
  const node = await nodeAt(h.sandbox, path);
  const response = await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [node.id] }) });
  assert.equal(response.status, 200);
  const answer = (await response.json()) as PickResponse;
  return { blob: answer.blobs[0]!, token: answer.handleTokens![answer.blobs[0]!.handle]!, answer };
}

const write = (handle: string, body: string, headers: Record<string, string> = {}, query = '') => h.call(`/api/write/${handle}?mimetype=text/plain${query}`, { method: 'POST', body, headers });
const writeUrl = (handle: string, headers: Record<string, string> = {}) =>
  h.call(`/api/write-url/${handle}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ url: 'https://example.com/new.txt' }) });
const remove = (handle: string, headers: Record<string, string> = {}, query = '') => h.call(`/api/file/${handle}${query}`, { method: 'DELETE', headers });
const content = async (handle: string) => {
  const response = await h.app.request(`/api/file/${handle}`);
  return { status: response.status, text: await response.text() };
};
const refusal = async (response: Response): Promise<ErrorAnswer['error']> => {
  const answer = (await response.json()) as ErrorAnswer;
  assert.equal(response.status, 403, JSON.stringify(answer));
  assert.equal(answer.error.code, 'FS_ERR_HANDLE_PROOF');
  assert.equal(answer.error.field, 'handle');
  return answer.error;
};
const signed = (policy: SecurityPolicy) => {
  const text = encodePolicy(policy);
  return `&policy=${encodeURIComponent(text)}&signature=${signPolicy(text, TEST_APP.appSecret)}`;
};
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('the handle token', () => {
  test('store answers it beside the Blob, never in the Blob or the link', async () => {
    const { blob, token, answer } = await stored('x');
    assert.deepEqual(Object.keys(answer.handleTokens!), [blob.handle]);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!JSON.stringify(blob).includes(token), 'the Blob does not carry the token');
    assert.ok(!blob.url.includes(token));
  });

  test('pick answers one token per picked file, in the JSON answer and in the NDJSON "done" line', async () => {
    const { blob, answer } = await picked(admin);
    assert.deepEqual(Object.keys(answer.handleTokens!), [blob.handle]);
    assert.ok(!JSON.stringify(answer.blobs).includes(answer.handleTokens![blob.handle]!));

    const node = await nodeAt(h.sandbox, 'Café menu.txt');
    const streamed = await h.call('/api/pick', { method: 'POST', session: admin, headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' }, body: JSON.stringify({ itemIds: [node.id] }) });
    const done = (await streamed.text()).trim().split('\n').map((line) => JSON.parse(line) as { type: string } & Partial<PickResponse>).at(-1)!;
    assert.equal(done.type, 'done');
    assert.deepEqual(Object.keys(done.handleTokens!), [done.blobs![0]!.handle]);
    assert.equal((await remove(done.blobs![0]!.handle, { [HANDLE_TOKEN_HEADER]: done.handleTokens![done.blobs![0]!.handle]! })).status, 204);
  });
});

describe('every call that makes a handle answers its token', () => {
  test('export (into Alfresco) and convert: the new handle’s token is beside the Blob and removes it', async () => {
    const exported = await h.call(`/api/export?${new URLSearchParams({ folderId: '-my-', filename: `proof-${Date.now()}.txt` })}`, { method: 'POST', session: admin, body: 'exported', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(exported.status, 200);
    const exportAnswer = (await exported.json()) as StoreResponse;

    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#08f' } }).png().toBuffer();
    const source = await h.call('/api/store?filename=dot.png&mimetype=image/png', { method: 'POST', body: png });
    const converted = await h.call('/api/convert', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handle: ((await source.json()) as StoreResponse).blob.handle, options: { width: 2 } }) });
    assert.equal(converted.status, 200);
    const convertAnswer = (await converted.json()) as StoreResponse;

    for (const { blob, handleTokens } of [exportAnswer, convertAnswer]) {
      assert.deepEqual(Object.keys(handleTokens!), [blob.handle]);
      assert.ok(!JSON.stringify(blob).includes(handleTokens![blob.handle]!));
      await refusal(await remove(blob.handle));
      assert.equal((await remove(blob.handle, { [HANDLE_TOKEN_HEADER]: handleTokens![blob.handle]! })).status, 204);
    }
  });
});

describe('a stored file: the link and the key are not enough', () => {
  test('write, writeUrl and remove with only the key are 403 FS_ERR_HANDLE_PROOF and change nothing', async () => {
    const { blob } = await stored('original');

    const written = await refusal(await write(blob.handle, 'defaced'));
    await refusal(await writeUrl(blob.handle));
    const removed = await refusal(await remove(blob.handle));

    assert.match(written.message, /Writing to this file needs more than its link and the app key/);
    assert.match(written.message, /X-FS-Handle-Token/);
    assert.match(removed.message, /Removing this file/);
    assert.match(removed.message, /"call" names "remove"/);
    assert.deepEqual(await content(blob.handle), { status: 200, text: 'original' });
  });

  test('a wrong token, another handle’s token, or a session is no proof for it', async () => {
    const { blob } = await stored('mine');
    const other = await stored('other');

    await refusal(await write(blob.handle, 'x', { [HANDLE_TOKEN_HEADER]: 'A'.repeat(43) }));
    await refusal(await remove(blob.handle, { [HANDLE_TOKEN_HEADER]: other.token }));
    await refusal(await remove(blob.handle, { Authorization: `Bearer ${admin}` }));
    assert.deepEqual(await content(blob.handle), { status: 200, text: 'mine' });
  });

  test('with the token of the page that stored it: write, then remove (v2 store → remove without signing in)', async () => {
    const { blob, token } = await stored('before');

    const written = await write(blob.handle, 'after', { [HANDLE_TOKEN_HEADER]: token });
    assert.equal(written.status, 200);
    assert.deepEqual(await content(blob.handle), { status: 200, text: 'after' });

    const removed = await remove(blob.handle, { [HANDLE_TOKEN_HEADER]: token });
    assert.equal(removed.status, 204);
    assert.equal((await content(blob.handle)).status, 404);
  });
});

describe('a picked link: the token or the picking person’s session', () => {
  test('only the key: 403, the Alfresco file is not touched; another person’s session: 403', async () => {
    const { blob } = await picked(admin);
    const before = await content(blob.handle);

    const error = await refusal(await write(blob.handle, 'defaced'));
    assert.match(error.message, /session of the person who picked it/);
    await refusal(await write(blob.handle, 'defaced', { Authorization: `Bearer ${mjackson}` }));
    await refusal(await remove(blob.handle, { Authorization: `Bearer ${mjackson}` }));
    assert.deepEqual(await content(blob.handle), before);
  });

  test('the picking person’s session removes it; so does the pick’s token', async () => {
    const bySession = await picked(admin);
    const byToken = await picked(admin);

    assert.equal((await remove(bySession.blob.handle, { Authorization: `Bearer ${admin}` })).status, 204);
    assert.equal((await remove(byToken.blob.handle, { [HANDLE_TOKEN_HEADER]: byToken.token })).status, 204);
    assert.equal((await content(bySession.blob.handle)).status, 404);
    assert.equal((await content(byToken.blob.handle)).status, 404);
  });
});

describe('a signed policy as the proof', () => {
  test('"call" naming the call proves it, for the handle it names or, without a handle rule, any of the app’s', async () => {
    const named = await stored('a');
    const any = await stored('b');
    assert.equal((await remove(named.blob.handle, {}, `?${signed({ expiry: inAnHour(), call: ['remove'], handle: named.blob.handle }).slice(1)}`)).status, 204);
    assert.equal((await remove(any.blob.handle, {}, `?${signed({ expiry: inAnHour(), call: ['remove'] }).slice(1)}`)).status, 204);
  });

  test('a policy without a "call" rule (every call) is no proof; one for another call or handle is refused', async () => {
    const { blob } = await stored('kept');
    await refusal(await write(blob.handle, 'x', {}, signed({ expiry: inAnHour() })));
    const otherCall = await write(blob.handle, 'x', {}, signed({ expiry: inAnHour(), call: ['store', 'read'] }));
    const otherHandle = await write(blob.handle, 'x', {}, signed({ expiry: inAnHour(), call: ['write'], handle: 'SOMETHING_ELSE' }));
    assert.deepEqual([otherCall.status, otherHandle.status], [403, 403]);
    assert.equal(((await otherCall.json()) as ErrorAnswer).error.code, 'FS_ERR_POLICY');
    assert.equal(((await otherHandle.json()) as ErrorAnswer).error.code, 'FS_ERR_POLICY');
    assert.deepEqual(await content(blob.handle), { status: 200, text: 'kept' });
  });
});
