/**
 * The sandbox's CMIS browser binding driven by an independent client, CmisJS (npm `cmis`), so the binding
 * is not only checked against our own reading of the specification: connect, browse, upload, read,
 * query and version as that client does it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { CMIS_BROWSER_BASE } from '../helpers/cmis.ts';
import { loadCmisJs, type CmisJs } from '../helpers/cmis-js.ts';
import { basic, CORE, startTestSandbox } from '../helpers/sandbox.ts';

interface Repository {
  repositoryId: string;
  rootFolderId: string;
  rootFolderUrl: string;
}

interface Succinct {
  succinctProperties: Record<string, unknown>;
}

describe('sandbox: CMIS through CmisJS', () => {
  let sandbox: RunningSandbox;
  let cmis: CmisJs;
  let session: InstanceType<CmisJs['CmisSession']>;
  const libraryPath = '/Sites/swsdp/documentLibrary';

  before(async () => {
    sandbox = await startTestSandbox();
    cmis = await loadCmisJs();
    session = new cmis.CmisSession(`${sandbox.url}${CMIS_BROWSER_BASE}`);
    session.setCredentials('mjackson', 'mjackson');
  });
  after(() => sandbox.close());

  test('connects: loadRepositories finds -default-, and getRepositoryInfo answers it', async () => {
    await session.loadRepositories();
    const info = (await session.getRepositoryInfo()) as Record<string, { repositoryId: string; cmisVersionSupported: string }>;

    const repository = session.defaultRepository as Repository;
    assert.equal(repository.repositoryId, '-default-');
    assert.equal(repository.rootFolderUrl, `${sandbox.url}${CMIS_BROWSER_BASE}/root`);
    assert.equal(info['-default-']!.cmisVersionSupported, '1.1');
  });

  test('lists children and gets an object by path', async () => {
    const root = (await session.getChildren((session.defaultRepository as Repository).rootFolderId, { orderBy: 'cmis:name ASC' })) as { objects: Array<{ object: Succinct }>; numItems: number };
    const coins = (await session.getObjectByPath(`${libraryPath}/Agency Files/Images/coins.JPG`, { renditionFilter: 'cmis:thumbnail' })) as Succinct & { renditions: Array<{ kind: string }> };

    assert.ok(root.objects.map(({ object }) => object.succinctProperties['cmis:name']).includes('Sites'));
    assert.equal(root.numItems, root.objects.length);
    assert.equal(coins.succinctProperties['cmis:contentStreamMimeType'], 'image/jpeg');
    assert.deepEqual(coins.renditions.map(({ kind }) => kind), ['cmis:thumbnail']);
  });

  test('uploads a document, reads its content back, and finds it with a query', async () => {
    const library = (await session.getObjectByPath(libraryPath)) as Succinct;
    const created = (await session.createDocument(String(library.succinctProperties['cmis:objectId']), Buffer.from('written by CmisJS'), 'cmisjs note.txt')) as Succinct;
    const id = String(created.succinctProperties['cmis:objectId']);
    const content = await session.getContentStream(id);
    const viaRest = await fetch(`${sandbox.url}${CORE}/nodes/${id.split(';')[0]}/content`, { headers: { Authorization: basic('admin') } });
    const found = (await session.query("SELECT * FROM cmis:document WHERE cmis:name LIKE 'cmisjs%'")) as { results: Succinct[]; numItems: number };

    assert.match(id, /;1\.0$/);
    assert.equal(created.succinctProperties['cmis:contentStreamMimeType'], 'text/plain');
    assert.equal(await content.text(), 'written by CmisJS');
    assert.equal(await viaRest.text(), 'written by CmisJS');
    assert.deepEqual(found.results.map((result) => result.succinctProperties['cmis:name']), ['cmisjs note.txt']);
  });

  test('makes new versions: checkOut and checkIn, then setContentStream', async () => {
    const library = (await session.getObjectByPath(libraryPath)) as Succinct;
    const created = (await session.createDocument(String(library.succinctProperties['cmis:objectId']), Buffer.from('one'), 'versions.txt')) as Succinct;
    const seriesId = String(created.succinctProperties['cmis:versionSeriesId']);
    const pwc = (await session.checkOut(String(created.succinctProperties['cmis:objectId']))) as Succinct;
    const checkedIn = (await session.checkIn(String(pwc.succinctProperties['cmis:objectId']), false, 'versions.txt', Buffer.from('two'))) as Succinct;
    const latest = (await session.getObjectOfLatestVersion(seriesId)) as Succinct;
    const set = (await session.setContentStream(String(latest.succinctProperties['cmis:objectId']), Buffer.from('three'), true, 'versions.txt')) as Succinct;

    assert.equal(pwc.succinctProperties['cmis:isPrivateWorkingCopy'], true);
    assert.equal(checkedIn.succinctProperties['cmis:versionLabel'], '1.1');
    assert.equal(latest.succinctProperties['cmis:objectId'], `${seriesId};1.1`);
    assert.equal(set.succinctProperties['cmis:versionLabel'], '1.2');
    assert.equal(await (await session.getContentStream(seriesId)).text(), 'three');
  });

  test('deletes, and a refusal reaches the client as its HTTPError with the status', async () => {
    const library = (await session.getObjectByPath(libraryPath)) as Succinct;
    const created = (await session.createDocument(String(library.succinctProperties['cmis:objectId']), Buffer.from('bye'), 'goodbye.txt')) as Succinct;
    const id = String(created.succinctProperties['cmis:objectId']);
    await session.deleteObject(id);

    // CmisJS is compiled to ES5, where its HTTPError is no `instanceof` match: its `response` tells it.
    await assert.rejects(session.getObject(id), (error: InstanceType<CmisJs['HTTPError']>) => error.response.status === 404);
    const stranger = new cmis.CmisSession(`${sandbox.url}${CMIS_BROWSER_BASE}`).setCredentials('abeecher', 'abeecher');
    await stranger.loadRepositories();
    await assert.rejects(stranger.getObjectByPath('/User Homes/mjackson'), (error: InstanceType<CmisJs['HTTPError']>) => error.response.status === 403);
  });
});
