/**
 * The CMIS provider (companion/src/providers/cmis/) registered with buildApp and driven over HTTP through
 * the whole flow, against the sandbox's CMIS 1.1 browser binding: sign in with the password form, browse
 * with paging and sorts, breadcrumbs, search, pick and download, thumbnails, export, write-back, remove,
 * and the source's refusals as the error registry's codes.
 */
import assert from 'node:assert/strict';
import { serve, type ServerType } from '@hono/node-server';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import sharp from 'sharp';
import { buildApp } from '../../companion/src/app.ts';
import { AppRegistry } from '../../companion/src/apps/registry.ts';
import { parseConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { Outbound } from '../../companion/src/outbound/index.ts';
import { cmisProvider } from '../../companion/src/providers/cmis/provider.ts';
import { ProviderRefusal, type Provider } from '../../companion/src/providers/provider.ts';
import type { Grant } from '../../companion/src/auth/grants.ts';
import { freePort } from '../../src/dev/stack.ts';
import type { BrowseItem, FolderListing, FsBlob } from '../../src/protocol/index.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { CMIS_BROWSER_BASE } from '../helpers/cmis.ts';
import { popupData } from '../helpers/companion-auth.ts';
import { TEST_APP, TEST_ORIGIN } from '../helpers/companion.ts';
import { parseForm } from '../helpers/oidc-browser.ts';
import { basic, CORE, coreApi, nodeAt, startTestSandbox, type NodeJson } from '../helpers/sandbox.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

const sha256 = (bytes: ArrayBuffer | Buffer) => createHash('sha256').update(Buffer.from(bytes as ArrayBuffer)).digest('hex');
/** The item id the provider gives a CMIS id (base64url of it; a document by its version series id). */
const itemIdOf = (cmisId: string) => Buffer.from(cmisId).toString('base64url');

describe('the CMIS provider, through the companion, against the sandbox’s browser binding', () => {
  let sandbox: RunningSandbox;
  let server: ServerType;
  let db: Db;
  let outbound: Outbound;
  let provider: Provider;
  let base: string;
  const sessions: Record<string, string> = {};
  let rest: ReturnType<typeof coreApi>;

  /** A call as the test app's page makes it, as `user`'s session. */
  const call = (path: string, init: RequestInit = {}, user = 'admin') => {
    const url = new URL(path, base);
    url.searchParams.set('key', TEST_APP.apiKey);
    return fetch(url, { ...init, headers: { Origin: TEST_ORIGIN, Authorization: `Bearer ${sessions[user]}`, ...(init.headers as Record<string, string>) } });
  };
  const json = async <T>(response: Response): Promise<T> => {
    assert.ok(response.ok, `${response.status}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  };
  /** The companion's password form, filled in as a person would; the popup's page on the way back. */
  const signIn = async (username: string, password: string) => {
    const started = await fetch(`${base}/auth/cmis/start?${new URLSearchParams({ key: TEST_APP.apiKey, origin: TEST_ORIGIN, nonce: `nonce-${username}-0123456789` })}`, { redirect: 'manual' });
    const formUrl = new URL(started.headers.get('Location')!);
    const formPage = await fetch(formUrl);
    const form = parseForm(await formPage.text(), formUrl);
    const cookie = formPage.headers.get('Set-Cookie')!.split(';')[0]!;
    const posted = await fetch(form.action, { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams({ ...form.hidden, username, password }) });
    return { status: posted.status, html: await posted.text() };
  };
  /** Every page of a listing, following nextCursor. */
  const allPages = async (path: string, user = 'admin') => {
    const pages: Array<FolderListing & { nextCursor?: string }> = [];
    for (let cursor: string | undefined; ; ) {
      const page = await json<FolderListing & { nextCursor?: string }>(await call(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {}, user));
      pages.push(page);
      cursor = page.nextCursor;
      if (!cursor) return pages;
    }
  };
  /** A grant as the sign-in makes one, for calling the provider itself. */
  const grantFor = async (user: string): Promise<Grant> => {
    const signIn = provider.signInOf({ ...TEST_APP, services: ['CMIS'] } as never);
    assert.equal(signIn.kind, 'password');
    const result = await signIn.signIn(user, user);
    assert.ok(result.ok);
    return { id: `grant-${user}`, appKey: TEST_APP.apiKey, source: 'CMIS', userId: user, userName: user, kind: 'ticket', accessToken: result.tokens.accessToken, refreshToken: undefined, expiresAt: undefined };
  };

  before(async () => {
    sandbox = await startTestSandbox();
    rest = coreApi(sandbox);
    const port = await freePort('127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    db = await openTestDatabase();
    outbound = new Outbound();
    const config = parseConfig({
      publicUrl: base,
      encryptionKey: Buffer.alloc(32, 5).toString('base64'),
      // Never called: the app offers only CMIS and the device.
      alfresco: { repositoryUrl: 'http://127.0.0.1:9' },
      apps: [{ ...TEST_APP, services: ['CMIS', 'COMPUTER'], cmis: { url: `${sandbox.url}${CMIS_BROWSER_BASE}` } }],
    });
    provider = cmisProvider({ apps: { get: (key) => AppRegistry.of(db).get(key) }, outbound });
    // The companion's own CMIS source serves the routes; `provider` (the same, made here) is called directly.
    const app = await buildApp(config, { db, logger: pino({ level: 'silent' }), outbound });
    server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await db.destroy();
    await outbound.close();
    await sandbox.close();
  });

  test('is offered with the repository it describes, and signs in with the password form (a wrong password is refused)', async () => {
    const { services } = await json<{ services: Array<{ id: string; name: string; available: boolean; detail?: string }> }>(await call('/api/services'));
    // Alfresco's binding answers nothing without a sign-in, so the description is its host.
    assert.deepEqual(services.find(({ id }) => id === 'CMIS'), { id: 'CMIS', name: 'CMIS', kind: 'repository', available: true, detail: `CMIS 1.1 at ${new URL(sandbox.url).host}` });

    const wrong = await signIn('admin', 'not-the-password');
    assert.match(wrong.html, /user name or password is not correct/);

    for (const user of ['admin', 'abeecher']) {
      const { message } = popupData((await signIn(user, user)).html);
      assert.equal(message?.type, 'fs-picker:connected');
      assert.deepEqual(message?.user, { id: user, name: user });
      sessions[user] = message.session!;
    }
    assert.deepEqual(await json(await call('/api/session')), { user: { id: 'admin', name: 'admin' }, source: 'CMIS' });
  });

  test('with signIn "alfresco", signs in with an Alfresco ticket, browses with it, and signing out ends it', async () => {
    const app = { ...TEST_APP, services: ['CMIS'], cmis: { url: `${sandbox.url}${CMIS_BROWSER_BASE}`, signIn: 'alfresco' as const } } as never;
    const signIn = provider.signInOf(app);
    assert.equal(signIn.kind, 'password');
    assert.deepEqual(await signIn.signIn('mjackson', 'wrong'), { ok: false, reason: 'refused' });
    const result = await signIn.signIn('mjackson', 'mjackson');
    assert.ok(result.ok);
    const grant: Grant = { id: 'grant-ticket', appKey: TEST_APP.apiKey, source: 'CMIS', userId: 'mjackson', userName: 'mjackson', kind: 'ticket', accessToken: result.tokens.accessToken, refreshToken: undefined, expiresAt: undefined };

    assert.deepEqual(await provider.whoIs(app, result.tokens), { id: 'mjackson', name: 'mjackson' });
    assert.ok((await provider.list({ grant }, '-my-', { skip: 0, max: 10, sort: 'name', direction: 'asc' })).entries.some(({ name }) => name === 'Site visit notes.txt'));
    await provider.signOut(app, grant);
    await assert.rejects(provider.stat({ grant }, '-my-'), (error) => error instanceof ProviderRefusal && error.status === 401);
  });

  test('offers My Files (the Alfresco home) and the repository root', async () => {
    const { locations } = await json<{ locations: Array<{ kind: string; id: string; name: string }> }>(await call('/api/cmis/locations'));
    const root = await rest<{ entry: NodeJson }>('/nodes/-root-');
    assert.deepEqual(locations, [
      { kind: 'my', id: '-my-', name: 'My Files' },
      { kind: 'root', id: itemIdOf(root.body.entry.id), name: 'Repository' },
    ]);
  });

  test('lists a folder page by page, folders first, in each sort, with no entry twice', async () => {
    const home = await rest<{ list: { entries: Array<{ entry: NodeJson }> } }>('/nodes/-my-/children?maxItems=100');
    const folders = home.body.list.entries.filter(({ entry }) => entry.isFolder).map(({ entry }) => entry);
    const files = home.body.list.entries.filter(({ entry }) => entry.isFile).map(({ entry }) => entry);
    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    const byName = (a: NodeJson, b: NodeJson) => collator.compare(a.name, b.name);

    // Page size 3 makes pages that hold both folders and files, and one that starts past the last folder.
    const pages = await allPages('/api/cmis/folders/-my-?pageSize=3&sort=name&direction=asc');
    const listed = pages.flatMap((page) => page.items);
    assert.equal(pages[0]!.folder.name, 'admin');
    assert.deepEqual(listed.map(({ name }) => name), [...folders.sort(byName), ...files.sort(byName)].map(({ name }) => name));
    assert.equal(new Set(listed.map(({ id }) => id)).size, listed.length);
    assert.deepEqual(listed.map(({ isFolder }) => isFolder), [...folders.map(() => true), ...files.map(() => false)]);

    const descending = (await allPages('/api/cmis/folders/-my-?pageSize=5&sort=name&direction=desc')).flatMap((page) => page.items);
    assert.deepEqual(descending.map(({ name }) => name), [...folders.sort(byName).reverse(), ...files.sort(byName).reverse()].map(({ name }) => name));
    const bySize = (await allPages('/api/cmis/folders/-my-?pageSize=4&sort=size&direction=desc')).flatMap((page) => page.items).filter(({ isFolder }) => !isFolder);
    assert.deepEqual(bySize.map(({ size }) => size), files.map(({ content }) => content!.sizeInBytes).sort((a, b) => b - a));
    const welcome = listed.find(({ name }) => name === 'welcome.txt')!;
    assert.equal(welcome.mimetype, 'text/plain');
    assert.equal(welcome.canWrite, true);
    assert.equal(welcome.id, itemIdOf(files.find(({ name }) => name === 'welcome.txt')!.id));
  });

  test('gives a folder with its breadcrumbs from the repository root', async () => {
    const images = await nodeAt(sandbox, 'Pictures');
    const { folder } = await json<FolderListing>(await call(`/api/cmis/folders/${itemIdOf(images.id)}?pageSize=1`));
    const deep = await json<FolderListing>(await call(`/api/cmis/folders/${itemIdOf((await nodeAt(sandbox, 'Deep/Level 1/Level 2')).id)}?pageSize=1`));

    assert.deepEqual(folder.path.map(({ name }) => name), ['Company Home', 'User Homes', 'admin', 'Pictures']);
    assert.equal(folder.path.at(-1)!.id, itemIdOf(images.id));
    assert.equal(folder.canWrite, true);
    assert.deepEqual(deep.folder.path.map(({ name }) => name).slice(-3), ['Deep', 'Level 1', 'Level 2']);
    const file = await call(`/api/cmis/folders/${itemIdOf(`${(await nodeAt(sandbox, 'welcome.txt')).id}`)}`);
    assert.equal(file.status, 400);
  });

  test('searches by the start of a name, in a folder, with quotes and wildcards taken literally', async () => {
    const library = await rest<{ entry: NodeJson }>('/nodes/-root-?relativePath=Sites/swsdp/documentLibrary/Agency%20Files/Images');
    const { items } = await json<{ items: BrowseItem[] }>(await call(`/api/cmis/search?q=w&folderId=${itemIdOf(library.body.entry.id)}`));
    assert.deepEqual(items.map(({ name }) => name), ['wind turbine.JPG', 'windmill.png', 'wires.JPG']);

    const form = new FormData();
    form.append('filedata', new Blob(['quoted']), "O'Brien 100% notes.txt");
    await rest('/nodes/-my-/children', { method: 'POST', body: form });
    const quoted = await json<{ items: BrowseItem[] }>(await call(`/api/cmis/search?q=${encodeURIComponent("O'Brien 100%")}`));
    const wildcard = await json<{ items: BrowseItem[] }>(await call(`/api/cmis/search?q=${encodeURIComponent("O'Brien 1_0")}`));
    assert.deepEqual(quoted.items.map(({ name }) => name), ["O'Brien 100% notes.txt"]);
    assert.deepEqual(wildcard.items, []);
  });

  test('picks a file: the link streams the sandbox’s bytes (SHA-256), and a Range as 206', async () => {
    const photo = await nodeAt(sandbox, 'Pictures/banner 1920x480.png');
    const original = await fetch(`${sandbox.url}${CORE}/nodes/${photo.id}/content`, { headers: { Authorization: basic('admin') } });
    const { blobs } = await json<{ blobs: FsBlob[] }>(await call('/api/pick', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [itemIdOf(photo.id)] }) }));
    const bytes = await original.arrayBuffer();

    assert.deepEqual([blobs[0]!.filename, blobs[0]!.client, blobs[0]!.source, blobs[0]!.size], ['banner 1920x480.png', 'CMIS', 'CMIS', bytes.byteLength]);
    assert.equal(sha256(await (await fetch(blobs[0]!.url)).arrayBuffer()), sha256(bytes));
    const part = await fetch(blobs[0]!.url, { headers: { Range: 'bytes=10-99' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('Content-Range'), `bytes 10-99/${bytes.byteLength}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), Buffer.from(bytes).subarray(10, 100));
  });

  test('shows the cmis:thumbnail rendition of an image, and no thumbnail where there is none', async () => {
    const { items } = await json<FolderListing>(await call(`/api/cmis/folders/${itemIdOf((await nodeAt(sandbox, 'Pictures')).id)}?pageSize=100`));
    const banner = items.find(({ name }) => name === 'banner 1920x480.png')!;
    const home = await json<FolderListing>(await call('/api/cmis/folders/-my-?pageSize=100'));

    assert.ok(banner.thumbnailUrl, 'an image has a thumbnail');
    const thumbnail = await fetch(new URL(banner.thumbnailUrl, base), { headers: { Origin: TEST_ORIGIN } });
    assert.equal(thumbnail.status, 200);
    assert.equal(thumbnail.headers.get('Content-Type'), 'image/png');
    const { format, width } = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    assert.equal(format, 'png');
    assert.ok(width <= 100);
    assert.equal(home.items.find(({ name }) => name === 'welcome.txt')!.thumbnailUrl, undefined);
  });

  test('exports a new file (seen through the sandbox’s REST API); a taken name is refused, or renamed as Alfresco names', async () => {
    const documents = itemIdOf((await nodeAt(sandbox, 'Documents')).id);
    const exported = await json<{ blob: FsBlob }>(await call(`/api/export?folderId=${documents}&filename=report.txt`, { method: 'POST', body: 'First report' }));
    const viaRest = await nodeAt(sandbox, 'Documents/report.txt');
    const clash = await call(`/api/export?folderId=${documents}&filename=report.txt`, { method: 'POST', body: 'Again' });
    const renamed = await json<{ blob: FsBlob }>(await call(`/api/export?folderId=${documents}&filename=report.txt&conflict=rename`, { method: 'POST', body: 'Renamed' }));

    assert.equal(exported.blob.client, 'CMIS');
    assert.equal(exported.blob.filename, 'report.txt');
    assert.equal(viaRest.content!.mimeType, 'text/plain');
    assert.equal(await (await fetch(`${sandbox.url}${CORE}/nodes/${viaRest.id}/content`, { headers: { Authorization: basic('admin') } })).text(), 'First report');
    assert.equal(clash.status, 409);
    assert.equal(((await clash.json()) as { error: { code: string; field: string } }).error.code, 'FS_ERR_CONFLICT');
    assert.equal(renamed.blob.filename, 'report-1.txt');
    assert.equal(await (await fetch(renamed.blob.url)).text(), 'Renamed');

    // The provider's own answer to a clash it meets (a race past the route's check): 409 on the filename.
    const grant = await grantFor('admin');
    await assert.rejects(provider.create({ grant }, documents, { stream: Readable.from([Buffer.from('x')]), filename: 'report.txt', mimetype: 'text/plain', size: 1 }, { autoRename: false }), (error) => {
      assert.ok(error instanceof ProviderRefusal);
      assert.deepEqual([error.status, error.field], [409, 'filename']);
      return true;
    });
  });

  test('writes back a new version: the version label goes up, the content changes, and the page’s id still works', async () => {
    const documents = itemIdOf((await nodeAt(sandbox, 'Documents')).id);
    const exported = await json<{ blob: FsBlob }>(await call(`/api/export?folderId=${documents}&filename=draft.txt`, { method: 'POST', body: 'Draft one' }));
    const before = await nodeAt(sandbox, 'Documents/draft.txt');
    const written = await json<{ blob: FsBlob }>(await call(`/api/write/${exported.blob.handle}`, { method: 'POST', body: 'Draft two, longer' }));
    const after = await nodeAt(sandbox, 'Documents/draft.txt');

    assert.equal(before.properties!['cm:versionLabel'], '1.0');
    assert.equal(after.properties!['cm:versionLabel'], '1.1');
    assert.equal(after.id, before.id);
    assert.equal(written.blob.size, 'Draft two, longer'.length);
    assert.equal(await (await fetch(exported.blob.url)).text(), 'Draft two, longer');
    // No working copy stays behind.
    assert.equal((await rest(`/nodes/${before.id}?include=path`)).status, 200);
    const listing = await json<FolderListing>(await call(`/api/cmis/folders/${documents}?pageSize=100`));
    assert.deepEqual(listing.items.filter(({ name }) => name.startsWith('draft')).map(({ name }) => name), ['draft.txt']);
    // The id the page held (the version series) picks the new version.
    const { blobs } = await json<{ blobs: FsBlob[] }>(await call('/api/pick', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [itemIdOf(before.id)] }) }));
    assert.equal(await (await fetch(blobs[0]!.url)).text(), 'Draft two, longer');
  });

  test('removes an item for good', async () => {
    const documents = itemIdOf((await nodeAt(sandbox, 'Documents')).id);
    const exported = await json<{ blob: FsBlob }>(await call(`/api/export?folderId=${documents}&filename=temporary.txt`, { method: 'POST', body: 'soon gone' }));
    const node = await nodeAt(sandbox, 'Documents/temporary.txt');
    await provider.remove({ grant: await grantFor('admin') }, itemIdOf(node.id));

    assert.equal(exported.blob.filename, 'temporary.txt');
    assert.equal((await rest(`/nodes/${node.id}`)).status, 404);
  });

  test('the binding’s refusals reach the page as the error registry’s codes: 404, 403, 401', async () => {
    const missing = await call(`/api/cmis/folders/${itemIdOf('00000000-0000-4000-a000-000000000000')}`);
    const adminHome = (await rest<{ entry: NodeJson }>('/nodes/-my-')).body.entry.id;
    const forbidden = await call(`/api/cmis/folders/${itemIdOf(adminHome)}`, {}, 'abeecher');
    const notAnId = await call('/api/cmis/folders/not;an-id');

    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { code: 'FS_ERR_NOT_FOUND', message: 'This item is no longer in CMIS.' } });
    assert.equal(forbidden.status, 403);
    assert.equal(((await forbidden.json()) as { error: { code: string } }).error.code, 'FS_ERR_FORBIDDEN');
    assert.equal(notAnId.status, 400);
    await notAnId.body?.cancel();

    // The repository stops taking the credential (as when a password changes): connect again.
    sandbox.state.faults.set({ failNext: { count: 2, status: 401 } });
    const expired = await call('/api/cmis/folders/-my-');
    sandbox.state.faults.reset();
    assert.equal(expired.status, 401);
    assert.equal(((await expired.json()) as { error: { code: string } }).error.code, 'FS_ERR_RECONNECT');
  });
});
