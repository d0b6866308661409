/**
 * Conformance: the sandbox's REST API with plain fetch, every JSON body checked against its schema in the
 * official Alfresco definitions (test/helpers/alfresco-spec.ts), plus what js-api cannot show: Range (206,
 * 416), If-Modified-Since (304), Content-Disposition, HEAD, the three Basic encodings of a ticket,
 * `alf_ticket`, and WWW-Authenticate on 401.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/sandbox.ts';
import { ALFRESCO_DATE_TIME, assertConforms, formatSpecErrors, validateDefinition, type ValidateOptions } from '../../helpers/alfresco-spec.ts';

const CORE = '/alfresco/api/-default-/public/alfresco/versions/1';
const AUTH = '/alfresco/api/-default-/public/authentication/versions/1';
const SEARCH = '/alfresco/api/-default-/public/search/versions/1';
const DISCOVERY = '/alfresco/api/discovery';

const LIBRARY = 'Sites/swsdp/documentLibrary';
const CONTRACTS = `${LIBRARY}/Agency Files/Contracts`;
const BIG = 'Large Files/large-256MiB.bin';
const BIG_SIZE = 256 * 1024 * 1024;

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ADMIN = basic('admin', 'admin');
const ALICE = basic('abeecher', 'abeecher');

interface Answer {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined when there is no JSON body. */
  body: unknown;
  /** The raw bytes of a non-JSON body. */
  bytes: Buffer;
}

interface CallOptions {
  /** The Authorization header; admin by default, `null` for none. */
  auth?: string | null;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

type NodeJson = { id: string; name: string; isFile: boolean; isFolder: boolean; content?: { mimeType: string; sizeInBytes: number }; allowableOperations?: string[]; properties?: Record<string, unknown>; modifiedAt: string; createdAt: string };
type Entry<T> = { entry: T };
type Paging<T> = { list: { pagination: { count: number; hasMoreItems: boolean; totalItems?: number; skipCount: number; maxItems: number }; entries: Array<Entry<T>>; source?: NodeJson } };
type ErrorJson = { error: { errorKey?: string; statusCode: number; briefSummary: string; stackTrace: string; descriptionURL: string; logId?: string } };

describe('conformance: the REST API with plain fetch, against the spec', () => {
  let sandbox: RunningSandbox;
  let work: string;
  let libraryId: string;
  let contract: NodeJson;
  let big: NodeJson;

  async function call(method: string, path: string, { auth = ADMIN, json, body, headers = {} }: CallOptions = {}): Promise<Answer> {
    const init: RequestInit = { method, headers: { ...(auth === null ? {} : { Authorization: auth }), ...(json === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers } };
    if (json !== undefined) init.body = JSON.stringify(json);
    else if (body !== undefined) init.body = body;
    const response = await fetch(`${sandbox.url}${path}`, init);
    const bytes = Buffer.from(await response.arrayBuffer());
    const isJson = /^application\/json\b/i.test(response.headers.get('content-type') ?? '');
    let parsed: unknown;
    if (isJson && bytes.length > 0) parsed = JSON.parse(bytes.toString('utf8')) as unknown;
    return { method, path, status: response.status, headers: response.headers, body: parsed, bytes };
  }

  /** The answer has `status` and a body that conforms to `operationId`'s schema for it. */
  function conforms<T = unknown>(operationId: string, answer: Answer, status: number, options: ValidateOptions = {}): T {
    assert.equal(answer.status, status, `${answer.method} ${answer.path}: expected ${status}, got ${answer.status} ${answer.bytes.toString('utf8').slice(0, 300)}`);
    if (answer.body === undefined && answer.bytes.length > 0) {
      assert.fail(`${answer.method} ${answer.path}: the body is ${answer.headers.get('content-type')}, not application/json`);
    }
    assertConforms(operationId, answer.status, answer.body, `${answer.method} ${answer.path}`, options);
    return answer.body as T;
  }

  /** An error answer: the status, Alfresco's error JSON (present, conforming, statusCode matching). */
  function refusal(operationId: string, answer: Answer, status: number): ErrorJson['error'] {
    const body = conforms<ErrorJson>(operationId, answer, status);
    assert.ok(body, `${answer.method} ${answer.path}: a ${status} must carry Alfresco's error JSON`);
    assert.equal(body.error.statusCode, status);
    assert.match(body.error.briefSummary, /^\d{8} /, 'briefSummary starts with the 8-digit log number');
    if (status === 401) assert.equal(answer.headers.get('www-authenticate'), 'Basic realm="Alfresco"');
    return body.error;
  }

  const nodePath = (relativePath: string, root = '-root-'): string => `${CORE}/nodes/${root}?relativePath=${encodeURIComponent(relativePath)}`;
  const nodeAt = async (relativePath: string, root = '-root-'): Promise<NodeJson> => conforms<Entry<NodeJson>>('getNode', await call('GET', nodePath(relativePath, root)), 200).entry;

  async function upload(parentId: string, name: string, content: string | Buffer, type = 'text/plain', fields: Record<string, string> = {}, auth = ADMIN): Promise<Answer> {
    const form = new FormData();
    form.set('filedata', new File([typeof content === 'string' ? content : Uint8Array.from(content)], name, { type }));
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    return call('POST', `${CORE}/nodes/${parentId}/children`, { body: form, auth });
  }

  before(async () => {
    sandbox = await startSandbox();
    contract = await nodeAt(`${CONTRACTS}/Project Contract.pdf`);
    big = await nodeAt(BIG, '-my-');
    libraryId = (await nodeAt(LIBRARY)).id;
    const folder = await call('POST', `${CORE}/nodes/-my-/children`, { json: { name: 'Conformance spec', nodeType: 'cm:folder' } });
    work = conforms<Entry<NodeJson>>('createNode', folder, 201).entry.id;
  });
  after(() => sandbox?.close());

  describe('discovery and authentication', () => {
    test('getRepositoryInformation', async () => {
      const body = conforms<{ entry: { repository: { status: { isQuickShareEnabled: boolean } } } }>('getRepositoryInformation', await call('GET', DISCOVERY), 200);
      assert.equal(body.entry.repository.status.isQuickShareEnabled, true);
    });

    test('createTicket: 201, then 400 without a password and 403 with a wrong one', async () => {
      const ticket = conforms<Entry<{ id: string; userId: string }>>('createTicket', await call('POST', `${AUTH}/tickets`, { auth: null, json: { userId: 'mjackson', password: 'mjackson' } }), 201);
      assert.match(ticket.entry.id, /^TICKET_/);
      assert.equal(ticket.entry.userId, 'mjackson');
      refusal('createTicket', await call('POST', `${AUTH}/tickets`, { auth: null, json: { userId: 'mjackson' } }), 400);
      refusal('createTicket', await call('POST', `${AUTH}/tickets`, { auth: null, json: { userId: 'mjackson', password: 'nope' } }), 403);
    });

    test('a ticket works in all three Basic encodings and as alf_ticket; validateTicket echoes it', async () => {
      const { entry } = conforms<Entry<{ id: string }>>('createTicket', await call('POST', `${AUTH}/tickets`, { auth: null, json: { userId: 'admin', password: 'admin' } }), 201);
      const encodings = [`ROLE_TICKET:${entry.id}`, `:${entry.id}`, entry.id].map((value) => `Basic ${Buffer.from(value).toString('base64')}`);
      for (const auth of encodings) {
        const valid = conforms<Entry<{ id: string }>>('validateTicket', await call('GET', `${AUTH}/tickets/-me-`, { auth }), 200);
        assert.equal(valid.entry.id, entry.id);
        const home = conforms<Entry<NodeJson>>('getNode', await call('GET', `${CORE}/nodes/-my-`, { auth }), 200);
        assert.equal(home.entry.name, 'admin');
      }
      const byQuery = conforms<Entry<NodeJson>>('getNode', await call('GET', `${CORE}/nodes/-my-?alf_ticket=${entry.id}`, { auth: null }), 200);
      assert.equal(byQuery.entry.name, 'admin');
      const contentByQuery = await call('GET', `${CORE}/nodes/${contract.id}/content?alf_ticket=${entry.id}`, { auth: null });
      assert.equal(contentByQuery.status, 200);
    });

    test('deleteTicket: 204 without a body, after which the ticket is refused with 401', async () => {
      const { entry } = conforms<Entry<{ id: string }>>('createTicket', await call('POST', `${AUTH}/tickets`, { auth: null, json: { userId: 'abeecher', password: 'abeecher' } }), 201);
      const auth = `Basic ${Buffer.from(`ROLE_TICKET:${entry.id}`).toString('base64')}`;
      const deleted = await call('DELETE', `${AUTH}/tickets/-me-`, { auth });
      conforms('deleteTicket', deleted, 204);
      assert.equal(deleted.bytes.length, 0);
      refusal('validateTicket', await call('GET', `${AUTH}/tickets/-me-`, { auth }), 401);
      refusal('getNode', await call('GET', `${CORE}/nodes/-my-?alf_ticket=${entry.id}`, { auth: null }), 401);
    });

    test('401 with WWW-Authenticate: Basic realm="Alfresco" on the core, auth and search APIs', async () => {
      refusal('getNode', await call('GET', `${CORE}/nodes/-root-`, { auth: null }), 401);
      refusal('getNode', await call('GET', `${CORE}/nodes/-root-`, { auth: basic('admin', 'wrong') }), 401);
      refusal('validateTicket', await call('GET', `${AUTH}/tickets/-me-`, { auth: null }), 401);
      refusal('validateTicket', await call('GET', `${AUTH}/tickets/-me-`, { auth: basic('ROLE_TICKET', 'TICKET_made_up') }), 401);
      refusal('search', await call('POST', `${SEARCH}/search`, { auth: null, json: { query: { query: 'cm:name:"budget*"' } } }), 401);
      refusal('listSites', await call('GET', `${CORE}/sites`, { auth: null }), 401);
    });
  });

  describe('nodes', () => {
    test('getNode: aliases, relativePath and every include', async () => {
      for (const alias of ['-root-', '-my-', '-shared-']) conforms('getNode', await call('GET', `${CORE}/nodes/${alias}`), 200);
      const include = 'allowableOperations,association,isLink,isFavorite,isDirectLinkEnabled,isLocked,path,permissions,definition';
      const node = conforms<Entry<NodeJson & { path: { name: string } }>>('getNode', await call('GET', `${nodePath(`${CONTRACTS}/Project Contract.pdf`)}&include=${include}`), 200).entry;
      assert.equal(node.id, contract.id);
      assert.equal(node.path.name, `/Company Home/${CONTRACTS}`);
      assert.match(node.createdAt, ALFRESCO_DATE_TIME);
      assert.match(node.modifiedAt, ALFRESCO_DATE_TIME);
    });

    test('getNode with fields returns only those (the spec’s required fields may then be absent)', async () => {
      const answer = await call('GET', `${CORE}/nodes/${contract.id}?fields=id,name&include=path`);
      const { entry } = conforms<Entry<Record<string, unknown>>>('getNode', answer, 200, { fields: ['id', 'name'], include: ['path'] });
      assert.deepEqual(Object.keys(entry).sort(), ['id', 'name', 'path']);
    });

    test('getNode errors: 404 unknown id or path, 403 a folder the user cannot read', async () => {
      const missing = refusal('getNode', await call('GET', `${CORE}/nodes/00000000-0000-4000-a000-000000000000`), 404);
      assert.equal(missing.errorKey, 'framework.exception.EntityNotFound');
      refusal('getNode', await call('GET', nodePath('Sites/swsdp/no such folder')), 404);
      const home = conforms<Entry<NodeJson>>('getNode', await call('GET', `${CORE}/nodes/-my-`), 200).entry;
      refusal('getNode', await call('GET', `${CORE}/nodes/${home.id}`, { auth: ALICE }), 403);
    });

    test('listNodeChildren: every parameter at once', async () => {
      const query = new URLSearchParams({
        relativePath: 'Agency Files',
        skipCount: '1',
        maxItems: '3',
        orderBy: 'isFolder DESC,name ASC',
        where: '(isFolder=true)',
        include: 'allowableOperations,aspectNames,association,isLink,isFavorite,isLocked,path,properties,permissions',
        includeSource: 'true',
      });
      const page = conforms<Paging<NodeJson>>('listNodeChildren', await call('GET', `${CORE}/nodes/${libraryId}/children?${query}`), 200);
      assert.deepEqual(page.list.entries.map(({ entry }) => entry.name), ['Images', 'Logo Files', 'Mock-Ups']);
      assert.deepEqual(page.list.pagination, { count: 3, hasMoreItems: true, totalItems: 5, skipCount: 1, maxItems: 3 });
      assert.equal(page.list.source?.name, 'Agency Files');
    });

    test('listNodeChildren: fields, orderBy on content fields, where nodeType', async () => {
      const fields = await call('GET', `${CORE}/nodes/-my-/children?relativePath=Many%20Files&maxItems=5&fields=id,name`);
      const page = conforms<Paging<Record<string, unknown>>>('listNodeChildren', fields, 200, { fields: ['id', 'name'] });
      for (const { entry } of page.list.entries) assert.deepEqual(Object.keys(entry).sort(), ['id', 'name']);
      for (const orderBy of ['sizeInBytes DESC', 'mimeType', 'modifiedAt DESC', 'createdAt', 'nodeType', 'modifiedByUser', 'createdByUser']) {
        conforms('listNodeChildren', await call('GET', `${CORE}/nodes/-my-/children?orderBy=${encodeURIComponent(orderBy)}`), 200);
      }
      const typed = conforms<Paging<NodeJson>>('listNodeChildren', await call('GET', `${CORE}/nodes/-my-/children?where=${encodeURIComponent("(nodeType='cm:folder INCLUDESUBTYPES')")}`), 200);
      assert.ok(typed.list.entries.length > 0 && typed.list.entries.every(({ entry }) => entry.isFolder));
    });

    test('listNodeChildren errors: 400 for bad paging, orderBy, where or a file; 404; 401', async () => {
      refusal('listNodeChildren', await call('GET', `${CORE}/nodes/-my-/children?maxItems=0`), 400);
      refusal('listNodeChildren', await call('GET', `${CORE}/nodes/-my-/children?skipCount=-1`), 400);
      refusal('listNodeChildren', await call('GET', `${CORE}/nodes/-my-/children?orderBy=colour`), 400);
      refusal('listNodeChildren', await call('GET', `${CORE}/nodes/-my-/children?where=${encodeURIComponent('(colour=red)')}`), 400);
      refusal('listNodeChildren', await call('GET', `${CORE}/nodes/${contract.id}/children`), 400);
      refusal('listNodeChildren', await call('GET', `${CORE}/nodes/no-such-node/children`), 404);
      refusal('listNodeChildren', await call('GET', `${CORE}/nodes/-my-/children`, { auth: null }), 401);
    });

    test('createNode (JSON): a folder, an empty file, 409 on a clash, autoRename, 400 without nodeType', async () => {
      const folder = conforms<Entry<NodeJson>>('createNode', await call('POST', `${CORE}/nodes/${work}/children`, { json: { name: 'Exports', nodeType: 'cm:folder', relativePath: '2024/Q1', properties: { 'cm:title': 'Exports' } } }), 201);
      assert.equal(folder.entry.isFolder, true);
      assert.equal(folder.entry.properties?.['cm:title'], 'Exports');
      const file = conforms<Entry<NodeJson>>('createNode', await call('POST', `${CORE}/nodes/${work}/children`, { json: { name: 'empty.txt', nodeType: 'cm:content' } }), 201);
      assert.equal(file.entry.isFile, true);
      assert.equal(file.entry.content?.sizeInBytes, 0);
      const clash = refusal('createNode', await call('POST', `${CORE}/nodes/${work}/children`, { json: { name: 'empty.txt', nodeType: 'cm:content' } }), 409);
      assert.match(clash.briefSummary, /Duplicate child name not allowed: empty\.txt/);
      const renamed = conforms<Entry<NodeJson>>('createNode', await call('POST', `${CORE}/nodes/${work}/children?autoRename=true`, { json: { name: 'empty.txt', nodeType: 'cm:content' } }), 201);
      assert.equal(renamed.entry.name, 'empty-1.txt');
      refusal('createNode', await call('POST', `${CORE}/nodes/${work}/children`, { json: { name: 'no type' } }), 400);
      refusal('createNode', await call('POST', `${CORE}/nodes/no-such-folder/children`, { json: { name: 'x', nodeType: 'cm:folder' } }), 404);
    });

    test('createNode with a list body answers with a list (the spec says so in prose; its 201 schema is NodeEntry)', async () => {
      const answer = await call('POST', `${CORE}/nodes/${work}/children`, { json: [{ name: 'Batch 1', nodeType: 'cm:folder' }, { name: 'Batch 2', nodeType: 'cm:folder' }] });
      assert.equal(answer.status, 201);
      const errors = validateDefinition('NodePaging', answer.body);
      assert.deepEqual(errors, [], formatSpecErrors('createNode (list body) as NodePaging', 201, errors));
      const { list } = answer.body as Paging<NodeJson>;
      assert.deepEqual(list.entries.map(({ entry }) => entry.name), ['Batch 1', 'Batch 2']);
      assert.equal(list.pagination.count, 2);
    });

    test('createNode (multipart): 201 with the file’s type and size, autoRename, 409, 403, 422', async () => {
      const text = 'Plain fetch upload\n';
      const first = conforms<Entry<NodeJson>>('createNode', await upload(work, 'notes.txt', text, 'text/plain', { 'cm:title': 'Notes' }), 201);
      assert.equal(first.entry.name, 'notes.txt');
      assert.equal(first.entry.content?.mimeType, 'text/plain');
      assert.equal(first.entry.content?.sizeInBytes, Buffer.byteLength(text));
      assert.equal(first.entry.properties?.['cm:title'], 'Notes');
      const second = conforms<Entry<NodeJson>>('createNode', await upload(work, 'notes.txt', text, 'text/plain', { autoRename: 'true' }), 201);
      assert.equal(second.entry.name, 'notes-1.txt');
      const named = conforms<Entry<NodeJson>>('createNode', await upload(work, 'ignored.txt', text, 'text/plain', { name: 'chosen name.txt', relativePath: 'deeper/still' }), 201);
      assert.equal(named.entry.name, 'chosen name.txt');
      refusal('createNode', await upload(work, 'notes.txt', text), 409);
      const contracts = await nodeAt(CONTRACTS);
      refusal('createNode', await upload(contracts.id, 'nope.txt', 'no', 'text/plain', {}, ALICE), 403);
      refusal('createNode', await upload(work, 'bad:name?.txt', 'x'), 422);
    });

    test('updateNodeContent: 200 with the new size; the content is replaced; 404', async () => {
      const made = conforms<Entry<NodeJson>>('createNode', await upload(work, 'versioned.txt', 'version one\n'), 201);
      const updated = conforms<Entry<NodeJson>>('updateNodeContent', await call('PUT', `${CORE}/nodes/${made.entry.id}/content?majorVersion=true`, { body: 'version two, longer\n', headers: { 'Content-Type': 'text/plain' } }), 200);
      assert.equal(updated.entry.content?.sizeInBytes, Buffer.byteLength('version two, longer\n'));
      const content = await call('GET', `${CORE}/nodes/${made.entry.id}/content`);
      assert.equal(content.bytes.toString('utf8'), 'version two, longer\n');
      refusal('updateNodeContent', await call('PUT', `${CORE}/nodes/no-such-node/content`, { body: 'x' }), 404);
      refusal('updateNodeContent', await call('PUT', `${CORE}/nodes/${contract.id}/content`, { body: 'x', auth: ALICE }), 403);
    });

    test('deleteNode: 204 without a body, then 404; 403 where the user may not delete', async () => {
      const doomed = conforms<Entry<NodeJson>>('createNode', await upload(work, 'doomed.txt', 'bye'), 201);
      const deleted = await call('DELETE', `${CORE}/nodes/${doomed.entry.id}`);
      conforms('deleteNode', deleted, 204);
      assert.equal(deleted.bytes.length, 0);
      refusal('getNode', await call('GET', `${CORE}/nodes/${doomed.entry.id}`), 404);
      refusal('deleteNode', await call('DELETE', `${CORE}/nodes/${doomed.entry.id}`), 404);
      refusal('deleteNode', await call('DELETE', `${CORE}/nodes/${contract.id}`, { auth: ALICE }), 403);
    });
  });

  describe('content: Range, If-Modified-Since, Content-Disposition, HEAD', () => {
    const content = (id: string, query = ''): string => `${CORE}/nodes/${id}/content${query}`;

    test('Range: 206 with Content-Range and exactly the bytes asked for', async () => {
      const full = await call('GET', content(contract.id));
      assert.equal(full.status, 200);
      assert.equal(full.headers.get('accept-ranges'), 'bytes');
      const part = await call('GET', content(contract.id), { headers: { Range: 'bytes=10-109' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 10-109/${full.bytes.length}`);
      assert.equal(part.headers.get('content-length'), '100');
      assert.ok(part.bytes.equals(full.bytes.subarray(10, 110)));
      const suffix = await call('GET', content(contract.id), { headers: { Range: 'bytes=-16' } });
      assert.equal(suffix.status, 206);
      assert.ok(suffix.bytes.equals(full.bytes.subarray(full.bytes.length - 16)));
      const open = await call('GET', content(contract.id), { headers: { Range: `bytes=${full.bytes.length - 5}-` } });
      assert.equal(open.headers.get('content-range'), `bytes ${full.bytes.length - 5}-${full.bytes.length - 1}/${full.bytes.length}`);
    });

    test('Range into the 256 MiB file, and 416 with bytes */size beyond its end', async () => {
      const tail = await call('GET', content(big.id), { headers: { Range: `bytes=${BIG_SIZE - 1000}-${BIG_SIZE - 1}` } });
      assert.equal(tail.status, 206);
      assert.equal(tail.headers.get('content-range'), `bytes ${BIG_SIZE - 1000}-${BIG_SIZE - 1}/${BIG_SIZE}`);
      assert.equal(tail.bytes.length, 1000);
      const beyond = await call('GET', content(big.id), { headers: { Range: `bytes=${BIG_SIZE}-` } });
      assert.equal(beyond.status, 416);
      assert.equal(beyond.headers.get('content-range'), `bytes */${BIG_SIZE}`);
      assertConforms('getNodeContent', beyond.status, beyond.body, 'GET content 416');
    });

    test('If-Modified-Since: 304 without a body when unchanged, 200 when changed since', async () => {
      const first = await call('GET', content(contract.id));
      const lastModified = first.headers.get('last-modified');
      assert.ok(lastModified, 'Last-Modified is sent');
      const unchanged = await call('GET', content(contract.id), { headers: { 'If-Modified-Since': lastModified } });
      assert.equal(unchanged.status, 304);
      assert.equal(unchanged.bytes.length, 0);
      assertConforms('getNodeContent', unchanged.status, unchanged.body);
      const older = new Date(Date.parse(lastModified) - 86_400_000).toUTCString();
      assert.equal((await call('GET', content(contract.id), { headers: { 'If-Modified-Since': older } })).status, 200);
    });

    test('Content-Disposition: attachment by default, inline with attachment=false for previewable types only', async () => {
      const byDefault = await call('GET', content(contract.id));
      assert.match(byDefault.headers.get('content-disposition') ?? '', /^attachment;/);
      assert.equal(byDefault.headers.get('content-type'), 'application/pdf');
      const inline = await call('GET', content(contract.id, '?attachment=false'));
      assert.match(inline.headers.get('content-disposition') ?? '', /^inline;/);
      assert.match(inline.headers.get('content-disposition') ?? '', /filename="Project Contract\.pdf"/);
      const zip = await nodeAt('Archives/sample archive.zip', '-my-');
      const notPreviewable = await call('GET', content(zip.id, '?attachment=false'));
      assert.match(notPreviewable.headers.get('content-disposition') ?? '', /^attachment;/);
      const cyrillic = await nodeAt('Привет мир.txt', '-my-');
      const encoded = await call('GET', content(cyrillic.id));
      assert.match(encoded.headers.get('content-disposition') ?? '', new RegExp(`filename\\*=UTF-8''${encodeURIComponent('Привет мир.txt').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    });

    test('HEAD: the GET headers without a body', async () => {
      const head = await call('HEAD', content(big.id));
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), String(BIG_SIZE));
      assert.equal(head.headers.get('accept-ranges'), 'bytes');
      assert.equal(head.bytes.length, 0);
    });

    test('getNodeContent errors: 400 for a folder, 404, 401', async () => {
      refusal('getNodeContent', await call('GET', content(libraryId)), 400);
      refusal('getNodeContent', await call('GET', content('no-such-node')), 404);
      refusal('getNodeContent', await call('GET', content(contract.id), { auth: null }), 401);
    });
  });

  describe('renditions', () => {
    test('listRenditions, getRendition, createRendition (202, then 409), content with placeholder', async () => {
      const logo = await nodeAt(`${LIBRARY}/Agency Files/Logo Files/logo.png`);
      const png = (await call('GET', `${CORE}/nodes/${logo.id}/content`)).bytes;
      const copy = conforms<Entry<NodeJson>>('createNode', await upload(work, 'logo copy.png', png, 'image/png'), 201).entry;

      const list = conforms<Paging<{ id: string; status: string }>>('listRenditions', await call('GET', `${CORE}/nodes/${copy.id}/renditions`), 200);
      assert.equal(list.list.entries.find(({ entry }) => entry.id === 'doclib')?.entry.status, 'NOT_CREATED');
      const created = conforms<Paging<{ id: string }>>('listRenditions', await call('GET', `${CORE}/nodes/${copy.id}/renditions?where=${encodeURIComponent("(status='CREATED')")}`), 200);
      assert.equal(created.list.entries.length, 0);
      conforms('getRendition', await call('GET', `${CORE}/nodes/${copy.id}/renditions/doclib`), 200);
      refusal('getRendition', await call('GET', `${CORE}/nodes/${copy.id}/renditions/no-such-rendition`), 404);

      const missing = await call('GET', `${CORE}/nodes/${copy.id}/renditions/doclib/content`);
      refusal('getRenditionContent', missing, 404);
      const placeholder = await call('GET', `${CORE}/nodes/${copy.id}/renditions/doclib/content?placeholder=true`);
      assert.equal(placeholder.status, 200);
      assert.equal(placeholder.headers.get('content-type'), 'image/png');

      const accepted = await call('POST', `${CORE}/nodes/${copy.id}/renditions`, { json: { id: 'doclib' } });
      conforms('createRendition', accepted, 202);
      assert.equal(accepted.bytes.length, 0);
      let status = '';
      for (let attempt = 0; attempt < 50 && status !== 'CREATED'; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        status = conforms<Entry<{ status: string }>>('getRendition', await call('GET', `${CORE}/nodes/${copy.id}/renditions/doclib`), 200).entry.status;
      }
      assert.equal(status, 'CREATED');
      refusal('createRendition', await call('POST', `${CORE}/nodes/${copy.id}/renditions`, { json: { id: 'doclib' } }), 409);
      const thumbnail = await call('GET', `${CORE}/nodes/${copy.id}/renditions/doclib/content`);
      assert.equal(thumbnail.status, 200);
      assert.equal(thumbnail.bytes.subarray(1, 4).toString('latin1'), 'PNG');
      refusal('listRenditions', await call('GET', `${CORE}/nodes/no-such-node/renditions`), 404);
    });
  });

  describe('sites and people', () => {
    test('listSites: paging, orderBy, where; private sites only for members', async () => {
      const all = conforms<Paging<{ id: string; visibility: string; title: string }>>('listSites', await call('GET', `${CORE}/sites`), 200);
      assert.deepEqual(all.list.entries.map(({ entry }) => entry.id).sort(), ['board-room', 'swsdp']);
      const paged = conforms<Paging<{ id: string }>>('listSites', await call('GET', `${CORE}/sites?skipCount=1&maxItems=1&orderBy=${encodeURIComponent('id DESC')}`), 200);
      assert.deepEqual(paged.list.entries.map(({ entry }) => entry.id), ['board-room']);
      assert.equal(paged.list.pagination.hasMoreItems, false);
      const privateOnly = conforms<Paging<{ id: string }>>('listSites', await call('GET', `${CORE}/sites?where=${encodeURIComponent("(visibility='PRIVATE')")}`), 200);
      assert.deepEqual(privateOnly.list.entries.map(({ entry }) => entry.id), ['board-room']);
      const alice = conforms<Paging<{ id: string }>>('listSites', await call('GET', `${CORE}/sites`, { auth: ALICE }), 200);
      assert.deepEqual(alice.list.entries.map(({ entry }) => entry.id), ['swsdp']);
      conforms('listSites', await call('GET', `${CORE}/sites?relations=containers,members`), 200);
      refusal('listSites', await call('GET', `${CORE}/sites?maxItems=0`), 400);
    });

    test('getSite, listSiteContainers, getSiteContainer; 404s', async () => {
      const site = conforms<Entry<{ id: string; guid: string; role?: string }>>('getSite', await call('GET', `${CORE}/sites/swsdp`), 200);
      assert.equal(site.entry.role, 'SiteManager');
      const siteNode = conforms<Entry<NodeJson>>('getNode', await call('GET', `${CORE}/nodes/${site.entry.guid}`), 200);
      assert.equal(siteNode.entry.name, 'swsdp');
      const containers = conforms<Paging<{ id: string; folderId: string }>>('listSiteContainers', await call('GET', `${CORE}/sites/swsdp/containers`), 200);
      assert.ok(containers.list.entries.some(({ entry }) => entry.id === 'documentLibrary' && entry.folderId === libraryId));
      const library = conforms<Entry<{ id: string; folderId: string }>>('getSiteContainer', await call('GET', `${CORE}/sites/swsdp/containers/documentLibrary`), 200);
      assert.equal(library.entry.folderId, libraryId);
      refusal('getSite', await call('GET', `${CORE}/sites/no-such-site`), 404);
      refusal('getSite', await call('GET', `${CORE}/sites/board-room`, { auth: ALICE }), 404);
      refusal('getSiteContainer', await call('GET', `${CORE}/sites/swsdp/containers/no-such-container`), 404);
      refusal('listSiteContainers', await call('GET', `${CORE}/sites/no-such-site/containers`), 404);
    });

    test('getPerson and listSiteMembershipsForPerson; 404 for an unknown person', async () => {
      const me = conforms<Entry<{ id: string; capabilities?: { isAdmin: boolean } }>>('getPerson', await call('GET', `${CORE}/people/-me-`), 200);
      assert.equal(me.entry.id, 'admin');
      const mike = conforms<Entry<{ id: string; displayName?: string }>>('getPerson', await call('GET', `${CORE}/people/mjackson`), 200);
      assert.equal(mike.entry.displayName, 'Mike Jackson');
      refusal('getPerson', await call('GET', `${CORE}/people/nobody`), 404);
      const mine = conforms<Paging<{ id: string; role: string }>>('listSiteMembershipsForPerson', await call('GET', `${CORE}/people/-me-/sites`, { auth: ALICE }), 200);
      assert.deepEqual(mine.list.entries.map(({ entry }) => [entry.id, entry.role]), [['swsdp', 'SiteCollaborator']]);
      conforms('listSiteMembershipsForPerson', await call('GET', `${CORE}/people/mjackson/sites?skipCount=0&maxItems=1`), 200);
      refusal('listSiteMembershipsForPerson', await call('GET', `${CORE}/people/nobody/sites`), 404);
    });
  });

  describe('queries, search and shared links', () => {
    test('findNodes: term, rootNodeId, nodeType, include, orderBy; 400 short term; 404 unknown root', async () => {
      const found = conforms<Paging<NodeJson>>('findNodes', await call('GET', `${CORE}/queries/nodes?term=budget`), 200);
      assert.ok(found.list.entries.some(({ entry }) => entry.name === 'budget.xls'));
      const query = new URLSearchParams({ term: 'contract', rootNodeId: libraryId, nodeType: 'cm:content', include: 'path,allowableOperations,properties,aspectNames', orderBy: 'name ASC', maxItems: '5' });
      const scoped = conforms<Paging<NodeJson>>('findNodes', await call('GET', `${CORE}/queries/nodes?${query}`), 200);
      assert.deepEqual(scoped.list.entries.map(({ entry }) => entry.name), ['Project Contract.pdf']);
      conforms('findNodes', await call('GET', `${CORE}/queries/nodes?term=Level&rootNodeId=-my-&nodeType=cm:folder`), 200);
      refusal('findNodes', await call('GET', `${CORE}/queries/nodes?term=ab`), 400);
      refusal('findNodes', await call('GET', `${CORE}/queries/nodes`), 400);
      refusal('findNodes', await call('GET', `${CORE}/queries/nodes?term=budget&rootNodeId=no-such-node`), 404);
    });

    test('search: AFTS name, TYPE, PARENT, ANCESTOR and mimetype queries; 400 without a query', async () => {
      const search = async (query: string, extra: Record<string, unknown> = {}): Promise<Paging<NodeJson & { search?: { score?: number } }>> =>
        conforms('search', await call('POST', `${SEARCH}/search`, { json: { query: { query, language: 'afts' }, paging: { maxItems: 25, skipCount: 0 }, ...extra } }), 200);
      const byName = await search('cm:name:"budget*"', { include: ['path', 'allowableOperations', 'properties', 'aspectNames'] });
      assert.ok(byName.list.entries.some(({ entry }) => entry.name === 'budget.xls'));
      const contracts = await nodeAt(CONTRACTS);
      const inParent = await search(`+TYPE:"cm:content" +PARENT:"workspace://SpacesStore/${contracts.id}"`);
      assert.deepEqual(inParent.list.entries.map(({ entry }) => entry.name), ['Project Contract.pdf']);
      const pdfs = await search(`+ANCESTOR:"workspace://SpacesStore/${libraryId}" +cm:content.mimetype:"application/pdf"`);
      assert.ok(pdfs.list.entries.length > 0 && pdfs.list.entries.every(({ entry }) => entry.content?.mimeType === 'application/pdf'));
      const folders = await search('TYPE:"cm:folder" AND cm:name:"Level*"', { paging: { maxItems: 3, skipCount: 2 } });
      assert.equal(folders.list.pagination.maxItems, 3);
      assert.equal(folders.list.pagination.skipCount, 2);
      refusal('search', await call('POST', `${SEARCH}/search`, { json: { paging: { maxItems: 5 } } }), 400);
    });

    test('createSharedLink (200), 409 for a second link, 400 for a folder; getSharedLink and content without auth', async () => {
      const created = conforms<Entry<{ id: string; nodeId: string; name: string; sharedByUser?: { id: string } }>>(
        'createSharedLink',
        await call('POST', `${CORE}/shared-links?include=allowableOperations,path,properties,aspectNames,isFavorite`, { json: { nodeId: contract.id } }),
        200,
      );
      assert.equal(created.entry.nodeId, contract.id);
      assert.equal(created.entry.sharedByUser?.id, 'admin');
      refusal('createSharedLink', await call('POST', `${CORE}/shared-links`, { json: { nodeId: contract.id } }), 409);
      refusal('createSharedLink', await call('POST', `${CORE}/shared-links`, { json: { nodeId: libraryId } }), 400);
      refusal('createSharedLink', await call('POST', `${CORE}/shared-links`, { json: { nodeId: 'no-such-node' } }), 404);

      const link = conforms<Entry<{ id: string; nodeId: string }>>('getSharedLink', await call('GET', `${CORE}/shared-links/${created.entry.id}`, { auth: null }), 200);
      assert.equal(link.entry.nodeId, contract.id);
      refusal('getSharedLink', await call('GET', `${CORE}/shared-links/no-such-link`, { auth: null }), 404);
      const publicContent = await call('GET', `${CORE}/shared-links/${created.entry.id}/content`, { auth: null });
      assert.equal(publicContent.status, 200);
      assert.equal(publicContent.bytes.length, contract.content!.sizeInBytes);
      const publicRange = await call('GET', `${CORE}/shared-links/${created.entry.id}/content`, { auth: null, headers: { Range: 'bytes=0-4' } });
      assert.equal(publicRange.status, 206);
      assert.equal(publicRange.bytes.toString('latin1'), '%PDF-');

      const expiring = await nodeAt(`${LIBRARY}/Budget Files/budget.xls`);
      const expiresAt = '2099-03-23T23:00:00.000+0000';
      const withExpiry = conforms<Entry<{ expiresAt?: string }>>('createSharedLink', await call('POST', `${CORE}/shared-links`, { json: { nodeId: expiring.id, expiresAt } }), 200);
      assert.equal(withExpiry.entry.expiresAt, expiresAt);
      refusal('createSharedLink', await call('POST', `${CORE}/shared-links`, { json: { nodeId: big.id, expiresAt: '2001-01-01T00:00:00.000+0000' } }), 400);

      const list = conforms<Paging<{ id: string }>>('listSharedLinks', await call('GET', `${CORE}/shared-links`), 200);
      assert.ok(list.list.entries.some(({ entry }) => entry.id === created.entry.id));
      const mine = conforms<Paging<{ id: string }>>('listSharedLinks', await call('GET', `${CORE}/shared-links?where=${encodeURIComponent("(sharedByUser='-me-')")}&include=path`), 200);
      assert.ok(mine.list.entries.some(({ entry }) => entry.id === created.entry.id));
      refusal('listSharedLinks', await call('GET', `${CORE}/shared-links`, { auth: null }), 401);
    });
  });
});
