/**
 * WebDAV as a source, against real servers (test/helpers/webdav.ts): Apache httpd with mod_dav, and the
 * npm package webdav-server, which forgives and answers differently where Apache does not. The provider
 * is registered with buildApp as the companion registers its sources, and driven over HTTP as the picker
 * drives it: sign-in form, listing with paging and every order, breadcrumbs, search, pick and download,
 * export, write-back, and the refusals a person meets.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { pino } from 'pino';
import { buildApp, type CompanionApp } from '../../companion/src/app.ts';
import { AppRegistry } from '../../companion/src/apps/registry.ts';
import type { Grant } from '../../companion/src/auth/grants.ts';
import { parseConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { Outbound, type OutboundRequestInit } from '../../companion/src/outbound/index.ts';
import { ProviderRefusal, type Provider } from '../../companion/src/providers/provider.ts';
import { webdavProvider } from '../../companion/src/providers/webdav/provider.ts';
import { freePort } from '../../src/dev/stack.ts';
import type { FsBlob } from '../../src/protocol/index.ts';
import { popupData } from '../helpers/companion-auth.ts';
import { TEST_APP, TEST_ORIGIN } from '../helpers/companion.ts';
import { parseForm } from '../helpers/oidc-browser.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { DEEP_PATH, MANY_FILES, startNodeWebdav, startTestWebdav, WEBDAV_USERS, type TestWebdav } from '../helpers/webdav.ts';

interface Item {
  id: string;
  name: string;
  isFolder: boolean;
  mimetype: string;
  size: number;
  modified: string;
}
interface Listing {
  folder: { id: string; name: string; path: Array<{ id: string; name: string }> };
  items: Item[];
  nextCursor?: string;
}

/** An Outbound that can change the share just before a PUT leaves, as another person saving at that moment would. */
class RacingOutbound extends Outbound {
  /** Runs once, synchronously, before the next PUT's headers go out. */
  beforePut: ((url: URL) => void) | undefined;

  override request(url: URL, init: OutboundRequestInit): ReturnType<Outbound['request']> {
    const change = init.method === 'PUT' ? this.beforePut : undefined;
    this.beforePut = undefined;
    change?.(url);
    return super.request(url, init);
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface ServerKind {
  name: string;
  start: () => Promise<TestWebdav>;
  /** Honours If-Match and If-None-Match on PUT; without them no client can keep a write from racing another. */
  conditions: boolean;
  /** Answers a Range past the end with 416, and a 206 with the file's whole length. */
  exactRanges: boolean;
}

const SERVERS: ServerKind[] = [
  { name: 'Apache mod_dav', start: startTestWebdav, conditions: true, exactRanges: true },
  { name: 'webdav-server', start: startNodeWebdav, conditions: false, exactRanges: false },
];
const IGNORES_CONDITIONS = 'webdav-server ignores If-Match and If-None-Match, so a PUT there cannot be kept from overwriting';

for (const kind of SERVERS) describe(`WebDAV (${kind.name}) as a source`, () => {
  let dav: TestWebdav;
  let db: Db;
  let app: CompanionApp;
  let server: ServerType;
  let base: string;
  const outbound = new RacingOutbound();
  const sessions: Record<string, string> = {};
  let provider: Provider;
  /** A grant as the companion keeps one, for calling the provider without the routes. */
  const grantOf = (user: { name: string; password: string }): Grant => ({
    id: `grant-${user.name}`,
    appKey: TEST_APP.apiKey,
    source: 'WEBDAV',
    userId: user.name,
    userName: user.name,
    kind: 'ticket',
    accessToken: Buffer.from(`${user.name}:${user.password}`).toString('base64'),
    refreshToken: undefined,
    expiresAt: undefined,
  });

  const call = (path: string, { as = 'ada', ...init }: RequestInit & { as?: string } = {}) => {
    const url = new URL(path, base);
    url.searchParams.set('key', TEST_APP.apiKey);
    return fetch(url, { ...init, headers: { Origin: TEST_ORIGIN, Authorization: `Bearer ${sessions[as] ?? ''}`, ...(init.headers as Record<string, string>) } });
  };
  const json = async <T>(response: Response): Promise<T> => {
    assert.ok(response.ok, `${response.status}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  };
  const errorOf = async (response: Response) => ({ status: response.status, ...((await response.json()) as { error: { code: string; message: string; field?: string } }).error });
  const listing = (folderId: string, query = '', as = 'ada') => call(`/api/webdav/folders/${folderId}?${query}`, { as }).then((response) => json<Listing>(response));
  /** The id of the item at a path, found by browsing from the root as a person would. */
  const idAt = async (...names: string[]): Promise<string> => {
    let id = (await json<{ locations: Array<{ id: string }> }>(await call('/api/webdav/locations'))).locations[0]!.id;
    for (const name of names) {
      const found = (await listing(id, 'pageSize=1000')).items.find((item) => item.name === name);
      assert.ok(found, `no "${name}" in the listing`);
      id = found.id;
    }
    return id;
  };
  const pick = async (itemIds: string[]) => (await json<{ blobs: FsBlob[] }>(await call('/api/pick', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds }) }))).blobs;
  const onDisk = (...names: string[]) => join(dav.root, ...names);

  /** The sign-in popup up to the form, then the form sent with a user name and password: the page it ends on. */
  const signIn = async (username: string, password: string): Promise<string> => {
    const started = await fetch(`${base}/auth/webdav/start?${new URLSearchParams({ key: TEST_APP.apiKey, origin: TEST_ORIGIN, nonce: 'nonce-0123456789' })}`, { redirect: 'manual' });
    assert.equal(started.status, 302);
    const formUrl = new URL(started.headers.get('Location')!);
    const formPage = await fetch(formUrl);
    const html = await formPage.text();
    assert.match(html, /Sign in to WebDAV/);
    const form = parseForm(html, formUrl);
    const cookie = formPage.headers.get('Set-Cookie')!.split(';')[0]!;
    const posted = await fetch(form.action, { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams({ ...form.hidden, username, password }) });
    return posted.text();
  };
  const connect = async (user: { name: string; password: string }) => {
    const { message } = popupData(await signIn(user.name, user.password));
    assert.equal(message?.type, 'fs-picker:connected');
    sessions[user.name] = message.session!;
  };

  before(async () => {
    dav = await kind.start();
    const port = await freePort('127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    db = await openTestDatabase();
    const config = parseConfig({
      publicUrl: base,
      encryptionKey: Buffer.alloc(32, 5).toString('base64'),
      // Never called: the app offers only WebDAV and the device.
      alfresco: { repositoryUrl: 'http://127.0.0.1:9' },
      apps: [{ ...TEST_APP, services: ['WEBDAV', 'COMPUTER'], webdav: { url: dav.url } }],
    });
    provider = webdavProvider({ config, outbound, apps: { get: (key) => AppRegistry.of(db).get(key) } });
    // The companion's own WebDAV source serves the routes; `provider` (the same, made here) is called directly.
    app = await buildApp(config, { db, logger: pino({ level: 'silent' }), outbound });
    server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await app.close();
    await outbound.close();
    await db.destroy();
    await dav.stop();
  });

  test('is offered in the services, and its form refuses a wrong password and takes the right one', async () => {
    const { services } = await json<{ services: Array<{ id: string; name: string; available: boolean; detail?: string }> }>(await call('/api/services'));
    assert.deepEqual(services[0], { id: 'WEBDAV', name: 'WebDAV', kind: 'repository', available: true, detail: `WebDAV at ${new URL(dav.url).host}` });

    const refused = await signIn('ada', 'not-the-password');
    assert.match(refused, /The user name or password is not correct\./);
    assert.doesNotMatch(refused, /fs-picker:connected/);

    await connect(WEBDAV_USERS.ada);
    assert.deepEqual(await json(await call('/api/session')), { user: { id: 'ada', name: 'ada' }, source: 'WEBDAV' });
    await connect(WEBDAV_USERS.grace);
  });

  test('lists the share from its root, folders first, with types even where the server gives none', async () => {
    const { locations } = await json<{ locations: Array<{ kind: string; id: string; name: string }> }>(await call('/api/webdav/locations'));
    assert.equal(locations.length, 1);
    assert.equal(locations[0]!.kind, 'root');
    const root = await listing(locations[0]!.id);
    assert.deepEqual(root.items.map(({ name, isFolder }) => [name, isFolder]), [
      ['Archive', true],
      ['Deep', true],
      ['Documents', true],
      ['Many', true],
      ['Photos', true],
      ['README.md', false],
    ]);
    assert.equal(root.items.find((item) => item.name === 'README.md')?.mimetype, 'text/markdown');

    const documents = await listing(await idAt('Documents'));
    const byName = Object.fromEntries(documents.items.map((item) => [item.name, item]));
    assert.deepEqual(Object.keys(byName), ['build.log', 'meeting notes.txt', 'report.pdf', 'Résumé 2026.txt']);
    assert.equal(byName['report.pdf']!.mimetype, 'application/pdf');
    // Debian's mime.types has no .log, so Apache sends no getcontenttype: the type comes from the name.
    assert.equal(byName['build.log']!.mimetype, 'text/plain');
    const resume = await stat(onDisk('Documents', 'Résumé 2026.txt'));
    assert.equal(byName['Résumé 2026.txt']!.size, resume.size);
    assert.equal(byName['Résumé 2026.txt']!.modified, new Date(Math.floor(resume.mtimeMs / 1000) * 1000).toISOString());
  });

  test('gives breadcrumbs from the root, through non-ASCII names', async () => {
    const folder = await listing(await idAt('Photos', 'Übersicht'));
    assert.deepEqual(folder.folder.path.map(({ name }) => name), [new URL(dav.url).host, 'Photos', 'Übersicht']);
    assert.deepEqual(folder.items.map(({ name }) => name), ['Straße 1.txt']);
    // Each crumb opens its folder.
    const photos = await listing(folder.folder.path[1]!.id);
    assert.equal(photos.folder.name, 'Photos');
  });

  test('pages through a folder of 260 files with cursors', async () => {
    const many = await idAt('Many');
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listing(many, `pageSize=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      names.push(...page.items.map(({ name }) => name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(names, (await readdir(onDisk('Many'))).sort());
    assert.equal(names.length, MANY_FILES);
  });

  test('orders by name, size and date, either way, as the files on disk are', async () => {
    const many = await idAt('Many');
    const files = await Promise.all((await readdir(onDisk('Many'))).map(async (name) => ({ name, info: await stat(onDisk('Many', name)) })));
    const expected: Record<'name' | 'size' | 'modified', (a: (typeof files)[number], b: (typeof files)[number]) => number> = {
      name: (a, b) => a.name.localeCompare(b.name),
      size: (a, b) => a.info.size - b.info.size,
      modified: (a, b) => a.info.mtimeMs - b.info.mtimeMs,
    };
    for (const sort of ['name', 'size', 'modified'] as const) {
      for (const direction of ['asc', 'desc']) {
        const page = await listing(many, `pageSize=20&sort=${sort}&direction=${direction}`);
        const order = [...files].sort(expected[sort]);
        if (direction === 'desc') order.reverse();
        assert.deepEqual(page.items.map(({ name }) => name), order.slice(0, 20).map(({ name }) => name), `${sort} ${direction}`);
      }
    }
  });

  test('searches a folder by the start of a name, case and accents aside', async () => {
    const documents = await idAt('Documents');
    const found = await json<{ items: Item[] }>(await call(`/api/webdav/search?q=resume&folderId=${documents}`));
    assert.deepEqual(found.items.map(({ name }) => name), ['Résumé 2026.txt']);
    const many = await json<{ items: Item[] }>(await call(`/api/webdav/search?q=FILE-25&folderId=${await idAt('Many')}`));
    assert.deepEqual(many.items.map(({ name }) => name), Array.from({ length: 10 }, (_, n) => `file-25${n}.txt`));
    // Without a folder: the root's own entries.
    const atRoot = await json<{ items: Item[] }>(await call('/api/webdav/search?q=read'));
    assert.deepEqual(atRoot.items.map(({ name }) => name), ['README.md']);
  });

  test('picks two files, whose links stream the bytes on disk, with Range and metadata', async () => {
    const [lake, resume] = await Promise.all([idAt('Photos', 'Lake.jpg'), idAt('Documents', 'Résumé 2026.txt')]);
    const blobs = await pick([lake, resume]);
    assert.deepEqual(blobs.map(({ filename, mimetype, client, source }) => [filename, mimetype, client, source]), [
      ['Lake.jpg', 'image/jpeg', 'WebDAV', 'WEBDAV'],
      ['Résumé 2026.txt', 'text/plain', 'WebDAV', 'WEBDAV'],
    ]);
    assert.equal(blobs[1]!.path, '/Documents/Résumé 2026.txt');
    for (const [blob, path] of [[blobs[0]!, onDisk('Photos', 'Lake.jpg')], [blobs[1]!, onDisk('Documents', 'Résumé 2026.txt')]] as const) {
      const response = await fetch(blob.url);
      assert.equal(response.status, 200);
      assert.equal(sha256(Buffer.from(await response.arrayBuffer())), sha256(await readFile(path)));
    }

    const jpeg = await readFile(onDisk('Photos', 'Lake.jpg'));
    const part = await fetch(blobs[0]!.url, { headers: { Range: 'bytes=2-11' } });
    assert.equal(part.status, 206);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), jpeg.subarray(2, 12));
    if (kind.exactRanges) {
      assert.equal(part.headers.get('Content-Range'), `bytes 2-11/${jpeg.length}`);
      assert.equal((await fetch(blobs[0]!.url, { headers: { Range: `bytes=${jpeg.length + 10}-` } })).status, 416);
      // Apache's ETag comes through, and a browser holding the file is told it has not changed.
      const etag = (await fetch(blobs[0]!.url, { method: 'HEAD' })).headers.get('ETag');
      assert.ok(etag);
      assert.equal((await fetch(blobs[0]!.url, { headers: { 'If-None-Match': etag } })).status, 304);
    }
    const head = await fetch(blobs[0]!.url, { method: 'HEAD' });
    assert.deepEqual([head.status, head.headers.get('Content-Length'), await head.text()], [200, String(jpeg.length), '']);

    const metadata = await json<{ filename: string; size: number; mimetype: string; width?: number; height?: number }>(await fetch(`${blobs[0]!.url}/metadata?width=true&height=true`));
    assert.deepEqual([metadata.filename, metadata.size, metadata.mimetype, metadata.width, metadata.height], ['Lake.jpg', jpeg.length, 'image/jpeg', 64, 48]);
  });

  test('reaches files below paths too long for a plain id', async () => {
    const deepest = await idAt(...DEEP_PATH);
    assert.ok(deepest.length <= 128);
    const folder = await listing(deepest);
    assert.deepEqual(folder.folder.path.map(({ name }) => name).slice(1), [...DEEP_PATH]);
    const [leaf] = await pick([folder.items[0]!.id]);
    assert.equal(await (await fetch(leaf!.url)).text(), await readFile(onDisk(...DEEP_PATH, 'leaf.txt'), 'utf8'));
  });

  test('exports a new file into a folder, where it appears on disk', async () => {
    const documents = await idAt('Documents');
    const exported = await json<{ blob: FsBlob }>(await call(`/api/export?folderId=${documents}&filename=${encodeURIComponent('Brief an Charles.txt')}`, { method: 'POST', body: 'Lieber Charles,' }));
    assert.equal(exported.blob.filename, 'Brief an Charles.txt');
    assert.equal(exported.blob.client, 'WebDAV');
    assert.equal(await readFile(onDisk('Documents', 'Brief an Charles.txt'), 'utf8'), 'Lieber Charles,');
    assert.equal(await (await fetch(exported.blob.url)).text(), 'Lieber Charles,');
  });

  test('refuses an export onto a taken name, and keeps both when asked to rename', async () => {
    const photos = await idAt('Photos');
    const clash = await call(`/api/export?folderId=${photos}&filename=Logo.png`, { method: 'POST', body: 'not a png' });
    const refusal = await errorOf(clash);
    assert.deepEqual([refusal.status, refusal.code, refusal.field], [409, 'FS_ERR_CONFLICT', 'filename']);
    assert.notEqual((await readFile(onDisk('Photos', 'Logo.png'))).toString(), 'not a png');

    const renamed = await json<{ blob: FsBlob }>(await call(`/api/export?folderId=${photos}&filename=Logo.png&conflict=rename`, { method: 'POST', body: 'a second logo' }));
    assert.equal(renamed.blob.filename, 'Logo-1.png');
    assert.equal(await readFile(onDisk('Photos', 'Logo-1.png'), 'utf8'), 'a second logo');
  });

  test('writes a new version back through a link', async () => {
    const [blob] = await pick([await idAt('Documents', 'meeting notes.txt')]);
    const written = await json<{ blob: FsBlob }>(await call(`/api/write/${blob!.handle}`, { method: 'POST', body: 'Agenda: the Bernoulli numbers, and tea.' }));
    assert.equal(written.blob.size, 39);
    assert.equal(await readFile(onDisk('Documents', 'meeting notes.txt'), 'utf8'), 'Agenda: the Bernoulli numbers, and tea.');
    assert.equal(await (await fetch(blob!.url)).text(), 'Agenda: the Bernoulli numbers, and tea.');
  });

  test('refuses a write-back when the file changed meanwhile, and keeps the other change', { skip: !kind.conditions && IGNORES_CONDITIONS }, async () => {
    const [blob] = await pick([await idAt('Documents', 'meeting notes.txt')]);
    // Someone else saves the file between the companion's look at it and its PUT.
    outbound.beforePut = () => writeFileSync(onDisk('Documents', 'meeting notes.txt'), 'Changed by someone else.');
    const raced = await call(`/api/write/${blob!.handle}`, { method: 'POST', body: 'Mine.' });
    const refusal = await errorOf(raced);
    assert.deepEqual([refusal.status, refusal.code], [409, 'FS_ERR_CONFLICT']);
    assert.match(refusal.message, /"meeting notes\.txt" was changed in WebDAV/);
    assert.match(await readFile(onDisk('Documents', 'meeting notes.txt'), 'utf8'), /^Changed by someone else/);
  });

  /** New content for the provider's create, as the export route hands it over. */
  const content = (text: string) => ({ stream: Readable.from([Buffer.from(text)]), filename: 'draft.txt', mimetype: 'text/plain', size: text.length });

  test('the provider removes a file it created (what an export undoes when its follow-up fails)', async () => {
    const ada = { grant: grantOf(WEBDAV_USERS.ada) };
    const created = await provider.create(ada, await idAt('Documents'), content('draft'), { autoRename: false });
    assert.equal(await readFile(onDisk('Documents', 'draft.txt'), 'utf8'), 'draft');
    await provider.remove(ada, created.id);
    assert.equal(existsSync(onDisk('Documents', 'draft.txt')), false);
  });

  test('the provider refuses a PUT onto a name taken since the export looked', { skip: !kind.conditions && IGNORES_CONDITIONS }, async () => {
    const ada = { grant: grantOf(WEBDAV_USERS.ada) };
    const documents = await idAt('Documents');
    await provider.create(ada, documents, content('mine'), { autoRename: false });
    await assert.rejects(provider.create(ada, documents, content('theirs'), { autoRename: false }), (error) => error instanceof ProviderRefusal && error.status === 409 && error.field === 'filename');
    assert.equal(await readFile(onDisk('Documents', 'draft.txt'), 'utf8'), 'mine');
  });

  test('maps the server’s refusals: 404 gone, 403 not allowed, 401 connect again', async () => {
    const report = await idAt('Documents', 'report.pdf');
    const [blob] = await pick([report]);

    const gone = await call(`/api/webdav/folders/p${Buffer.from('Documents/Nowhere').toString('base64url')}`);
    assert.deepEqual(await errorOf(gone), { status: 404, code: 'FS_ERR_NOT_FOUND', message: 'This item is no longer in WebDAV.' });

    // An id made up to leave the share is refused before any call.
    const outside = await errorOf(await call(`/api/webdav/folders/p${Buffer.from('../etc').toString('base64url')}`));
    assert.deepEqual([outside.status, outside.code, outside.field], [400, 'FS_ERR_INVALID_OPTION', 'folderId']);

    // Grace may read the Archive, not add to it.
    const archive = await idAt('Archive');
    assert.equal((await listing(archive, '', 'grace')).items[0]?.name, 'old contract.txt');
    const forbidden = await errorOf(await call(`/api/export?folderId=${archive}&filename=graffiti.txt`, { as: 'grace', method: 'POST', body: 'hi' }));
    assert.deepEqual([forbidden.status, forbidden.code], [403, 'FS_ERR_FORBIDDEN']);
    assert.deepEqual((await readdir(onDisk('Archive'))).sort(), ['old contract.txt']);

    // Grace's password changes at the server: her connection is over, the picker asks her to connect again.
    dav.setPassword('grace', 'a-new-password');
    const expired = await errorOf(await call('/api/session', { as: 'grace' }));
    assert.deepEqual([expired.status, expired.code], [401, 'FS_ERR_RECONNECT']);
    assert.match(expired.message, /WebDAV/);

    // The file Ada picked goes away at the source: its link says so.
    await rm(onDisk('Documents', 'report.pdf'));
    assert.equal((await fetch(blob!.url)).status, 404);
  });
});
