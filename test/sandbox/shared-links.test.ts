import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { assertConforms, validateDefinition } from '../helpers/alfresco-spec.ts';
import { basic, CORE, startTestSandbox } from '../helpers/sandbox.ts';

interface SharedLink {
  id: string;
  nodeId: string;
  name: string;
  title?: string;
  sharedByUser: { id: string; displayName: string };
  content: { mimeType: string; sizeInBytes: number };
  expiresAt?: string;
  allowableOperations?: string[];
  allowableOperationsOnTarget?: string[];
}
interface Paging<T> { list: { pagination: { count: number; totalItems: number }; entries: Array<{ entry: T }> } }
interface ErrorBody { error: { statusCode: number; errorKey: string; briefSummary: string } }

const users = { admin: basic('admin', 'admin'), mjackson: basic('mjackson', 'mjackson'), abeecher: basic('abeecher', 'abeecher') };
const LIBRARY = 'Sites/swsdp/documentLibrary';

describe('sandbox: shared links', () => {
  let sandbox: RunningSandbox;
  const nodeId = (path: string): string => {
    const { repository, ids } = sandbox.state;
    return repository.resolve(repository.get(ids.companyHome)!, path)!.id;
  };
  const call = (path: string, { user, method = 'GET', body, headers = {} }: { user?: keyof typeof users; method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${sandbox.url}${CORE}${path}`, {
      method,
      headers: { ...(user ? { Authorization: users[user] } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const share = async (user: keyof typeof users, path: string, extra: Record<string, unknown> = {}): Promise<SharedLink> => {
    const response = await call('/shared-links', { user, method: 'POST', body: { nodeId: nodeId(path), ...extra } });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { entry: SharedLink }).entry;
  };

  let header: SharedLink;
  before(async () => {
    sandbox = await startTestSandbox();
    header = await share('mjackson', `${LIBRARY}/Agency Files/Images/header.png`);
  });
  after(() => sandbox.close());

  test('POST shared-links answers 200 with the link, and marks the node with qshare:sharedId', async () => {
    const response = await call('/shared-links', { user: 'mjackson', method: 'POST', body: { nodeId: nodeId(`${LIBRARY}/Budget Files/budget.xls`) } });
    const body = (await response.json()) as { entry: SharedLink };
    const node = (await (await call(`/nodes/${body.entry.nodeId}`, { user: 'mjackson' })).json()) as { entry: { aspectNames: string[]; properties: Record<string, unknown> } };

    assert.equal(response.status, 200);
    assertConforms('createSharedLink', response.status, body);
    assert.match(body.entry.id, /^[\w-]{16,}$/);
    assert.equal(body.entry.name, 'budget.xls');
    assert.equal(body.entry.title, 'Budget');
    assert.deepEqual(body.entry.sharedByUser, { id: 'mjackson', displayName: 'Mike Jackson' });
    assert.equal(body.entry.content.mimeType, 'application/vnd.ms-excel');
    assert.equal(node.entry.properties['qshare:sharedId'], body.entry.id);
    assert.ok(node.entry.aspectNames.includes('qshare:shared'));
  });

  test('sharing a file that already has a link is a 409', async () => {
    const response = await call('/shared-links', { user: 'abeecher', method: 'POST', body: { nodeId: header.nodeId } });
    const body = (await response.json()) as ErrorBody;

    assertConforms('createSharedLink', response.status, body);
    assert.equal(response.status, 409);
    assert.match(body.error.briefSummary, /Shared link already exists for nodeId/);
  });

  test('POST shared-links refuses folders (400), unknown nodes (404), unreadable files (403) and past expiry dates (400)', async () => {
    const folder = await call('/shared-links', { user: 'admin', method: 'POST', body: { nodeId: nodeId(`${LIBRARY}/Agency Files`) } });
    const unknown = await call('/shared-links', { user: 'admin', method: 'POST', body: { nodeId: 'no-such-node' } });
    const unreadable = await call('/shared-links', { user: 'abeecher', method: 'POST', body: { nodeId: nodeId('Sites/board-room/documentLibrary/Strategy 2012.docx') } });
    const expired = await call('/shared-links', { user: 'admin', method: 'POST', body: { nodeId: nodeId(`${LIBRARY}/Agency Files/Images/coins.JPG`), expiresAt: '2011-01-01T00:00:00.000+0000' } });
    const noNode = await call('/shared-links', { user: 'admin', method: 'POST', body: { expiresAt: '2031-01-01T00:00:00.000+0000' } });

    assert.equal(folder.status, 400);
    assert.equal(unknown.status, 404);
    assert.equal(unreadable.status, 403);
    assert.equal(expired.status, 400);
    assert.equal(noNode.status, 400);
  });

  test('an expiry date in the future is kept on the link', async () => {
    const link = await share('admin', `${LIBRARY}/Agency Files/Images/coins.JPG`, { expiresAt: '2031-01-01T00:00:00.000+0000' });

    assert.equal(link.expiresAt, '2031-01-01T00:00:00.000+0000');
  });

  test('GET shared-links/{id} needs no sign-in', async () => {
    const response = await call(`/shared-links/${header.id}`);
    const body = (await response.json()) as { entry: SharedLink };
    const narrowed = (await (await call(`/shared-links/${header.id}?fields=id,name`)).json()) as { entry: SharedLink };

    assert.equal(response.status, 200);
    assertConforms('getSharedLink', response.status, body);
    assert.deepEqual([body.entry.id, body.entry.nodeId, body.entry.name], [header.id, nodeId(`${LIBRARY}/Agency Files/Images/header.png`), 'header.png']);
    assert.deepEqual(narrowed.entry, { id: header.id, name: 'header.png' });
  });

  test('GET shared-links/{id}/content streams the file without sign-in, whole or a Range', async () => {
    const original = Buffer.from(await (await call(`/nodes/${header.nodeId}/content`, { user: 'admin' })).arrayBuffer());
    const whole = await call(`/shared-links/${header.id}/content`);
    const part = await call(`/shared-links/${header.id}/content`, { headers: { Range: 'bytes=0-7' } });
    const beyond = await call(`/shared-links/${header.id}/content`, { headers: { Range: `bytes=${original.length + 10}-` } });

    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('Content-Type'), 'image/png');
    assert.match(whole.headers.get('Content-Disposition') ?? '', /^attachment; filename="header.png"/);
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), original);
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('Content-Range'), `bytes 0-7/${original.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), original.subarray(0, 8));
    assert.equal(beyond.status, 416);
  });

  test('shared content answers 304 to If-Modified-Since and goes inline with attachment=false', async () => {
    const notModified = await call(`/shared-links/${header.id}/content`, { headers: { 'If-Modified-Since': new Date().toUTCString() } });
    const inline = await call(`/shared-links/${header.id}/content?attachment=false`);

    assert.equal(notModified.status, 304);
    assert.match(inline.headers.get('Content-Disposition') ?? '', /^inline;/);
    await inline.body?.cancel();
  });

  test('a shared image’s thumbnail is public too', async () => {
    const list = (await (await call(`/shared-links/${header.id}/renditions`)).json()) as Paging<{ id: string; status: string }>;
    const doclib = await call(`/shared-links/${header.id}/renditions/doclib/content`);
    const thumbnail = Buffer.from(await doclib.arrayBuffer());
    const { width, height, format } = await sharp(thumbnail).metadata();
    const missing = await call(`/shared-links/${header.id}/renditions/imgpreview/content`);

    assert.ok(list.list.entries.some(({ entry }) => entry.id === 'doclib' && entry.status === 'CREATED'));
    assert.equal(doclib.status, 200);
    assert.equal(doclib.headers.get('Content-Type'), 'image/png');
    assert.equal(format, 'png');
    assert.ok(Math.max(width, height) <= 100, `${width}×${height} fits 100×100`);
    assert.equal(missing.status, 404);
  });

  test('unknown and expired links are not found', async () => {
    const { repository } = sandbox.state;
    repository.addSharedLink({ id: 'expired-link-for-tests', nodeId: nodeId(`${LIBRARY}/Agency Files/Images/grass.jpg`), sharedBy: 'admin', expiresAt: new Date(Date.now() - 1000) });

    assert.equal((await call('/shared-links/no-such-link')).status, 404);
    assert.equal((await call('/shared-links/no-such-link/content')).status, 404);
    assert.equal((await call('/shared-links/expired-link-for-tests')).status, 404);
    assert.equal((await call('/shared-links/expired-link-for-tests/content')).status, 404);
  });

  test('GET shared-links lists links to files the caller can read; sharedByUser filters', async () => {
    const board = await share('admin', 'Sites/board-room/documentLibrary/Board minutes 2011-03.pdf');
    const list = async (user: keyof typeof users, where?: string) => {
      const response = await call(`/shared-links${where ? `?where=${encodeURIComponent(where)}` : ''}`, { user });
      const body = (await response.json()) as Paging<SharedLink>;
      assertConforms('listSharedLinks', response.status, body);
      return body.list.entries.map(({ entry }) => entry.id);
    };

    const mine = await list('mjackson', "(sharedByUser='-me-')");
    const abeecherSees = await list('abeecher');
    const byMjackson = await list('abeecher', "(sharedByUser='mjackson')");

    assert.ok(mine.includes(header.id));
    assert.ok(!mine.includes(board.id));
    assert.ok(abeecherSees.includes(header.id));
    assert.ok(!abeecherSees.includes(board.id), 'abeecher cannot read the board room');
    assert.ok(byMjackson.includes(header.id));
    assert.deepEqual(await list('abeecher', "(sharedByUser='-me-')"), []);
    assert.ok((await list('mjackson')).includes(board.id), 'mjackson is a member of the board room');
  });

  test('include=allowableOperations tells who may delete the link and what they may do with the file', async () => {
    const entryFor = async (user: keyof typeof users) => {
      const body = (await (await call('/shared-links?include=allowableOperations', { user })).json()) as Paging<SharedLink>;
      return body.list.entries.find(({ entry }) => entry.id === header.id)!.entry;
    };

    const sharer = await entryFor('mjackson');
    const collaborator = await entryFor('abeecher');

    assert.deepEqual(sharer.allowableOperations, ['delete']);
    assert.deepEqual(collaborator.allowableOperations, []);
    assert.deepEqual(collaborator.allowableOperationsOnTarget, ['delete', 'update', 'create']);
  });

  test('a list body shares several files at once, or none when one of them fails', async () => {
    const notes = ['2011-01-27', '2011-02-03', '2011-02-10'].map((date) => nodeId(`${LIBRARY}/Meeting Notes/Meeting Notes ${date}.doc`));
    const both = await call('/shared-links', { user: 'mjackson', method: 'POST', body: [{ nodeId: notes[0] }, { nodeId: notes[1] }] });
    const body = (await both.json()) as Paging<SharedLink>;
    const clash = await call('/shared-links', { user: 'mjackson', method: 'POST', body: [{ nodeId: notes[2] }, { nodeId: notes[0] }] });

    assert.equal(both.status, 200);
    assert.deepEqual(validateDefinition('SharedLinkPaging', body), []);
    assert.deepEqual(body.list.entries.map(({ entry }) => entry.nodeId), [notes[0], notes[1]]);
    assert.equal(clash.status, 409);
    assert.equal(sandbox.state.repository.get(notes[2]!)!.properties['qshare:sharedId'], undefined);
  });

  test('DELETE shared-links/{id}: 403 for a collaborator, 204 for the sharer, then the link is gone', async () => {
    const link = await share('mjackson', `${LIBRARY}/Agency Files/Images/money.JPG`);

    const refused = await call(`/shared-links/${link.id}`, { user: 'abeecher', method: 'DELETE' });
    const deleted = await call(`/shared-links/${link.id}`, { user: 'mjackson', method: 'DELETE' });
    const afterwards = await call(`/shared-links/${link.id}`);
    const again = await call(`/shared-links/${link.id}`, { user: 'mjackson', method: 'DELETE' });

    assert.equal(refused.status, 403);
    assertConforms('deleteSharedLink', deleted.status, await deleted.text() || undefined);
    assert.equal(deleted.status, 204);
    assert.equal(afterwards.status, 404);
    assert.equal(again.status, 404);
    assert.equal(sandbox.state.repository.get(link.nodeId)!.properties['qshare:sharedId'], undefined);
  });

  test('creating, listing and deleting links need a signed-in user', async () => {
    const create = await call('/shared-links', { method: 'POST', body: { nodeId: header.nodeId } });
    const list = await call('/shared-links');
    const remove = await call(`/shared-links/${header.id}`, { method: 'DELETE' });

    assert.equal(create.status, 401);
    assert.equal(list.status, 401);
    assert.equal(remove.status, 401);
    assert.equal((await call(`/shared-links/${header.id}`)).status, 200);
  });
});
