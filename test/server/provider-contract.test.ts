/**
 * The provider contract: every source the companion browses passes the same tests, each against its
 * real server (test/helpers/contract-sources.ts), through the companion's HTTP API as the picker calls
 * it: signing in with the form, listing page by page in each order, the accept filter, a pick's link
 * with Range, export with a name clash, write-back, and refusals mapped to the error registry.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../../companion/src/app.ts';
import { parseConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { freePort } from '../../src/dev/stack.ts';
import { FOLDER_MIMETYPE, type BrowseItem, type FsBlob } from '../../src/protocol/index.ts';
import { popupData } from '../helpers/companion-auth.ts';
import { TEST_APP, TEST_ORIGIN } from '../helpers/companion.ts';
import { alfrescoSource, apacheWebdavSource, cmisSource, contractTree, memorySource, nodeWebdavSource, type ContractEntry, type ContractSource, type RunningSource } from '../helpers/contract-sources.ts';
import { parseForm } from '../helpers/oidc-browser.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

const SOURCES: ContractSource[] = [alfrescoSource, cmisSource, apacheWebdavSource, nodeWebdavSource, memorySource];

const sha256 = (bytes: Buffer | ArrayBuffer) => createHash('sha256').update(Buffer.from(bytes as ArrayBuffer)).digest('hex');

for (const source of SOURCES) {
  describe(`the provider contract: ${source.label}`, () => {
    const folderName = `contract-${randomBytes(3).toString('hex')}`;
    let running: RunningSource;
    let tree: ContractEntry[];
    let server: ServerType;
    let db: Db;
    let base: string;
    let session: string;
    let folderId: string;
    let segment: string;

    const call = (path: string, init: RequestInit = {}) => {
      const url = new URL(path, base);
      url.searchParams.set('key', TEST_APP.apiKey);
      return fetch(url, { ...init, headers: { Origin: TEST_ORIGIN, Authorization: `Bearer ${session}`, ...(init.headers as Record<string, string>) } });
    };
    const json = async <T>(response: Response): Promise<T> => {
      assert.ok(response.ok, `${response.status}: ${await response.clone().text()}`);
      return (await response.json()) as T;
    };
    /** Every page of a listing, following its cursors; also returns each page's length. */
    const listAll = async (id: string, query: Record<string, string> = {}) => {
      const items: BrowseItem[] = [];
      const pages: number[] = [];
      let cursor: string | undefined;
      do {
        const search = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
        const page = await json<{ items: BrowseItem[]; nextCursor?: string }>(await call(`/api/${segment}/folders/${id}?${search}`));
        items.push(...page.items);
        pages.push(page.items.length);
        cursor = page.nextCursor;
      } while (cursor);
      return { items, pages };
    };
    const bytesOf = (name: string) => {
      const entry = tree.find((candidate) => candidate.name === name);
      assert.ok(entry && !entry.folder);
      return entry.bytes;
    };
    const pick = async (...names: string[]) => {
      const { items } = await listAll(folderId);
      const itemIds = names.map((name) => items.find((item) => item.name === name)!.id);
      return (await json<{ blobs: FsBlob[] }>(await call('/api/pick', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds }) }))).blobs;
    };
    /** The companion's sign-in form, as the popup fills it in; resolves with the session it hands over. */
    const signIn = async (username: string, password: string): Promise<{ session?: string; form: string; page: string }> => {
      const started = await fetch(`${base}/auth/${segment}/start?${new URLSearchParams({ key: TEST_APP.apiKey, origin: TEST_ORIGIN, nonce: 'nonce-contract-01' })}`, { redirect: 'manual' });
      assert.equal(started.status, 302);
      const formUrl = new URL(started.headers.get('Location')!, base);
      const formPage = await fetch(formUrl);
      const formHtml = await formPage.text();
      const form = parseForm(formHtml, formUrl);
      const cookie = formPage.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
      const posted = await fetch(form.action, { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams({ ...form.hidden, username, password }) });
      const page = await posted.text();
      const found = popupData(page).message?.session;
      return { ...(found ? { session: found } : {}), form: formHtml, page };
    };

    before(async () => {
      running = await source.start();
      tree = await contractTree();
      await running.seed(folderName, tree);
      segment = running.id.toLowerCase();
      const port = await freePort('127.0.0.1');
      base = `http://127.0.0.1:${port}`;
      db = await openTestDatabase();
      const config = parseConfig({
        publicUrl: base,
        encryptionKey: Buffer.alloc(32, 5).toString('base64'),
        alfresco: { repositoryUrl: running.alfrescoUrl, signIn: { type: 'ticket' } },
        apps: [{ ...TEST_APP, ...running.app, services: [running.id, 'COMPUTER'] }],
      });
      const app = await buildApp(config, { db, logger: pino({ level: 'silent' }), providers: running.providers });
      server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
      const signedIn = await signIn(running.username, running.password);
      assert.ok(signedIn.session, `signing in did not hand over a session:\n${signedIn.page.slice(0, 400)}`);
      session = signedIn.session;
      const home = await listAll('-my-');
      folderId = home.items.find((item) => item.name === folderName)?.id ?? assert.fail(`${folderName} is not in the home folder`);
    });
    after(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await db?.destroy();
      await running?.close();
    });

    test('a wrong password is refused at the form, with no session; the form says whether the password is kept', async () => {
      const refused = await signIn(running.username, 'not-the-password');
      assert.equal(refused.session, undefined);
      assert.match(refused.form, running.keepsPassword ? /keeps your password, encrypted/ : /it is not kept/);
      assert.match(refused.page, /user name or password|not right|incorrect|wrong/i);
    });

    test('lists the folder page by page: folders first, then files by name, each once', async () => {
      const { items, pages } = await listAll(folderId, { pageSize: '5' });
      assert.deepEqual(pages.slice(0, -1), pages.slice(0, -1).map(() => 5), 'every page but the last is full');
      const expected = [...tree].sort((a, b) => Number(Boolean(b.folder)) - Number(Boolean(a.folder)) || a.name.localeCompare(b.name)).map(({ name }) => name);
      assert.deepEqual(items.map(({ name }) => name), expected);
      assert.deepEqual(items.filter((item) => item.isFolder).map(({ mimetype }) => mimetype), [FOLDER_MIMETYPE, FOLDER_MIMETYPE]);
      assert.equal(items.find((item) => item.name === 'file-03.txt')?.size, bytesOf('file-03.txt').length);
      assert.equal(items.find((item) => item.name === 'photo.jpg')?.mimetype, 'image/jpeg');
    });

    test('sorts by name descending and by size, folders first each time', async () => {
      const byNameDown = (await listAll(folderId, { sort: 'name', direction: 'desc' })).items;
      assert.deepEqual(byNameDown.slice(0, 2).map(({ isFolder }) => isFolder), [true, true]);
      const files = byNameDown.filter((item) => !item.isFolder).map(({ name }) => name);
      assert.deepEqual(files, [...files].sort((a, b) => b.localeCompare(a)));
      const bySize = (await listAll(folderId, { sort: 'size', direction: 'asc' })).items.filter((item) => !item.isFolder);
      const sizes = bySize.map(({ size }) => size);
      assert.deepEqual(sizes, [...sizes].sort((a, b) => a - b));
    });

    test('the accept filter leaves out other files, keeps folders, and keeps pages full', async () => {
      const { items, pages } = await listAll(folderId, { accept: 'image/*', pageSize: '3' });
      assert.deepEqual(items.map(({ name }) => name), ['Alpha', 'Beta', 'diagram.png', 'photo.jpg']);
      assert.deepEqual(pages, [3, 1]);
    });

    test('a pick gives links that stream the bytes the source holds, and a Range of them', async () => {
      const [text, photo] = await pick('file-07.txt', 'photo.jpg');
      assert.equal(text!.filename, 'file-07.txt');
      assert.equal(text!.source, running.id);
      assert.equal(sha256(await (await fetch(text!.url)).arrayBuffer()), sha256(bytesOf('file-07.txt')));
      assert.equal(sha256(await (await fetch(photo!.url)).arrayBuffer()), sha256(bytesOf('photo.jpg')));
      const part = await fetch(text!.url, { headers: { Range: 'bytes=2-9' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('Content-Range'), `bytes 2-9/${bytesOf('file-07.txt').length}`);
      assert.equal(await part.text(), bytesOf('file-07.txt').subarray(2, 10).toString());
    });

    test('export: a name already taken is 409 FS_ERR_CONFLICT; "rename" keeps both', async () => {
      const clash = await call(`/api/export?${new URLSearchParams({ folderId, filename: 'file-01.txt' })}`, { method: 'POST', body: 'new words' });
      assert.equal(clash.status, 409);
      assert.equal(((await clash.json()) as { error: { code: string } }).error.code, 'FS_ERR_CONFLICT');
      assert.deepEqual(await running.read(folderName, 'file-01.txt'), bytesOf('file-01.txt'), 'the file that was there is unchanged');

      const renamed = await json<{ blob: FsBlob }>(await call(`/api/export?${new URLSearchParams({ folderId, filename: 'file-01.txt', conflict: 'rename' })}`, { method: 'POST', body: 'new words' }));
      assert.equal(renamed.blob.filename, 'file-01-1.txt');
      assert.equal((await running.read(folderName, 'file-01-1.txt')).toString(), 'new words');
    });

    test('write-back: a new version through the link; the source holds the new bytes', async () => {
      const exported = await json<{ blob: FsBlob }>(await call(`/api/export?${new URLSearchParams({ folderId, filename: 'draft.txt' })}`, { method: 'POST', body: 'first draft' }));
      const written = await json<{ blob: FsBlob }>(await call(`/api/write/${exported.blob.handle}`, { method: 'POST', body: 'second draft, longer' }));
      assert.equal(written.blob.size, 20);
      assert.equal((await running.read(folderName, 'draft.txt')).toString(), 'second draft, longer');
      assert.equal(await (await fetch(exported.blob.url)).text(), 'second draft, longer');
    });

    test('refusals reach the page as the error registry’s codes: an unknown folder is 404 FS_ERR_NOT_FOUND', async () => {
      const missing = await call(`/api/${segment}/folders/${running.missingId}`);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'FS_ERR_NOT_FOUND');
    });
  });
}
