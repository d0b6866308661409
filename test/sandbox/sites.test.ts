import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { assertConforms, validateDefinition } from '../helpers/alfresco-spec.ts';
import { basic, CORE, startTestSandbox } from '../helpers/sandbox.ts';

interface Site { id: string; guid: string; title: string; visibility: string; role?: string; description?: string }
interface Paging<T> { list: { pagination: { count: number; hasMoreItems: boolean; totalItems: number; skipCount: number; maxItems: number }; entries: Array<{ entry: T; relations?: Record<string, Paging<Record<string, unknown>>> }> } }
interface ErrorBody { error: { statusCode: number; errorKey: string; briefSummary: string } }

const users = { admin: basic('admin', 'admin'), mjackson: basic('mjackson', 'mjackson'), abeecher: basic('abeecher', 'abeecher') };

describe('sandbox: sites', () => {
  let sandbox: RunningSandbox;
  const get = async <T>(path: string, user: keyof typeof users | null = 'admin'): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${sandbox.url}${CORE}${path}`, { headers: user ? { Authorization: users[user] } : {} });
    return { status: response.status, body: (await response.json()) as T };
  };
  const nodeId = (path: string): string => {
    const { repository, ids } = sandbox.state;
    return repository.resolve(repository.get(ids.companyHome)!, path)!.id;
  };

  before(async () => (sandbox = await startTestSandbox()));
  after(() => sandbox.close());

  test('GET sites lists public sites and the private ones the user belongs to, by title, with the user’s role', async () => {
    const abeecher = await get<Paging<Site>>('/sites', 'abeecher');
    const mjackson = await get<Paging<Site>>('/sites', 'mjackson');

    assert.equal(abeecher.status, 200);
    assertConforms('listSites', abeecher.status, abeecher.body);
    assert.deepEqual(abeecher.body.list.entries.map(({ entry }) => [entry.id, entry.visibility, entry.role]), [['swsdp', 'PUBLIC', 'SiteCollaborator']]);
    assert.deepEqual(mjackson.body.list.entries.map(({ entry }) => [entry.title, entry.role]), [['Board Room', 'SiteConsumer'], ['Sample: Web Site Design Project', 'SiteManager']]);
    assert.equal(mjackson.body.list.entries[1]!.entry.guid, nodeId('Sites/swsdp'));
    assert.deepEqual(mjackson.body.list.pagination, { count: 2, hasMoreItems: false, totalItems: 2, skipCount: 0, maxItems: 100 });
  });

  test('GET sites takes orderBy, where, skipCount and maxItems, and fields', async () => {
    const byIdDescending = await get<Paging<Site>>('/sites?orderBy=id%20DESC');
    const privateOnly = await get<Paging<Site>>(`/sites?where=${encodeURIComponent("(visibility='PRIVATE')")}`);
    const secondPage = await get<Paging<Site>>('/sites?skipCount=1&maxItems=1');
    const idsOnly = await get<Paging<Site>>('/sites?fields=id,visibility');

    assert.deepEqual(byIdDescending.body.list.entries.map(({ entry }) => entry.id), ['swsdp', 'board-room']);
    assert.deepEqual(privateOnly.body.list.entries.map(({ entry }) => entry.id), ['board-room']);
    assert.deepEqual(secondPage.body.list.entries.map(({ entry }) => entry.id), ['swsdp']);
    assert.deepEqual(secondPage.body.list.pagination, { count: 1, hasMoreItems: false, totalItems: 2, skipCount: 1, maxItems: 1 });
    assert.deepEqual(idsOnly.body.list.entries[0]!.entry, { id: 'board-room', visibility: 'PRIVATE' });
  });

  test('GET sites refuses an unknown orderBy field or where property with a 400', async () => {
    const badOrder = await get<ErrorBody>('/sites?orderBy=createdAt');
    const badWhere = await get<ErrorBody>(`/sites?where=${encodeURIComponent("(owner='admin')")}`);

    assert.equal(badOrder.status, 400);
    assert.equal(badWhere.status, 400);
    assert.equal(badWhere.body.error.errorKey, 'framework.exception.InvalidArgument');
  });

  test('relations=containers,members embeds both collections beside each entry', async () => {
    const { status, body } = await get<Paging<Site>>('/sites?relations=containers,members&orderBy=id', 'mjackson');
    const swsdp = body.list.entries.find(({ entry }) => entry.id === 'swsdp')!;

    assert.equal(status, 200);
    assertConforms('listSites', status, body);
    assert.deepEqual(validateDefinition('SiteContainerPaging', swsdp.relations!.containers), []);
    assert.deepEqual(validateDefinition('SiteMemberPaging', swsdp.relations!.members), []);
    assert.deepEqual(swsdp.relations!.containers!.list.entries[0]!.entry, { id: 'documentLibrary', folderId: nodeId('Sites/swsdp/documentLibrary') });
    assert.deepEqual(
      swsdp.relations!.members!.list.entries.map(({ entry }) => [entry.id, entry.role, (entry.person as { displayName: string }).displayName]),
      [['admin', 'SiteManager', 'Administrator'], ['mjackson', 'SiteManager', 'Mike Jackson'], ['abeecher', 'SiteCollaborator', 'Alice Beecher']],
    );
  });

  test('an unknown relation is a 404, as Alfresco’s resource locator answers it', async () => {
    const { status, body } = await get<ErrorBody>('/sites/swsdp?relations=owners');

    assert.equal(status, 404);
    assert.equal(body.error.errorKey, 'framework.exception.NotFound');
  });

  test('GET sites/{siteId} answers a site entry, and fields narrows it', async () => {
    const site = await get<{ entry: Site }>('/sites/swsdp', 'abeecher');
    const narrowed = await get<{ entry: Site }>('/sites/swsdp?fields=id,title', 'abeecher');

    assert.equal(site.status, 200);
    assertConforms('getSite', site.status, site.body);
    assertConforms('getSite', narrowed.status, narrowed.body, 'fields', { fields: ['id', 'title'] });
    assert.deepEqual(site.body.entry, {
      id: 'swsdp',
      guid: nodeId('Sites/swsdp'),
      title: 'Sample: Web Site Design Project',
      description: 'This is a Sample Alfresco Team site.',
      visibility: 'PUBLIC',
      preset: 'site-dashboard',
      role: 'SiteCollaborator',
    });
    assert.deepEqual(narrowed.body.entry, { id: 'swsdp', title: 'Sample: Web Site Design Project' });
  });

  test('a private site is not found for a non-member, and found for members and administrators', async () => {
    const abeecher = await get<ErrorBody>('/sites/board-room', 'abeecher');
    const mjackson = await get<{ entry: Site }>('/sites/board-room', 'mjackson');
    const admin = await get<{ entry: Site }>('/sites/board-room', 'admin');
    const unknown = await get<ErrorBody>('/sites/no-such-site');

    assertConforms('getSite', abeecher.status, abeecher.body);
    assert.equal(abeecher.status, 404);
    assert.equal(abeecher.body.error.errorKey, 'framework.exception.EntityNotFound');
    assert.match(abeecher.body.error.briefSummary, /The entity with id: board-room was not found/);
    assert.equal(mjackson.status, 200);
    assert.equal(mjackson.body.entry.role, 'SiteConsumer');
    assert.equal(admin.body.entry.role, 'SiteManager');
    assert.equal(unknown.status, 404);
  });

  test('GET sites/{siteId}/containers lists the site’s containers', async () => {
    const { status, body } = await get<Paging<{ id: string; folderId: string }>>('/sites/swsdp/containers', 'abeecher');

    assert.equal(status, 200);
    assertConforms('listSiteContainers', status, body);
    assert.deepEqual(body.list.entries.map(({ entry }) => entry.id), ['documentLibrary', 'dataLists', 'discussions', 'links', 'wiki']);
  });

  test('GET sites/{siteId}/containers/documentLibrary gives the folder to browse', async () => {
    const { status, body } = await get<{ entry: { id: string; folderId: string } }>('/sites/swsdp/containers/documentLibrary', 'abeecher');
    const children = await get<Paging<{ name: string }>>(`/nodes/${body.entry.folderId}/children`, 'abeecher');

    assert.equal(status, 200);
    assertConforms('getSiteContainer', status, body);
    assert.deepEqual(body.entry, { id: 'documentLibrary', folderId: nodeId('Sites/swsdp/documentLibrary') });
    assert.equal(children.status, 200);
    assert.ok(children.body.list.entries.some(({ entry }) => entry.name === 'Agency Files'));
  });

  test('containers of an unknown container, or of a private site the user is not in, are not found', async () => {
    const unknownContainer = await get<ErrorBody>('/sites/swsdp/containers/calendar');
    const privateContainers = await get<ErrorBody>('/sites/board-room/containers', 'abeecher');
    const privateLibrary = await get<ErrorBody>('/sites/board-room/containers/documentLibrary', 'abeecher');

    assert.equal(unknownContainer.status, 404);
    assert.equal(privateContainers.status, 404);
    assert.equal(privateLibrary.status, 404);
  });

  test('GET people/-me-/sites lists the caller’s memberships with their roles', async () => {
    const mjackson = await get<Paging<{ site: Site; id: string; guid: string; role: string }>>('/people/-me-/sites', 'mjackson');
    const abeecher = await get<Paging<{ site: Site; id: string; guid: string; role: string }>>('/people/-me-/sites', 'abeecher');

    assert.equal(mjackson.status, 200);
    assertConforms('listSiteMembershipsForPerson', mjackson.status, mjackson.body);
    assert.deepEqual(mjackson.body.list.entries.map(({ entry }) => [entry.id, entry.role, entry.site.id, entry.guid === entry.site.guid]), [
      ['board-room', 'SiteConsumer', 'board-room', true],
      ['swsdp', 'SiteManager', 'swsdp', true],
    ]);
    assert.deepEqual(abeecher.body.list.entries.map(({ entry }) => [entry.id, entry.role]), [['swsdp', 'SiteCollaborator']]);
  });

  test('GET people/{personId}/sites orders by role, and shows only sites the caller can see', async () => {
    const byRole = await get<Paging<{ id: string; role: string }>>('/people/mjackson/sites?orderBy=role%20DESC', 'admin');
    const seenByAbeecher = await get<Paging<{ id: string }>>('/people/mjackson/sites', 'abeecher');
    const unknown = await get<ErrorBody>('/people/nobody/sites');

    assert.deepEqual(byRole.body.list.entries.map(({ entry }) => entry.role), ['SiteManager', 'SiteConsumer']);
    assert.deepEqual(seenByAbeecher.body.list.entries.map(({ entry }) => entry.id), ['swsdp']);
    assert.equal(unknown.status, 404);
  });

  test('sites need a signed-in user', async () => {
    const sites = await get<ErrorBody>('/sites', null);
    const mySites = await get<ErrorBody>('/people/-me-/sites', null);

    assert.equal(sites.status, 401);
    assert.equal(mySites.status, 401);
  });
});
