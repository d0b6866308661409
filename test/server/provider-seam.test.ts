/**
 * The provider seam is real: a source written only against the Provider interface (test/fixtures/
 * memory-provider.ts), registered with buildApp, is signed in to, listed, searched, picked, downloaded
 * with Range, exported into and written through, by the real companion over HTTP.
 */
import assert from 'node:assert/strict';
import { serve, type ServerType } from '@hono/node-server';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../../companion/src/app.ts';
import { parseConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { freePort } from '../../src/dev/stack.ts';
import type { FsBlob } from '../../src/protocol/index.ts';
import { memoryProvider } from '../fixtures/memory-provider.ts';
import { popupData } from '../helpers/companion-auth.ts';
import { TEST_APP, TEST_ORIGIN } from '../helpers/companion.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { parseForm } from '../helpers/oidc-browser.ts';

describe('a provider registered with buildApp', () => {
  const memory = memoryProvider();
  let server: ServerType;
  let db: Db;
  let base: string;
  let session: string;

  /** A call as the test app's page makes it: key, Origin and the session. */
  const call = (path: string, init: RequestInit = {}) => {
    const url = new URL(path, base);
    url.searchParams.set('key', TEST_APP.apiKey);
    return fetch(url, { ...init, headers: { Origin: TEST_ORIGIN, Authorization: `Bearer ${session}`, ...(init.headers as Record<string, string>) } });
  };
  const json = async <T>(response: Response): Promise<T> => {
    assert.ok(response.ok, `${response.status}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  };

  before(async () => {
    const port = await freePort('127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    db = await openTestDatabase();
    const config = parseConfig({
      publicUrl: base,
      encryptionKey: Buffer.alloc(32, 3).toString('base64'),
      // Never called: the app offers only the memory source and the device.
      alfresco: { repositoryUrl: 'http://127.0.0.1:9' },
      apps: [{ ...TEST_APP, services: ['MEMORY', 'COMPUTER'] }],
    });
    const app = await buildApp(config, { db, logger: pino({ level: 'silent' }), providers: [memory] });
    server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await db.destroy();
  });

  test('offers it in the services, and signs in with its password form', async () => {
    const { services } = await json<{ services: Array<{ id: string; name: string; available: boolean; detail?: string }> }>(await call('/api/services'));
    assert.deepEqual(services[0], { id: 'MEMORY', name: 'Memory', kind: 'repository', available: true, detail: 'an in-memory tree' });

    const started = await fetch(`${base}/auth/memory/start?${new URLSearchParams({ key: TEST_APP.apiKey, origin: TEST_ORIGIN, nonce: 'nonce-0123456789' })}`, { redirect: 'manual' });
    assert.equal(started.status, 302);
    const formUrl = new URL(started.headers.get('Location')!);
    const formPage = await fetch(formUrl);
    const html = await formPage.text();
    assert.match(html, /Sign in to Memory/);
    const form = parseForm(html, formUrl);
    const cookie = formPage.headers.get('Set-Cookie')!.split(';')[0]!;
    const posted = await fetch(form.action, { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams({ ...form.hidden, username: 'ada', password: 'lovelace' }) });
    const { message } = popupData(await posted.text());
    assert.equal(message?.type, 'fs-picker:connected');
    assert.deepEqual(message?.user, { id: 'ada', name: 'Ada Lovelace' });
    assert.ok(message?.session, 'the connected page carries no session');
    session = message.session;
    assert.deepEqual(await json(await call('/api/session')), { user: { id: 'ada', name: 'Ada Lovelace' }, source: 'MEMORY' });
  });

  test('lists its locations and a folder page by page, with the accept filter keeping pages full', async () => {
    const { locations } = await json<{ locations: unknown[] }>(await call('/api/memory/locations'));
    assert.deepEqual(locations, [{ kind: 'root', id: 'root', name: 'Everything' }]);
    // Two entries a call upstream: the filter reads on until the page holds what it asked for.
    const first = await json<{ folder: { name: string }; items: Array<{ name: string }>; nextCursor?: string }>(await call('/api/memory/folders/root?pageSize=2&accept=.txt'));
    assert.equal(first.folder.name, 'Everything');
    assert.deepEqual(first.items.map(({ name }) => name), ['Letters', 'notes.txt']);
    assert.equal(first.nextCursor, undefined);
  });

  test('searches it', async () => {
    const { items } = await json<{ items: Array<{ id: string }> }>(await call('/api/memory/search?q=note'));
    assert.deepEqual(items.map(({ id }) => id).sort(), ['note-a', 'note-c']);
  });

  test('picks from it, and the link streams with Range', async () => {
    const { blobs } = await json<{ blobs: FsBlob[] }>(await call('/api/pick', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: ['letters', 'note-a'] }) }));
    assert.deepEqual(blobs.map(({ filename, client, source }) => [filename, client, source]), [
      ['note to babbage.txt', 'Memory', 'MEMORY'],
      ['notes.txt', 'Memory', 'MEMORY'],
    ]);
    const whole = await fetch(blobs[1]!.url);
    assert.equal(await whole.text(), 'The Analytical Engine weaves algebraic patterns.');
    const part = await fetch(blobs[1]!.url, { headers: { Range: 'bytes=4-13' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('Content-Range'), 'bytes 4-13/48');
    assert.equal(await part.text(), 'Analytical');
  });

  test('exports into it and writes a new version through the link', async () => {
    const exported = await json<{ blob: FsBlob }>(await call('/api/export?folderId=letters&filename=reply.txt', { method: 'POST', body: 'Dear Ada,' }));
    assert.equal(exported.blob.client, 'Memory');
    const created = Object.values(memory.tree).find((node) => node.name === 'reply.txt');
    assert.equal(created?.parent, 'letters');
    assert.equal(created?.content?.toString(), 'Dear Ada,');

    const written = await json<{ blob: FsBlob }>(await call(`/api/write/${exported.blob.handle}`, { method: 'POST', body: 'Dear Ada, thank you.' }));
    assert.equal(written.blob.size, 20);
    assert.equal(await (await fetch(exported.blob.url)).text(), 'Dear Ada, thank you.');
  });

  test('its refusals reach the page as the error registry’s codes, named after it', async () => {
    const missing = await call('/api/memory/folders/nowhere');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { code: 'FS_ERR_NOT_FOUND', message: 'This item is no longer in Memory.' } });
  });
});
