/**
 * The sandbox's CMIS 1.1 browser binding, checked against the shapes and names of the specification
 * (OASIS CMIS 1.1, §2 domain model and §5 browser binding; the section of each check is named in it) and
 * against the REST API over the same repository.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import sharp from 'sharp';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { cmisApi, propertyFields, valueOf, type CmisObject } from '../helpers/cmis.ts';
import { Browser } from '../helpers/oidc-browser.ts';
import { authorization, signIn } from '../helpers/oidc-flow.ts';
import { AUTH, basic, CORE, coreApi, nodeAt, startTestSandbox, type NodeJson } from '../helpers/sandbox.ts';

const CALLBACK = 'http://127.0.0.1:1/callback';
const CLIENT = { clientId: 'cmis-test', clientSecret: 'cmis-secret' };

interface Children {
  objects: Array<{ object: CmisObject; pathSegment?: string }>;
  hasMoreItems: boolean;
  numItems: number;
}
interface QueryAnswer {
  results: CmisObject[];
  hasMoreItems: boolean;
  numItems: number;
}
interface CmisException {
  exception: string;
  message: string;
}

const sha256 = (bytes: ArrayBuffer | Buffer) => createHash('sha256').update(Buffer.from(bytes as ArrayBuffer)).digest('hex');
const names = (children: Children) => children.objects.map(({ object }) => valueOf(object, 'cmis:name'));

describe('sandbox: CMIS 1.1 browser binding', () => {
  let sandbox: RunningSandbox;
  let cmis: ReturnType<typeof cmisApi>;
  let rest: ReturnType<typeof coreApi>;
  const library = '/root/Sites/swsdp/documentLibrary';

  before(async () => {
    sandbox = await startTestSandbox({ identity: { clients: [{ ...CLIENT, redirectUris: [CALLBACK] }] } });
    cmis = cmisApi(sandbox);
    rest = coreApi(sandbox);
  });
  after(() => sandbox.close());

  test('§5.3.1 the service document: the repository infos by id (§2.1.1), with the URLs of §5.3.2', async () => {
    const { status, body } = await cmis.get<Record<string, Record<string, unknown>>>('');
    const root = await rest<{ entry: NodeJson }>('/nodes/-root-');

    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ['-default-']);
    const info = body['-default-']!;
    for (const key of ['repositoryId', 'repositoryName', 'repositoryDescription', 'vendorName', 'productName', 'productVersion', 'rootFolderId', 'capabilities', 'cmisVersionSupported', 'repositoryUrl', 'rootFolderUrl', 'principalIdAnonymous', 'principalIdAnyone']) {
      assert.ok(key in info, `repository info has no ${key}`);
    }
    assert.equal(info.repositoryId, '-default-');
    assert.equal(info.cmisVersionSupported, '1.1');
    assert.equal(info.vendorName, 'Alfresco');
    assert.match(String(info.productVersion), /^23\.2\.0/);
    assert.equal(info.rootFolderId, root.body.entry.id);
    assert.equal(info.repositoryUrl, cmis.binding);
    assert.equal(info.rootFolderUrl, `${cmis.binding}/root`);
    // §2.1.1.3 capability names and values.
    const capabilities = info.capabilities as Record<string, unknown>;
    assert.equal(capabilities.capabilityRenditions, 'read');
    assert.equal(capabilities.capabilityQuery, 'metadataonly');
    assert.equal(capabilities.capabilityContentStreamUpdatability, 'anytime');
    // §5.4.1 cmisselector=repositoryInfo on the repository URL answers the same.
    assert.deepEqual((await cmis.get(`?cmisselector=repositoryInfo`)).body, body);
  });

  test('signs in as the REST API does: Basic, a ticket (alf_ticket or Basic ROLE_TICKET) and a Bearer token', async () => {
    const anonymous = await fetch(cmis.binding);
    const wrong = await cmis.get('', { Authorization: basic('mjackson', 'nope') });
    const login = await fetch(`${sandbox.url}${AUTH}/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: 'mjackson', password: 'mjackson' }) });
    const ticket = ((await login.json()) as { entry: { id: string } }).entry.id;
    const config = await oidc.discovery(new URL(sandbox.issuer), CLIENT.clientId, undefined, oidc.ClientSecretBasic(CLIENT.clientSecret), { execute: [oidc.allowInsecureRequests] });
    const flow = await authorization(config, CALLBACK);
    const tokens = await oidc.authorizationCodeGrant(config, await signIn(new Browser(), flow, 'mjackson', 'mjackson'), { pkceCodeVerifier: flow.verifier, expectedState: flow.state });

    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
    assert.equal(wrong.status, 401);
    assert.equal((await fetch(`${cmis.binding}?alf_ticket=${ticket}`)).status, 200);
    assert.equal((await cmis.get('', { Authorization: `Basic ${Buffer.from(`ROLE_TICKET:${ticket}`).toString('base64')}` })).status, 200);
    assert.equal((await cmis.get('', { Authorization: `Bearer ${tokens.access_token}` })).status, 200);
    // Each as its own user: mjackson may not open admin's home folder.
    const home = await cmis.get<CmisException>('/root/User%20Homes/admin?cmisselector=object', { Authorization: `Bearer ${tokens.access_token}` });
    assert.equal(home.status, 403);
    assert.equal(home.body.exception, 'permissionDenied');
  });

  test('§5.4.2 getChildren: objects[].object with properties (§5.2.5: id, localName, displayName, queryName, type, cardinality, value), hasMoreItems, numItems', async () => {
    const { status, body } = await cmis.get<Children>(`${library}?cmisselector=children&includePathSegment=true`);

    assert.equal(status, 200);
    assert.equal(typeof body.hasMoreItems, 'boolean');
    assert.equal(body.numItems, body.objects.length);
    const agency = body.objects.find(({ object }) => valueOf(object, 'cmis:name') === 'Agency Files')!;
    assert.equal(agency.pathSegment, 'Agency Files');
    const name = agency.object.properties!['cmis:name']!;
    assert.deepEqual(Object.keys(name).sort(), ['cardinality', 'displayName', 'id', 'localName', 'queryName', 'type', 'value']);
    assert.deepEqual({ id: name.id, queryName: name.queryName, type: name.type, cardinality: name.cardinality }, { id: 'cmis:name', queryName: 'cmis:name', type: 'string', cardinality: 'single' });
    // §2.1.9.3 folder properties; §5.2.5 datetimes are milliseconds since the epoch.
    assert.equal(valueOf(agency.object, 'cmis:baseTypeId'), 'cmis:folder');
    assert.equal(valueOf(agency.object, 'cmis:path'), '/Sites/swsdp/documentLibrary/Agency Files');
    assert.equal(typeof valueOf(agency.object, 'cmis:lastModificationDate'), 'number');
    assert.equal(agency.object.properties!['cmis:secondaryObjectTypeIds']!.cardinality, 'multi');
  });

  test('§5.2.6 succinct=true gives succinctProperties (values only); dateTimeFormat=extended gives ISO 8601', async () => {
    const succinct = await cmis.get<Children>(`${library}?cmisselector=children&succinct=true&maxItems=1`);
    const extended = await cmis.get<Children>(`${library}?cmisselector=children&succinct=true&maxItems=1&dateTimeFormat=extended`);

    const object = succinct.body.objects[0]!.object;
    assert.equal(object.properties, undefined);
    assert.equal(typeof object.succinctProperties!['cmis:name'], 'string');
    assert.match(String(extended.body.objects[0]!.object.succinctProperties!['cmis:creationDate']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('§2.2.3.1 getChildren pages with maxItems and skipCount and orders with orderBy', async () => {
    const folder = `${library}/Agency%20Files/Images`;
    const all = await cmis.get<Children>(`${folder}?cmisselector=children&succinct=true&orderBy=cmis:name%20ASC`);
    const page = await cmis.get<Children>(`${folder}?cmisselector=children&succinct=true&orderBy=cmis:name%20ASC&maxItems=3&skipCount=2`);
    const last = await cmis.get<Children>(`${folder}?cmisselector=children&succinct=true&orderBy=cmis:name&maxItems=5&skipCount=${all.body.numItems - 2}`);
    const newest = await cmis.get<Children>(`${library}?cmisselector=children&succinct=true&orderBy=cmis:lastModificationDate%20DESC`);
    const bySize = await cmis.get<Children>(`${folder}?cmisselector=children&succinct=true&orderBy=cmis:contentStreamLength%20DESC`);
    const bad = await cmis.get<CmisException>(`${folder}?cmisselector=children&orderBy=cmis:nope%20ASC`);

    const sorted = names(all.body).map(String);
    assert.deepEqual(sorted, [...sorted].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true })));
    assert.deepEqual(names(page.body), sorted.slice(2, 5));
    assert.equal(page.body.hasMoreItems, true);
    assert.equal(page.body.numItems, sorted.length);
    assert.deepEqual(names(last.body), sorted.slice(-2));
    assert.equal(last.body.hasMoreItems, false);
    const times = newest.body.objects.map(({ object }) => Number(valueOf(object, 'cmis:lastModificationDate')));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const sizes = bySize.body.objects.map(({ object }) => Number(valueOf(object, 'cmis:contentStreamLength')));
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.exception, 'invalidArgument');
  });

  test('§5.4.2 cmisselector=object by id (§5.3.2 root folder URL + objectId) and by path answer the same document', async () => {
    const byPath = await cmis.get<CmisObject>(`${library}/Agency%20Files/Images/coins.JPG?cmisselector=object&succinct=true`);
    const id = String(valueOf(byPath.body, 'cmis:objectId'));
    const byId = await cmis.get<CmisObject>(`/root?objectId=${encodeURIComponent(id)}&cmisselector=object&succinct=true`);
    const node = await rest<{ entry: NodeJson }>(`/nodes/${id.split(';')[0]}`);

    assert.equal(byPath.status, 200);
    assert.deepEqual(byId.body, byPath.body);
    // Alfresco's document ids carry the version label; §2.1.13 versioning properties.
    assert.equal(id, `${node.body.entry.id};1.0`);
    const properties = byPath.body.succinctProperties!;
    assert.equal(properties['cmis:baseTypeId'], 'cmis:document');
    assert.equal(properties['cmis:versionSeriesId'], node.body.entry.id);
    assert.equal(properties['cmis:versionLabel'], '1.0');
    assert.equal(properties['cmis:isLatestVersion'], true);
    assert.equal(properties['cmis:isVersionSeriesCheckedOut'], false);
    assert.equal(properties['cmis:contentStreamLength'], node.body.entry.content!.sizeInBytes);
    assert.equal(properties['cmis:contentStreamMimeType'], 'image/jpeg');
    // The version series id alone names the latest version.
    assert.deepEqual((await cmis.get(`/root?objectId=${node.body.entry.id}&cmisselector=object&succinct=true`)).body, byPath.body);
    // The folder's own id has no version.
    const folder = await cmis.get<CmisObject>(`${library}?cmisselector=object&succinct=true&filter=cmis:name,cmis:path`);
    assert.deepEqual(Object.keys(folder.body.succinctProperties!).sort(), ['cmis:baseTypeId', 'cmis:name', 'cmis:objectId', 'cmis:objectTypeId', 'cmis:path']);
    assert.doesNotMatch(String(folder.body.succinctProperties!['cmis:objectId']), /;/);
  });

  test('§2.2.3.5 parents and §2.2.1.2.6 allowable actions follow the user’s rights', async () => {
    const contract = `${library}/Agency%20Files/Contracts/Project%20Contract.pdf`;
    const parents = await cmis.get<Array<{ object: CmisObject; relativePathSegment: string }>>(`${contract}?cmisselector=parents&succinct=true&includeRelativePathSegment=true`);
    const asManager = await cmis.get<CmisObject>(`${library}/Agency%20Files/Contracts?cmisselector=object&includeAllowableActions=true`, { Authorization: basic('mjackson') });
    const asCollaborator = await cmis.get<CmisObject>(`${library}/Agency%20Files/Contracts?cmisselector=object&includeAllowableActions=true`, { Authorization: basic('abeecher') });

    assert.equal(parents.body.length, 1);
    assert.equal(valueOf(parents.body[0]!.object, 'cmis:name'), 'Contracts');
    assert.equal(parents.body[0]!.relativePathSegment, 'Project Contract.pdf');
    assert.equal(asManager.body.allowableActions!.canCreateDocument, true);
    assert.equal(asCollaborator.body.allowableActions!.canCreateDocument, false);
    assert.equal(asCollaborator.body.allowableActions!.canGetChildren, true);
  });

  test('§2.2.4.10 getContentStream: the bytes the REST API serves, and a Range as 206', async () => {
    const welcome = await nodeAt(sandbox, 'welcome.txt');
    const viaRest = await fetch(`${sandbox.url}${CORE}/nodes/${welcome.id}/content`, { headers: { Authorization: basic('admin') } });
    const whole = await fetch(`${cmis.binding}/root?objectId=${welcome.id}%3B1.0&cmisselector=content`, { headers: { Authorization: basic('admin') } });
    const byDefault = await fetch(`${cmis.binding}/root/User%20Homes/admin/welcome.txt`, { headers: { Authorization: basic('admin') } });
    const part = await fetch(`${cmis.binding}/root?objectId=${welcome.id}&cmisselector=content`, { headers: { Authorization: basic('admin'), Range: 'bytes=3-9' } });

    const bytes = await viaRest.arrayBuffer();
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('Content-Type'), 'text/plain');
    assert.equal(sha256(await whole.arrayBuffer()), sha256(bytes));
    // §5.4.2: a document's default selector is content.
    assert.equal(sha256(await byDefault.arrayBuffer()), sha256(bytes));
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('Content-Range'), `bytes 3-9/${bytes.byteLength}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), Buffer.from(bytes).subarray(3, 10));
  });

  test('§2.1.4.2 renditions: renditionFilter=cmis:thumbnail on an object, the renditions selector, and the thumbnail’s bytes by streamId', async () => {
    const image = `${library}/Agency%20Files/Images/coins.JPG`;
    const object = await cmis.get<CmisObject>(`${image}?cmisselector=object&succinct=true&renditionFilter=cmis:thumbnail`);
    const listed = await cmis.get<Array<Record<string, unknown>>>(`${image}?cmisselector=renditions&renditionFilter=*`);
    const none = await cmis.get<CmisObject>(`${image}?cmisselector=object&succinct=true&renditionFilter=cmis:none`);
    const pdf = await cmis.get<CmisObject>(`${library}/Agency%20Files/Contracts/Project%20Contract.pdf?cmisselector=object&succinct=true&renditionFilter=cmis:thumbnail`);

    const [thumbnail] = object.body.renditions!;
    assert.equal(thumbnail!.kind, 'cmis:thumbnail');
    assert.equal(thumbnail!.mimeType, 'image/png');
    // §2.1.4.2.1 rendition attributes.
    for (const key of ['streamId', 'mimeType', 'kind']) assert.ok(key in listed.body[0]!, `a rendition has no ${key}`);
    assert.equal(none.body.renditions, undefined);
    assert.equal(pdf.body.renditions, undefined);
    const bytes = await fetch(`${cmis.binding}${image}?cmisselector=content&streamId=${encodeURIComponent(thumbnail!.streamId)}`, { headers: { Authorization: basic('admin') } });
    assert.equal(bytes.headers.get('Content-Type'), 'image/png');
    const { format, width, height } = await sharp(Buffer.from(await bytes.arrayBuffer())).metadata();
    assert.equal(format, 'png');
    assert.ok(Math.max(width, height) <= 100);
    const unknown = await cmis.get<CmisException>(`${image}?cmisselector=content&streamId=nope`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.exception, 'objectNotFound');
  });

  test('§2.1.14 query: cmis:name LIKE with IN_FOLDER, folders, paging, POST and GET, quotes escaped as \\\'', async () => {
    const images = await cmis.get<CmisObject>(`${library}/Agency%20Files/Images?cmisselector=object&succinct=true`);
    const imagesId = String(valueOf(images.body, 'cmis:objectId'));
    const statement = `SELECT * FROM cmis:document WHERE cmis:name LIKE 'w%' AND IN_FOLDER('${imagesId}') ORDER BY cmis:name`;
    const posted = await cmis.post<QueryAnswer>('', { cmisaction: 'query', statement, succinct: 'true' });
    const got = await cmis.get<QueryAnswer>(`?cmisselector=query&succinct=true&q=${encodeURIComponent(statement)}`);
    const paged = await cmis.post<QueryAnswer>('', { cmisaction: 'query', statement, succinct: 'true', maxItems: '1', skipCount: '1' });
    const folders = await cmis.post<QueryAnswer>('', { cmisaction: 'query', statement: "SELECT cmis:name, cmis:objectId AS id FROM cmis:folder WHERE cmis:name LIKE 'Agency%'" });

    assert.equal(posted.status, 200);
    // LIKE folds case (as Alfresco's cm:name index): windmill.png, wind turbine.JPG, wires.JPG.
    assert.deepEqual(posted.body.results.map((result) => valueOf(result, 'cmis:name')), ['wind turbine.JPG', 'windmill.png', 'wires.JPG']);
    assert.deepEqual(got.body, posted.body);
    assert.deepEqual(paged.body.results.map((result) => valueOf(result, 'cmis:name')), ['windmill.png']);
    assert.equal(paged.body.hasMoreItems, true);
    assert.equal(paged.body.numItems, 3);
    // A SELECT list gives its properties only, under their aliases (§2.1.14.2.2).
    assert.deepEqual(Object.keys(folders.body.results[0]!.properties!).sort(), ['cmis:name', 'id']);
    assert.equal(folders.body.results[0]!.properties!.id!.queryName, 'id');

    const quoted = await cmis.post<CmisObject>(library, { cmisaction: 'createFolder', ...propertyFields({ 'cmis:name': "Bob's 100% _real_ files", 'cmis:objectTypeId': 'cmis:folder' }) });
    assert.equal(quoted.status, 201);
    const escaped = await cmis.post<QueryAnswer>('', { cmisaction: 'query', succinct: 'true', statement: String.raw`SELECT * FROM cmis:folder WHERE cmis:name LIKE 'Bob\'s 100\% \_%'` });
    const wildcard = await cmis.post<QueryAnswer>('', { cmisaction: 'query', succinct: 'true', statement: String.raw`SELECT * FROM cmis:folder WHERE cmis:name LIKE 'Bob\'s 100\%\_%'` });
    assert.deepEqual(escaped.body.results.map((result) => valueOf(result, 'cmis:name')), ["Bob's 100% _real_ files"]);
    assert.deepEqual(wildcard.body.results, []);
  });

  test('§2.1.14 a statement outside the supported grammar is refused with invalidArgument (400), not guessed at', async () => {
    for (const statement of [
      'SELECT * FROM cmis:document WHERE CONTAINS(\'budget\')',
      "SELECT * FROM cmis:document WHERE cmis:name = 'unterminated",
      'SELECT * FROM cmis:document JOIN cmis:folder ON x = y',
      "SELECT * FROM cm:person WHERE cmis:name = 'x'",
      "SELECT * FROM cmis:document WHERE cmis:nope = 'x'",
      'SELECT * FROM cmis:document WHERE cmis:contentStreamLength = \'big\'',
      "SELECT * FROM cmis:document WHERE cmis:name LIKE 'a\\b'",
      "SELECT * FROM cmis:document WHERE cmis:name = 'a' extra",
      'DELETE FROM cmis:document',
    ]) {
      const { status, body } = await cmis.post<CmisException>('', { cmisaction: 'query', statement });
      assert.equal(status, 400, statement);
      assert.equal(body.exception, 'invalidArgument', statement);
      assert.equal(typeof body.message, 'string');
    }
  });

  test('§2.2.4.1 createDocument (multipart, §5.4.4.3.8 properties) shows up through the REST API, and a REST upload through CMIS', async () => {
    const created = await cmis.post<CmisObject>(`${library}/Meeting%20Notes`, { cmisaction: 'createDocument', succinct: 'true', ...propertyFields({ 'cmis:name': 'agenda.txt', 'cmis:objectTypeId': 'cmis:document' }) }, { bytes: 'Agenda: the launch', filename: 'agenda.txt', type: 'text/plain' });
    const id = String(valueOf(created.body, 'cmis:objectId'));
    const viaRest = await rest<{ entry: NodeJson }>(`/nodes/${id.split(';')[0]}`);
    const bytes = await fetch(`${sandbox.url}${CORE}/nodes/${id.split(';')[0]}/content`, { headers: { Authorization: basic('admin') } });

    assert.equal(created.status, 201);
    assert.equal(created.headers.get('Location'), `${cmis.binding}/root?objectId=${encodeURIComponent(id)}`);
    assert.match(id, /^[0-9a-f-]{36};1\.0$/);
    assert.equal(viaRest.body.entry.name, 'agenda.txt');
    assert.equal(viaRest.body.entry.content!.mimeType, 'text/plain');
    assert.equal(viaRest.body.entry.properties!['cm:versionLabel'], '1.0');
    assert.equal(await bytes.text(), 'Agenda: the launch');

    const form = new FormData();
    form.append('filedata', new Blob(['from REST']), 'from-rest.txt');
    const uploaded = await rest<{ entry: NodeJson }>('/nodes/-my-/children', { method: 'POST', body: form });
    const seen = await cmis.get<CmisObject>(`/root/User%20Homes/admin/from-rest.txt?cmisselector=object&succinct=true`);
    assert.equal(valueOf(seen.body, 'cmis:objectId'), `${uploaded.body.entry.id};1.0`);
    assert.equal(await (await fetch(`${cmis.binding}/root/User%20Homes/admin/from-rest.txt`, { headers: { Authorization: basic('admin') } })).text(), 'from REST');
  });

  test('refusals are CMIS exceptions (§5.2.10) with their HTTP statuses: a taken name, no permission, no object', async () => {
    const clash = await cmis.post<CmisException>(`${library}/Meeting%20Notes`, { cmisaction: 'createDocument', ...propertyFields({ 'cmis:name': 'Meeting Notes 2011-01-27.doc', 'cmis:objectTypeId': 'cmis:document' }) }, { bytes: 'x', filename: 'x.doc' });
    const invalid = await cmis.post<CmisException>(`${library}/Meeting%20Notes`, { cmisaction: 'createFolder', ...propertyFields({ 'cmis:name': 'a/b?', 'cmis:objectTypeId': 'cmis:folder' }) });
    const denied = await cmis.post<CmisException>(`${library}/Agency%20Files/Contracts`, { cmisaction: 'createFolder', ...propertyFields({ 'cmis:name': 'Mine', 'cmis:objectTypeId': 'cmis:folder' }) });
    const deniedAs = await fetch(`${cmis.binding}${library}/Agency%20Files/Contracts`, { method: 'POST', headers: { Authorization: basic('abeecher') }, body: new URLSearchParams({ cmisaction: 'createFolder', ...propertyFields({ 'cmis:name': 'Mine', 'cmis:objectTypeId': 'cmis:folder' }) }) });
    const missing = await cmis.get<CmisException>('/root?objectId=00000000-0000-4000-a000-000000000000&cmisselector=object');
    const unsupported = await cmis.get<CmisException>(`${library}?cmisselector=acl`);

    assert.equal(clash.status, 409);
    assert.equal(clash.body.exception, 'contentAlreadyExists');
    assert.equal(invalid.status, 409);
    assert.equal(invalid.body.exception, 'nameConstraintViolation');
    assert.equal(denied.status, 201, 'admin may write anywhere');
    assert.equal(deniedAs.status, 403);
    assert.equal(((await deniedAs.json()) as CmisException).exception, 'permissionDenied');
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(missing.body).sort(), ['exception', 'message']);
    assert.equal(missing.body.exception, 'objectNotFound');
    assert.equal(unsupported.status, 405);
    assert.equal(unsupported.body.exception, 'notSupported');
  });

  test('§2.2.4.16 setContentStream makes a new version on a versionable document: 1.0 → 1.1, and the id moves with it', async () => {
    const created = await cmis.post<CmisObject>(library, { cmisaction: 'createDocument', succinct: 'true', ...propertyFields({ 'cmis:name': 'status.txt', 'cmis:objectTypeId': 'cmis:document' }) }, { bytes: 'draft', filename: 'status.txt', type: 'text/plain' });
    const first = String(valueOf(created.body, 'cmis:objectId'));
    const updated = await cmis.post<CmisObject>(`/root?objectId=${encodeURIComponent(first)}`, { cmisaction: 'setContent', succinct: 'true' }, { bytes: 'final', filename: 'status.txt', type: 'text/plain' });
    const refused = await cmis.post<CmisException>(`/root?objectId=${encodeURIComponent(String(valueOf(updated.body, 'cmis:objectId')))}`, { cmisaction: 'setContent', overwriteFlag: 'false' }, { bytes: 'x', filename: 'status.txt' });

    const [seriesId] = first.split(';');
    assert.equal(updated.status, 201);
    assert.equal(valueOf(updated.body, 'cmis:versionLabel'), '1.1');
    assert.equal(valueOf(updated.body, 'cmis:objectId'), `${seriesId};1.1`);
    assert.equal(valueOf(updated.body, 'cmis:versionSeriesId'), seriesId);
    assert.equal(valueOf(updated.body, 'cmis:isMajorVersion'), false);
    assert.equal((await rest<{ entry: NodeJson }>(`/nodes/${seriesId}`)).body.entry.properties!['cm:versionLabel'], '1.1');
    assert.equal(await (await fetch(`${cmis.binding}/root?objectId=${seriesId}&cmisselector=content`, { headers: { Authorization: basic('admin') } })).text(), 'final');
    // The sandbox keeps no old versions: 1.0 is gone, not answered with 1.1.
    const old = await cmis.get<CmisException>(`/root?objectId=${encodeURIComponent(first)}&cmisselector=object`);
    assert.equal(old.status, 404);
    assert.equal(old.body.exception, 'objectNotFound');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.exception, 'contentAlreadyExists');
  });

  test('§2.2.7 checkOut makes a private working copy; checkIn with new content makes the next version', async () => {
    const created = await cmis.post<CmisObject>(library, { cmisaction: 'createDocument', succinct: 'true', ...propertyFields({ 'cmis:name': 'plan.txt', 'cmis:objectTypeId': 'cmis:document' }) }, { bytes: 'plan A', filename: 'plan.txt' });
    const id = String(valueOf(created.body, 'cmis:objectId'));
    const [seriesId] = id.split(';');
    const pwc = await cmis.post<CmisObject>(`/root?objectId=${encodeURIComponent(id)}`, { cmisaction: 'checkOut', succinct: 'true' });
    const pwcId = String(valueOf(pwc.body, 'cmis:objectId'));
    const original = await cmis.get<CmisObject>(`/root?objectId=${seriesId}&cmisselector=object&succinct=true`);
    const again = await cmis.post<CmisException>(`/root?objectId=${seriesId}`, { cmisaction: 'checkOut' });
    const locked = await cmis.post<CmisException>(`/root?objectId=${seriesId}`, { cmisaction: 'setContent' }, { bytes: 'x', filename: 'plan.txt' });

    assert.equal(pwc.status, 201);
    assert.match(pwcId, /;pwc$/);
    assert.equal(valueOf(pwc.body, 'cmis:isPrivateWorkingCopy'), true);
    assert.equal(valueOf(pwc.body, 'cmis:versionSeriesId'), seriesId);
    assert.equal(valueOf(original.body, 'cmis:isVersionSeriesCheckedOut'), true);
    assert.equal(valueOf(original.body, 'cmis:versionSeriesCheckedOutId'), pwcId);
    assert.equal(valueOf(original.body, 'cmis:versionSeriesCheckedOutBy'), 'admin');
    assert.equal(again.status, 409);
    assert.equal(again.body.exception, 'versioning');
    assert.equal(locked.status, 409);
    assert.equal(locked.body.exception, 'versioning');

    const checkedIn = await cmis.post<CmisObject>(`/root?objectId=${encodeURIComponent(pwcId)}`, { cmisaction: 'checkIn', major: 'true', succinct: 'true', checkinComment: 'plan B' }, { bytes: 'plan B', filename: 'plan.txt' });
    assert.equal(checkedIn.status, 201);
    assert.equal(valueOf(checkedIn.body, 'cmis:objectId'), `${seriesId};2.0`);
    assert.equal(valueOf(checkedIn.body, 'cmis:isVersionSeriesCheckedOut'), false);
    assert.equal(await (await fetch(`${cmis.binding}/root?objectId=${seriesId}`, { headers: { Authorization: basic('admin') } })).text(), 'plan B');
    assert.equal((await cmis.get(`/root?objectId=${encodeURIComponent(pwcId)}&cmisselector=object`)).status, 404);
    const names = (await cmis.get<Children>(`${library}?cmisselector=children&succinct=true`)).body.objects.map(({ object }) => valueOf(object, 'cmis:name'));
    assert.ok(!names.includes('plan (Working Copy).txt'));
  });

  test('§2.2.4.14 delete: a document goes (from REST too), a folder must be empty first', async () => {
    const folder = await cmis.post<CmisObject>(library, { cmisaction: 'createFolder', succinct: 'true', ...propertyFields({ 'cmis:name': 'Scratch', 'cmis:objectTypeId': 'cmis:folder' }) });
    const folderId = String(valueOf(folder.body, 'cmis:objectId'));
    const file = await cmis.post<CmisObject>(`/root?objectId=${folderId}`, { cmisaction: 'createDocument', succinct: 'true', ...propertyFields({ 'cmis:name': 'tmp.txt', 'cmis:objectTypeId': 'cmis:document' }) }, { bytes: 'tmp', filename: 'tmp.txt' });
    const fileId = String(valueOf(file.body, 'cmis:objectId'));
    const notEmpty = await cmis.post<CmisException>(`/root?objectId=${folderId}`, { cmisaction: 'delete' });
    const deleted = await cmis.post(`/root?objectId=${encodeURIComponent(fileId)}`, { cmisaction: 'delete' });
    const emptied = await cmis.post(`/root?objectId=${folderId}`, { cmisaction: 'delete' });

    assert.equal(notEmpty.status, 409);
    assert.equal(notEmpty.body.exception, 'constraint');
    assert.equal(deleted.status, 200);
    assert.equal((await rest(`/nodes/${fileId.split(';')[0]}`)).status, 404);
    assert.equal(emptied.status, 200);
    assert.equal((await cmis.get(`/root?objectId=${folderId}&cmisselector=object`)).status, 404);
  });
});
