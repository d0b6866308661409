import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { BrowseItem, FolderListing, LocationsResponse, SearchResults } from '../../src/protocol/browse.ts';
import { startCompanion, type CompanionHarness } from '../helpers/companion.ts';
import { CORE, basic, nodeAt as nodeAtIn, type NodeJson } from '../helpers/sandbox.ts';

let h: CompanionHarness;
let admin: string;
let abeecher: string;
const ids: Record<string, string> = {};

const nodeAt = (path: string, user = 'admin'): Promise<NodeJson> => nodeAtIn(h.sandbox, path, user);

async function get<T>(path: string, session = admin): Promise<{ status: number; body: T; response: Response }> {
  const response = await h.call(path, { session });
  const text = await response.clone().text();
  return { status: response.status, body: (text && response.headers.get('Content-Type')?.includes('json') ? JSON.parse(text) : undefined) as T, response };
}

before(async () => {
  h = await startCompanion();
  admin = await h.connect('admin');
  abeecher = await h.connect('abeecher');
  for (const path of ['Many Files', 'Pictures', 'Documents', 'Data']) ids[path] = (await nodeAt(path)).id;
});
after(() => h.close());

describe('GET /api/alfresco/locations', () => {
  test('admin: My Files, Shared Files, both sites with their document libraries, and the repository', async () => {
    const { status, body } = await get<LocationsResponse>('/api/alfresco/locations');
    assert.equal(status, 200);
    const kinds = body.locations.map((location) => `${location.kind}:${location.siteId ?? location.id}`);
    assert.deepEqual(kinds, ['my:-my-', 'shared:-shared-', 'site:board-room', 'site:swsdp', 'root:-root-'].sort((a, b) => (a.startsWith('site') && b.startsWith('site') ? a.localeCompare(b) : 0)));
    const swsdp = body.locations.find((location) => location.siteId === 'swsdp')!;
    const library = await (await fetch(`${h.sandbox.url}${CORE}/sites/swsdp/containers/documentLibrary`, { headers: { Authorization: basic('admin') } })).json() as { entry: { folderId: string } };
    assert.equal(swsdp.id, library.entry.folderId);
    const listing = await get<FolderListing>(`/api/alfresco/folders/${swsdp.id}`);
    assert.equal(listing.status, 200);
    assert.ok(listing.body.items.some((item) => item.name === 'Agency Files' && item.isFolder));
  });

  test('a member of one site sees only that site; the root is offered because she may read it', async () => {
    const { body } = await get<LocationsResponse>('/api/alfresco/locations', abeecher);
    assert.deepEqual(body.locations.filter((l) => l.kind === 'site').map((l) => l.siteId), ['swsdp']);
    assert.ok(!body.locations.some((l) => l.siteId === 'board-room'));
    // Company Home is readable by every user in Alfresco (and the sandbox), so it is listed.
    assert.ok(body.locations.some((l) => l.kind === 'root'));
  });

  test('without a session: 401 FS_ERR_NOT_CONNECTED', async () => {
    const response = await h.call('/api/alfresco/locations');
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'FS_ERR_NOT_CONNECTED');
  });
});

describe('GET /api/alfresco/folders/:id', () => {
  test('My Files: folder with breadcrumbs and write right, folders first then files by name', async () => {
    const { status, body } = await get<FolderListing>('/api/alfresco/folders/-my-');
    assert.equal(status, 200);
    assert.deepEqual(body.folder.path.map((crumb) => crumb.name), ['Company Home', 'User Homes', 'admin']);
    assert.equal(body.folder.canWrite, true);
    const firstFile = body.items.findIndex((item) => !item.isFolder);
    assert.ok(firstFile > 0 && body.items.slice(firstFile).every((item) => !item.isFolder), 'folders first');
    const welcome = body.items.find((item) => item.name === 'welcome.txt')!;
    assert.equal(welcome.mimetype, 'text/plain');
    assert.ok(welcome.size > 0);
    assert.match(welcome.modified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(welcome.thumbnailUrl!, /\/api\/alfresco\/thumbnails\/[^?]+\?key=.+&grant=.+&exp=\d+&sig=/);
    const folder = body.items.find((item) => item.name === 'Pictures')!;
    assert.deepEqual({ ...folder, id: 'x', modified: 'x' }, { id: 'x', name: 'Pictures', isFolder: true, mimetype: 'inode/directory', size: 0, modified: 'x', canWrite: true });
    assert.equal(body.nextCursor, undefined);
  });

  test('accept=.json with pageSize 50 fills every page from a folder where a third matches, across upstream pages', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await get<FolderListing>(`/api/alfresco/folders/${ids['Many Files']}?accept=.json&pageSize=50${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(status, 200);
      pages++;
      if (body.nextCursor) assert.equal(body.items.length, 50, `page ${pages} is full`);
      for (const item of body.items) {
        assert.match(item.name, /\.json$/);
        assert.ok(!seen.has(item.id), 'no item twice');
        seen.add(item.id);
      }
      cursor = body.nextCursor;
      if (pages === 3 && cursor) {
        // Skip ahead to the end faster: big pages.
        break;
      }
    } while (cursor);
    assert.equal(seen.size, 150);
    // The rest with the largest page: 3333 json files in all (every third of 10,000).
    let total = seen.size;
    while (cursor) {
      const { body } = await get<FolderListing>(`/api/alfresco/folders/${ids['Many Files']}?accept=.json&pageSize=50&cursor=${cursor}`);
      assert.ok(body.items.length === 50 || !body.nextCursor);
      total += body.items.length;
      cursor = body.nextCursor;
    }
    assert.equal(total, 3333);
  });

  test('mimetype patterns: image/* in Pictures keeps images; a filter nothing matches gives folders only and no cursor', async () => {
    const images = await get<FolderListing>(`/api/alfresco/folders/${ids.Pictures}?accept=image/*`);
    assert.ok(images.body.items.length >= 8);
    assert.ok(images.body.items.every((item) => item.mimetype.startsWith('image/')));
    const none = await get<FolderListing>(`/api/alfresco/folders/-my-?accept=application/x-nothing&pageSize=5`);
    assert.equal(none.status, 200);
    assert.ok(none.body.items.length > 0 && none.body.items.every((item) => item.isFolder), 'folders only');
    // More than five folders: the page is full of folders, the next one has the rest and then ends.
    let cursor = none.body.nextCursor;
    const folders = none.body.items.map((item) => item.name);
    while (cursor) {
      const next = await get<FolderListing>(`/api/alfresco/folders/-my-?accept=application/x-nothing&pageSize=5&cursor=${cursor}`);
      assert.ok(next.body.items.length > 0, 'never an empty page');
      assert.ok(next.body.items.every((item) => item.isFolder));
      folders.push(...next.body.items.map((item) => item.name));
      cursor = next.body.nextCursor;
    }
    const all = await get<FolderListing>('/api/alfresco/folders/-my-?pageSize=1000');
    assert.deepEqual(folders, all.body.items.filter((item) => item.isFolder).map((item) => item.name));
    assert.ok(folders.includes('Many Files'));
    const zero = await get<FolderListing>(`/api/alfresco/folders/${ids.Pictures}?accept=application/pdf`);
    assert.deepEqual(zero.body.items, []);
    assert.equal(zero.body.nextCursor, undefined);
  });

  test('exact types and */*', async () => {
    const csv = await get<FolderListing>(`/api/alfresco/folders/${ids.Data}?accept=text/csv`);
    assert.deepEqual(csv.body.items.map((item) => item.name), ['visitors.csv']);
    const all = await get<FolderListing>(`/api/alfresco/folders/${ids.Data}?accept=*/*`);
    assert.equal(all.body.items.length, 4);
  });

  test('sort by size descending and by modified; folders stay first', async () => {
    const { body } = await get<FolderListing>(`/api/alfresco/folders/${ids.Pictures}?sort=size&direction=desc`);
    const sizes = body.items.map((item) => item.size);
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
    assert.equal(body.items[0]!.name, 'panorama 6000x4000.jpg');
    const byName = await get<FolderListing>(`/api/alfresco/folders/-my-?sort=name&direction=desc&pageSize=1000`);
    const files = byName.body.items.filter((item) => !item.isFolder).map((item) => item.name);
    assert.deepEqual(files, [...files].sort((a, b) => b.localeCompare(a, 'en', { sensitivity: 'base', numeric: true })));
    assert.ok(byName.body.items[0]!.isFolder);
    const modified = await get<FolderListing>(`/api/alfresco/folders/-my-?sort=modified`);
    assert.equal(modified.status, 200);
  });

  test('cursor round trip without a filter: pages follow each other without gaps', async () => {
    const first = await get<FolderListing>(`/api/alfresco/folders/${ids['Many Files']}?pageSize=1000`);
    const second = await get<FolderListing>(`/api/alfresco/folders/${ids['Many Files']}?pageSize=1000&cursor=${first.body.nextCursor}`);
    assert.equal(first.body.items.length, 1000);
    assert.equal(first.body.items[999]!.name, 'item 01000.txt');
    assert.equal(second.body.items[0]!.name, 'item 01001.csv');
  });

  test('bad cursors and parameters are 400s that name the field', async () => {
    for (const cursor of ['nonsense', 'eyJ2IjoxLCJvIjo1LCJoIjoiYSJ9.AAAA']) {
      const { status, body } = await get<{ error: { code: string; field: string } }>(`/api/alfresco/folders/-my-?cursor=${cursor}`);
      assert.equal(status, 400);
      assert.equal(body.error.field, 'cursor');
    }
    const first = await get<FolderListing>(`/api/alfresco/folders/${ids['Many Files']}?pageSize=10`);
    const other = await get<{ error: { field: string; message: string } }>(`/api/alfresco/folders/${ids['Many Files']}?pageSize=10&sort=size&cursor=${first.body.nextCursor}`);
    assert.equal(other.status, 400);
    assert.equal(other.body.error.field, 'cursor');
    assert.match(other.body.error.message, /another listing, order or filter/);
    for (const [query, field] of [['pageSize=0', 'pageSize'], ['pageSize=1001', 'pageSize'], ['sort=colour', 'sort'], ['direction=up', 'direction'], ['accept=foo', 'accept']]) {
      const { status, body } = await get<{ error: { field: string } }>(`/api/alfresco/folders/-my-?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.error.field, field);
    }
  });

  test('a folder the user may not read is 403; an unknown one 404', async () => {
    const board = await fetch(`${h.sandbox.url}${CORE}/sites/board-room/containers/documentLibrary`, { headers: { Authorization: basic('admin') } });
    const { entry } = (await board.json()) as { entry: { folderId: string } };
    const forbidden = await get<{ error: { code: string } }>(`/api/alfresco/folders/${entry.folderId}`, abeecher);
    assert.ok(forbidden.status === 403 || forbidden.status === 404, String(forbidden.status));
    const unknown = await get<{ error: { code: string } }>('/api/alfresco/folders/no-such-node');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'FS_ERR_NOT_FOUND');
  });
});

describe('GET /api/alfresco/search', () => {
  test('by name prefix, optionally under a folder, with the same filters and paging', async () => {
    const all = await get<SearchResults>(`/api/alfresco/search?q=${encodeURIComponent('item 0000')}&pageSize=5`);
    assert.equal(all.status, 200);
    assert.equal(all.body.items.length, 5);
    assert.ok(all.body.nextCursor);
    const next = await get<SearchResults>(`/api/alfresco/search?q=${encodeURIComponent('item 0000')}&pageSize=5&cursor=${all.body.nextCursor}`);
    assert.equal(next.body.items.length, 4);
    assert.equal(next.body.nextCursor, undefined);
    const json = await get<SearchResults>(`/api/alfresco/search?q=item&accept=.json&pageSize=20&folderId=${ids['Many Files']}`);
    assert.equal(json.body.items.length, 20);
    assert.ok(json.body.items.every((item: BrowseItem) => item.name.endsWith('.json')));
    const under = await get<SearchResults>(`/api/alfresco/search?q=panorama&folderId=-my-`);
    assert.deepEqual(under.body.items.map((item) => item.name), ['panorama 6000x4000.jpg']);
    const elsewhere = await get<SearchResults>(`/api/alfresco/search?q=panorama&folderId=${ids.Documents}`);
    assert.deepEqual(elsewhere.body.items, []);
    const missing = await get<{ error: { field: string } }>('/api/alfresco/search');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.field, 'q');
  });

  test('a user finds only what she may read', async () => {
    const { body } = await get<SearchResults>(`/api/alfresco/search?q=Board`, abeecher);
    assert.ok(!body.items.some((item) => item.name.startsWith('Board minutes')));
    const asAdmin = await get<SearchResults>(`/api/alfresco/search?q=Board`);
    assert.ok(asAdmin.body.items.some((item) => item.name.startsWith('Board minutes')));
  });
});

describe('GET /api/alfresco/thumbnails/:id', () => {
  const thumbOf = async (folder: string, name: string) => {
    const { body } = await get<FolderListing>(`/api/alfresco/folders/${ids[folder]}?pageSize=100`);
    const item = body.items.find((entry) => entry.name === name)!;
    const url = new URL(item.thumbnailUrl!);
    return { item, path: url.pathname + url.search };
  };

  test('an image’s doclib PNG, loadable without headers, cacheable, with an ETag', async () => {
    const { path } = await thumbOf('Pictures', 'panorama 6000x4000.jpg');
    // As an <img> would: no Origin, no Authorization.
    const response = await h.app.request(path);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('Content-Type'), 'image/png');
    assert.match(response.headers.get('Cache-Control')!, /^private, max-age=\d+$/);
    const etag = response.headers.get('ETag');
    assert.ok(etag);
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    assert.equal(meta.format, 'png');
    assert.ok(Math.max(meta.width, meta.height) <= 100 && meta.width > meta.height, 'a landscape thumbnail');
    const again = await h.app.request(path, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
  });

  test('a PDF gets Alfresco’s placeholder', async () => {
    const { item, path } = await thumbOf('Documents', 'Project brief.pdf');
    const response = await h.app.request(path);
    assert.equal(response.status, 200);
    const placeholder = await fetch(`${h.sandbox.url}${CORE}/nodes/${item.id}/renditions/doclib/content?placeholder=true`, { headers: { Authorization: basic('admin') } });
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), Buffer.from(await placeholder.arrayBuffer()));
  });

  test('a tampered, borrowed or expired signature is 403', async () => {
    const { path, item } = await thumbOf('Pictures', 'icon 64x64.png');
    const tampered = path.replace(/sig=([^&]+)/, (_, sig: string) => `sig=${sig.slice(0, -2)}AA`);
    assert.equal((await h.app.request(tampered)).status, 403);
    const other = await thumbOf('Pictures', 'panorama 6000x4000.jpg');
    assert.equal((await h.app.request(other.path.replace(other.item.id, item.id))).status, 403, 'a signature is for one node');
    const expired = path.replace(/exp=(\d+)/, 'exp=1000');
    const response = await h.app.request(expired);
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'FS_ERR_FORBIDDEN');
  });
});
