/**
 * Conformance: the official `@alfresco/js-api` v10 against the sandbox, through the flows of the notes §4.5
 * and more. Every response js-api receives is recorded raw and checked against the Alfresco spec (see
 * test/helpers/alfresco-spec.ts); a response that does not conform fails the test of its flow.
 */
import {
  AlfrescoApi,
  ContentApi,
  NodesApi,
  PeopleApi,
  QueriesApi,
  RenditionsApi,
  SearchApi,
  SharedlinksApi,
  SitesApi,
  UploadApi,
  type NodeEntry,
} from '@alfresco/js-api';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/sandbox.ts';
import { createJsApi, ExchangeRecorder, refusedLogin, rejectionOf, type Exchange } from '../../helpers/alfresco-js-api.ts';
import { ALFRESCO_DATE_TIME } from '../../helpers/alfresco-spec.ts';

const CORE = '/alfresco/api/-default-/public/alfresco/versions/1';
const CONTRACTS = 'Sites/swsdp/documentLibrary/Agency Files/Contracts';
const DEEP = ['Deep', ...Array.from({ length: 10 }, (_, i) => `Level ${i + 1}`)].join('/');

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function bytesOf(content: unknown): Promise<Buffer> {
  if (Buffer.isBuffer(content)) return content;
  if (content instanceof Blob) return Buffer.from(await content.arrayBuffer());
  if (content instanceof ArrayBuffer) return Buffer.from(content);
  throw new TypeError(`js-api returned ${Object.prototype.toString.call(content)} for content`);
}

const operationsOf = (exchanges: readonly Exchange[]): string[] => exchanges.map((exchange) => exchange.operation?.operationId ?? `${exchange.method} ${exchange.url}`);

describe('conformance: @alfresco/js-api v10 against the sandbox', () => {
  let sandbox: RunningSandbox;
  const recorder = new ExchangeRecorder();
  let api: AlfrescoApi;
  let nodes: NodesApi;
  let ticket: string;
  /** A folder of admin's My Files that the upload flows write into. */
  let work: string;
  let libraryId: string;

  /** A test whose every recorded js-api exchange must conform to the spec; returns them for more checks. */
  const flow = (name: string, body: () => Promise<void | ((exchanges: Exchange[]) => void)>): void => {
    test(name, async () => {
      recorder.take();
      const more = await body();
      const exchanges = recorder.assertAllConform();
      assert.ok(exchanges.length > 0, 'the flow made no request');
      if (more) more(exchanges);
    });
  };

  before(async () => {
    sandbox = await startSandbox();
    api = createJsApi(sandbox.url, recorder);
    nodes = new NodesApi(api);
  });
  after(() => sandbox?.close());

  flow('login: POST tickets returns a ticket that js-api then sends as ROLE_TICKET', async () => {
    const issued: unknown = await api.login('admin', 'admin');
    assert.ok(typeof issued === 'string' && /^TICKET_\w+$/.test(issued), `login resolves to the ticket, got ${String(issued)}`);
    ticket = issued;
    assert.equal(api.getTicketEcm(), ticket);
    assert.equal(api.isLoggedIn(), true);
    return (exchanges) => assert.deepEqual(operationsOf(exchanges), ['createTicket']);
  });

  flow('a wrong password is refused with 403 and Alfresco’s error JSON', async () => {
    const other = createJsApi(sandbox.url, recorder);
    const rejection = await refusedLogin(other, 'admin', 'not-the-password');
    assert.equal(rejection.status, 403);
    assert.equal((rejection.body as { error: { statusCode: number } }).error.statusCode, 403);
    assert.equal(other.isLoggedIn(), false);
  });

  flow('getPerson(-me-) is the signed-in user', async () => {
    const me = await new PeopleApi(api).getPerson('-me-');
    assert.equal(me.entry.id, 'admin');
    assert.equal(me.entry.enabled, true);
    assert.equal(typeof me.entry.email, 'string');
    return (exchanges) => {
      assert.deepEqual(operationsOf(exchanges), ['getPerson']);
      assert.match(exchanges[0]!.url, /\/people\/-me-$/);
      assert.equal(exchanges[0]!.authorization, `Basic ${Buffer.from(`ROLE_TICKET:${ticket}`).toString('base64')}`);
    };
  });

  flow('listNodeChildren: default order is folders first, then by name; dates are Alfresco’s', async () => {
    const page = await nodes.listNodeChildren('-my-');
    const entries = page.list!.entries!.map(({ entry }) => entry);
    const firstFile = entries.findIndex((entry) => entry.isFile);
    assert.ok(firstFile > 0);
    assert.ok(entries.slice(firstFile).every((entry) => entry.isFile), 'folders come before files');
    const folderNames = entries.slice(0, firstFile).map((entry) => entry.name);
    assert.deepEqual(folderNames, [...folderNames].sort((a, b) => a.localeCompare(b)));
    assert.ok(entries[0]!.createdAt instanceof Date && !Number.isNaN(entries[0]!.createdAt.getTime()), 'js-api parses createdAt');
    assert.deepEqual({ ...page.list!.pagination }, { count: entries.length, hasMoreItems: false, totalItems: entries.length, skipCount: 0, maxItems: 100 });
    return ([exchange]) => {
      const raw = (exchange!.body as { list: { entries: Array<{ entry: { createdAt: string; modifiedAt: string } }> } }).list.entries;
      for (const { entry } of raw) {
        assert.match(entry.createdAt, ALFRESCO_DATE_TIME);
        assert.match(entry.modifiedAt, ALFRESCO_DATE_TIME);
      }
    };
  });

  flow('listNodeChildren: skipCount, maxItems and relativePath page through the 10,000-file folder', async () => {
    const page = await nodes.listNodeChildren('-my-', { relativePath: 'Many Files', skipCount: 100, maxItems: 50 });
    assert.deepEqual({ ...page.list!.pagination }, { count: 50, hasMoreItems: true, totalItems: 10_000, skipCount: 100, maxItems: 50 });
    assert.equal(page.list!.entries![0]!.entry.name, 'item 00101.csv');
    const last = await nodes.listNodeChildren('-my-', { relativePath: 'Many Files', skipCount: 9_990, maxItems: 50 });
    assert.deepEqual({ ...last.list!.pagination }, { count: 10, hasMoreItems: false, totalItems: 10_000, skipCount: 9_990, maxItems: 50 });
    return (exchanges) => {
      assert.match(exchanges[0]!.url, /skipCount=100&maxItems=50/);
      assert.match(exchanges[0]!.url, /relativePath=Many(%20|\+)Files/);
    };
  });

  flow('listNodeChildren: orderBy (js-api sends it as one csv parameter)', async () => {
    const byNameDesc = await nodes.listNodeChildren('-my-', { relativePath: 'Many Files', orderBy: ['name DESC'], maxItems: 3 });
    assert.deepEqual(byNameDesc.list!.entries!.map(({ entry }) => entry.name), ['item 10000.txt', 'item 09999.json', 'item 09998.csv']);
    const mixed = await nodes.listNodeChildren('-my-', { orderBy: ['isFolder ASC', 'name ASC'] });
    const kinds = mixed.list!.entries!.map(({ entry }) => entry.isFolder);
    assert.equal(kinds.indexOf(true) > kinds.lastIndexOf(false), true, 'files first with isFolder ASC');
    return (exchanges) => assert.match(exchanges[1]!.url, /orderBy=isFolder(%20|\+)ASC%2Cname(%20|\+)ASC/);
  });

  flow('listNodeChildren: where isFolder / isFile / nodeType', async () => {
    const folders = await nodes.listNodeChildren('-my-', { where: '(isFolder=true)' });
    const files = await nodes.listNodeChildren('-my-', { where: '(isFile=true)' });
    const typed = await nodes.listNodeChildren('-my-', { where: "(nodeType='cm:content')" });
    assert.ok(folders.list!.entries!.length > 0 && folders.list!.entries!.every(({ entry }) => entry.isFolder));
    assert.ok(files.list!.entries!.length > 0 && files.list!.entries!.every(({ entry }) => entry.isFile));
    assert.deepEqual(typed.list!.entries!.map(({ entry }) => entry.id), files.list!.entries!.map(({ entry }) => entry.id));
    const all = await nodes.listNodeChildren('-my-');
    assert.equal(folders.list!.pagination!.totalItems! + files.list!.pagination!.totalItems!, all.list!.pagination!.totalItems);
  });

  flow('listNodeChildren: include path, properties, aspectNames, allowableOperations, isLink, association', async () => {
    const page = await nodes.listNodeChildren('-root-', {
      relativePath: 'Sites/swsdp/documentLibrary/Agency Files',
      include: ['path', 'properties', 'aspectNames', 'allowableOperations', 'isLink', 'association'],
    });
    const contracts = page.list!.entries!.find(({ entry }) => entry.name === 'Contracts')!.entry;
    assert.equal(contracts.path!.name, '/Company Home/Sites/swsdp/documentLibrary/Agency Files');
    assert.equal(contracts.path!.isComplete, true);
    assert.deepEqual(contracts.path!.elements!.map((element) => element.name), ['Company Home', 'Sites', 'swsdp', 'documentLibrary', 'Agency Files']);
    assert.ok(Array.isArray(contracts.aspectNames));
    assert.ok(contracts.allowableOperations!.includes('create'), 'admin may create in Contracts');
    assert.equal(contracts.isLink, false);
    assert.equal(contracts.association?.isPrimary, true);
  });

  flow('listNodeChildren: fields restricts the entry; includeSource adds the folder itself', async () => {
    const page = await nodes.listNodeChildren('-my-', { fields: ['id', 'name'], maxItems: 5 });
    for (const { entry } of page.list!.entries!) assert.deepEqual(Object.keys(entry).filter((key) => entry[key as keyof typeof entry] !== undefined).sort(), ['id', 'name']);
    const home = await nodes.getNode('-my-');
    const withSource = await nodes.listNodeChildren('-my-', { includeSource: true, include: ['allowableOperations'], maxItems: 1 });
    assert.equal(withSource.list!.source!.id, home.entry.id);
    assert.equal(withSource.list!.source!.name, 'admin');
    return (exchanges) => {
      const raw = exchanges[0]!.body as { list: { entries: Array<{ entry: Record<string, unknown> }> } };
      for (const { entry } of raw.list.entries) assert.deepEqual(Object.keys(entry).sort(), ['id', 'name']);
    };
  });

  flow('listNodeChildren: every parameter in one call', async () => {
    const page = await nodes.listNodeChildren('-root-', {
      relativePath: 'Sites/swsdp/documentLibrary/Agency Files',
      skipCount: 1,
      maxItems: 2,
      orderBy: ['isFolder DESC', 'name ASC'],
      where: '(isFolder=true)',
      include: ['allowableOperations', 'path'],
      fields: ['id', 'name', 'isFolder'],
      includeSource: true,
    });
    assert.deepEqual(page.list!.entries!.map(({ entry }) => entry.name), ['Images', 'Logo Files']);
    assert.deepEqual({ ...page.list!.pagination }, { count: 2, hasMoreItems: true, totalItems: 5, skipCount: 1, maxItems: 2 });
    assert.equal(page.list!.source!.name, 'Agency Files');
    return ([exchange]) => {
      const query = new URL(exchange!.url).searchParams;
      assert.deepEqual([...query.keys()].sort(), ['fields', 'include', 'includeSource', 'maxItems', 'orderBy', 'relativePath', 'skipCount', 'where']);
      const { entry } = (exchange!.body as { list: { entries: Array<{ entry: Record<string, unknown> }> } }).list.entries[0]!;
      assert.deepEqual(Object.keys(entry).sort(), ['allowableOperations', 'id', 'isFolder', 'name', 'path']);
    };
  });

  flow('getNode with relativePath and include; 10 levels deep; non-Latin names', async () => {
    const contract = await nodes.getNode('-root-', { relativePath: `${CONTRACTS}/Project Contract.pdf`, include: ['path', 'allowableOperations'] });
    assert.equal(contract.entry.name, 'Project Contract.pdf');
    assert.equal(contract.entry.isFile, true);
    assert.equal(contract.entry.content!.mimeType, 'application/pdf');
    assert.equal(contract.entry.path!.name, `/Company Home/${CONTRACTS}`);
    assert.ok(contract.entry.createdAt instanceof Date);
    const bottom = await nodes.getNode('-my-', { relativePath: `${DEEP}/bottom.txt`, include: ['path'] });
    assert.equal(bottom.entry.path!.elements!.length, 3 + 11);
    const cyrillic = await nodes.getNode('-my-', { relativePath: 'Привет мир.txt' });
    assert.equal(cyrillic.entry.name, 'Привет мир.txt');
    return (exchanges) => assert.match((exchanges[0]!.body as { entry: { modifiedAt: string } }).entry.modifiedAt, ALFRESCO_DATE_TIME);
  });

  flow('getNodeContent: the bytes equal what a plain fetch returns', async () => {
    const contract = await nodes.getNode('-root-', { relativePath: `${CONTRACTS}/Project Contract.pdf` });
    const viaJsApi = await bytesOf(await nodes.getNodeContent(contract.entry.id));
    const response = await fetch(`${sandbox.url}${CORE}/nodes/${contract.entry.id}/content`, { headers: { Authorization: basic('admin', 'admin') } });
    const viaFetch = Buffer.from(await response.arrayBuffer());
    assert.equal(response.status, 200);
    assert.equal(viaJsApi.length, contract.entry.content!.sizeInBytes);
    assert.ok(viaJsApi.equals(viaFetch));
    assert.equal(viaJsApi.subarray(0, 5).toString('latin1'), '%PDF-');
    const url = new ContentApi(api).getContentUrl(contract.entry.id, false, ticket);
    const viaTicketUrl = Buffer.from(await (await fetch(url)).arrayBuffer());
    assert.ok(viaTicketUrl.equals(viaFetch), 'ContentApi.getContentUrl (alf_ticket) serves the same bytes');
    return (exchanges) => assert.deepEqual(operationsOf(exchanges), ['getNode', 'getNodeContent']);
  });

  flow('createNode (JSON): a folder for the uploads', async () => {
    const folder = (await nodes.createNode('-my-', { name: 'Conformance js-api', nodeType: 'cm:folder', properties: { 'cm:title': 'Made by js-api' } })) as NodeEntry;
    work = folder.entry.id;
    assert.equal(folder.entry.isFolder, true);
    assert.equal((folder.entry.properties as Record<string, unknown> | undefined)?.['cm:title'], 'Made by js-api');
    return (exchanges) => assert.equal(exchanges[0]!.status, 201);
  });

  flow('UploadApi.uploadFile: autoRename gives name-1.ext, without it a clash is 409', async () => {
    const upload = new UploadApi(api);
    const text = 'Uploaded through the official client.\n';
    const first = (await upload.uploadFile(new File([text], 'report.txt', { type: 'text/plain' }), '', work, undefined, { autoRename: true, name: 'report.txt' })) as NodeEntry;
    const second = (await upload.uploadFile(new File([text], 'report.txt', { type: 'text/plain' }), '', work, undefined, { autoRename: true, name: 'report.txt' })) as NodeEntry;
    assert.equal(first.entry.name, 'report.txt');
    assert.equal(second.entry.name, 'report-1.txt');
    assert.equal(second.entry.content!.sizeInBytes, Buffer.byteLength(text));
    assert.equal(second.entry.content!.mimeType, 'text/plain');
    assert.equal(second.entry.parentId, work);
    const clash = await rejectionOf(upload.uploadFile(new File([text], 'report.txt', { type: 'text/plain' }), '', work, undefined, { name: 'report.txt' }));
    assert.equal(clash.status, 409);
    assert.equal((clash.body as { error: { statusCode: number } }).error.statusCode, 409);
    const stored = await bytesOf(await nodes.getNodeContent(second.entry.id));
    assert.equal(stored.toString('utf8'), text);
    return (exchanges) => {
      assert.deepEqual(operationsOf(exchanges), ['createNode', 'createNode', 'createNode', 'getNodeContent']);
      assert.deepEqual(exchanges.map((exchange) => exchange.status), [201, 201, 409, 200]);
    };
  });

  flow('uploadFile with relativePath creates the missing folders', async () => {
    const made = (await new UploadApi(api).uploadFile(new File(['x'], 'nested.txt'), '2024/Q1', work, undefined, { name: 'nested.txt' })) as NodeEntry;
    const resolved = await nodes.getNode(work, { relativePath: '2024/Q1/nested.txt' });
    assert.equal(resolved.entry.id, made.entry.id);
  });

  flow('shared link: create, then fetch its content without authentication', async () => {
    const contract = await nodes.getNode('-root-', { relativePath: `${CONTRACTS}/Project Contract.pdf` });
    const link = await new SharedlinksApi(api).createSharedLink({ nodeId: contract.entry.id });
    assert.equal(link.entry.nodeId, contract.entry.id);
    assert.equal(link.entry.name, 'Project Contract.pdf');
    assert.ok(link.entry.id);
    const url = new ContentApi(api).getSharedLinkContentUrl(link.entry.id);
    assert.equal(url, `${sandbox.url}${CORE}/shared-links/${link.entry.id}/content?attachment=false`);
    const response = await fetch(url);
    assert.equal(response.status, 200);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(bytes.length, contract.entry.content!.sizeInBytes);
    const again = await new SharedlinksApi(api).getSharedLink(link.entry.id);
    assert.equal(again.entry.nodeId, contract.entry.id);
    return (exchanges) => assert.deepEqual(operationsOf(exchanges), ['getNode', 'createSharedLink', 'getSharedLink']);
  });

  flow('sites: listSites, getSite, getSiteContainer(documentLibrary) and browse it', async () => {
    const sitesApi = new SitesApi(api);
    const sites = await sitesApi.listSites();
    const ids = sites.list!.entries.map(({ entry }) => entry.id);
    assert.ok(ids.includes('swsdp') && ids.includes('board-room'), `admin sees both sites, got ${ids.join(', ')}`);
    const site = await sitesApi.getSite('swsdp');
    assert.equal(site.entry.title, 'Sample: Web Site Design Project');
    assert.equal(site.entry.visibility, 'PUBLIC');
    const library = await sitesApi.getSiteContainer('swsdp', 'documentLibrary');
    assert.equal(library.entry.id, 'documentLibrary');
    libraryId = library.entry.folderId;
    const byPath = await nodes.getNode('-root-', { relativePath: 'Sites/swsdp/documentLibrary' });
    assert.equal(libraryId, byPath.entry.id);
    const children = await nodes.listNodeChildren(libraryId, { where: '(isFolder=true)' });
    assert.deepEqual(children.list!.entries!.map(({ entry }) => entry.name), ['Agency Files', 'Budget Files', 'Meeting Notes', 'Presentations']);
    const containers = await sitesApi.listSiteContainers('swsdp');
    assert.ok(containers.list!.entries.some(({ entry }) => entry.id === 'documentLibrary' && entry.folderId === libraryId));
  });

  flow('listSiteMembershipsForPerson(-me-): my sites with my role', async () => {
    const memberships = await new SitesApi(api).listSiteMembershipsForPerson('-me-');
    const roles = Object.fromEntries(memberships.list!.entries.map(({ entry }) => [entry.id, entry.role]));
    assert.deepEqual(roles, { 'board-room': 'SiteManager', swsdp: 'SiteManager' });
    const swsdp = memberships.list!.entries.find(({ entry }) => entry.id === 'swsdp')!.entry;
    assert.equal(swsdp.site.title, 'Sample: Web Site Design Project');
  });

  flow('QueriesApi.findNodes finds by name; a term under 3 characters is a 400', async () => {
    const queries = new QueriesApi(api);
    const found = await queries.findNodes('budget');
    assert.ok(found.list!.entries!.some(({ entry }) => entry.name === 'budget.xls'), 'finds swsdp’s budget.xls');
    const inLibrary = await queries.findNodes('contract', { rootNodeId: libraryId, nodeType: 'cm:content' });
    assert.deepEqual(inLibrary.list!.entries!.map(({ entry }) => entry.name), ['Project Contract.pdf']);
    const tooShort = await rejectionOf(queries.findNodes('ab'));
    assert.equal(tooShort.status, 400);
  });

  flow('SearchApi.search with AFTS cm:name:"budget*"', async () => {
    const result = await new SearchApi(api).search({ query: { query: 'cm:name:"budget*"', language: 'afts' }, paging: { maxItems: 10, skipCount: 0 }, include: ['path'] });
    const names = result.list!.entries!.map(({ entry }) => entry.name);
    assert.ok(names.includes('budget.xls'), `found ${names.join(', ')}`);
    const budget = result.list!.entries!.find(({ entry }) => entry.name === 'budget.xls')!.entry;
    assert.equal(budget.path!.name, '/Company Home/Sites/swsdp/documentLibrary/Budget Files');
    assert.equal(result.list!.pagination!.skipCount, 0);
    const slim = await new SearchApi(api).search({ query: { query: 'cm:name:"budget*"' }, fields: ['id', 'name'] });
    assert.ok(slim.list!.entries!.length > 0);
    return (exchanges) => {
      assert.deepEqual(operationsOf(exchanges), ['search', 'search']);
      const { entry } = (exchanges[1]!.body as { list: { entries: Array<{ entry: Record<string, unknown> }> } }).list.entries[0]!;
      assert.deepEqual(Object.keys(entry).filter((key) => key !== 'search').sort(), ['id', 'name']);
    };
  });

  flow('renditions: list, create (202), then the doclib thumbnail is a PNG', async () => {
    const logo = await nodes.getNode('-root-', { relativePath: 'Sites/swsdp/documentLibrary/Agency Files/Logo Files/logo.png' });
    const png = await bytesOf(await nodes.getNodeContent(logo.entry.id));
    const copy = (await new UploadApi(api).uploadFile(new File([Uint8Array.from(png)], 'logo copy.png', { type: 'image/png' }), '', work, undefined, { name: 'logo copy.png' })) as NodeEntry;
    const renditions = new RenditionsApi(api);
    const before = await renditions.listRenditions(copy.entry.id);
    const doclib = before.list!.entries!.find(({ entry }) => entry.id === 'doclib')!.entry;
    assert.equal(doclib.status, 'NOT_CREATED');
    assert.equal(doclib.content!.mimeType, 'image/png');
    await renditions.createRendition(copy.entry.id, { id: 'doclib' });
    let status = 'NOT_CREATED';
    for (let attempt = 0; attempt < 50 && status !== 'CREATED'; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await renditions.getRendition(copy.entry.id, 'doclib')).entry.status!;
    }
    assert.equal(status, 'CREATED');
    const thumbnail = await bytesOf(await renditions.getRenditionContent(copy.entry.id, 'doclib'));
    assert.equal(thumbnail.subarray(1, 4).toString('latin1'), 'PNG');
    const viaUrl = await fetch(new ContentApi(api).getDocumentThumbnailUrl(copy.entry.id, false, ticket));
    assert.equal(viaUrl.status, 200);
    assert.equal(viaUrl.headers.get('content-type'), 'image/png');
    return (exchanges) => {
      const create = exchanges.find((exchange) => exchange.operation?.operationId === 'createRendition')!;
      assert.equal(create.status, 202);
    };
  });

  flow('deleteNode, after which getNode is a 404 with Alfresco’s error JSON', async () => {
    const doomed = (await new UploadApi(api).uploadFile(new File(['bye'], 'doomed.txt'), '', work, undefined, { name: 'doomed.txt' })) as NodeEntry;
    await nodes.deleteNode(doomed.entry.id);
    const gone = await rejectionOf(nodes.getNode(doomed.entry.id));
    assert.equal(gone.status, 404);
    return (exchanges) => assert.deepEqual(exchanges.map((exchange) => exchange.status), [201, 204, 404]);
  });

  flow('getNode of a missing id: 404 with the error JSON js-api passes on as the message', async () => {
    const missing = await rejectionOf(nodes.getNode('does-not-exist'));
    assert.equal(missing.status, 404);
    const { error } = missing.body as { error: { statusCode: number; errorKey: string; briefSummary: string } };
    assert.equal(error.statusCode, 404);
    assert.equal(error.errorKey, 'framework.exception.EntityNotFound');
    assert.match(error.briefSummary, /^\d{8} /);
  });

  flow('abeecher may read swsdp’s Contracts but not write: no create, and an upload is a 403', async () => {
    const alice = createJsApi(sandbox.url, recorder);
    await alice.login('abeecher', 'abeecher');
    const aliceNodes = new NodesApi(alice);
    const contracts = await aliceNodes.getNode('-root-', { relativePath: CONTRACTS, include: ['allowableOperations'] });
    assert.equal(contracts.entry.name, 'Contracts');
    assert.ok(!(contracts.entry.allowableOperations ?? []).includes('create'));
    const refused = await rejectionOf(new UploadApi(alice).uploadFile(new File(['no'], 'nope.txt'), '', contracts.entry.id, undefined, { name: 'nope.txt' }));
    assert.equal(refused.status, 403);
    const sites = await new SitesApi(alice).listSites();
    assert.ok(!sites.list!.entries.some(({ entry }) => entry.id === 'board-room'), 'abeecher does not see the private site');
    return (exchanges) => assert.deepEqual(operationsOf(exchanges), ['createTicket', 'getNode', 'createNode', 'listSites']);
  });

  flow('logout deletes the ticket; it no longer works', async () => {
    const other = createJsApi(sandbox.url, recorder);
    const otherTicket = String(await other.login('mjackson', 'mjackson'));
    await other.logout();
    const response = await fetch(`${sandbox.url}/alfresco/api/-default-/public/authentication/versions/1/tickets/-me-`, {
      headers: { Authorization: `Basic ${Buffer.from(`ROLE_TICKET:${otherTicket}`).toString('base64')}` },
    });
    assert.equal(response.status, 401);
    await response.body?.cancel();
    return (exchanges) => assert.deepEqual(operationsOf(exchanges), ['createTicket', 'deleteTicket']);
  });
});
