/**
 * The spec validator itself (test/helpers/alfresco-spec.ts): it must catch what the conformance suite relies
 * on it to catch, and must not be stricter than the Alfresco definitions.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertConforms, findOperation, isSpecDateTime, specOperation, validateDefinition, validateResponse } from '../../helpers/alfresco-spec.ts';

const user = { id: 'admin', displayName: 'Administrator' };
const node = (extra: Record<string, unknown> = {}) => ({
  id: '5f4c2a0e-7d3b-4f1e-9a62-0c8d6b1e2f30',
  name: 'Project Contract.pdf',
  nodeType: 'cm:content',
  isFolder: false,
  isFile: true,
  createdAt: '2011-02-15T20:47:03.951+0000',
  createdByUser: user,
  modifiedAt: '2011-02-24T16:16:37.349+0000',
  modifiedByUser: user,
  content: { mimeType: 'application/pdf', sizeInBytes: 381778 },
  ...extra,
});
const error = (statusCode: number) => ({
  error: { errorKey: 'framework.exception.EntityNotFound', statusCode, briefSummary: '05220073 Not found', stackTrace: 'For security reasons…', descriptionURL: 'https://api-explorer.alfresco.com' },
});

describe('the Alfresco spec validator', () => {
  test('accepts the notes’ example node, with extra properties the spec does not forbid', () => {
    assert.deepEqual(validateResponse('getNode', 200, { entry: node({ somethingNew: true }) }), []);
    assert.deepEqual(validateResponse('listNodeChildren', 200, { list: { pagination: { count: 1, hasMoreItems: false, skipCount: 0, maxItems: 100 }, entries: [{ entry: node() }] } }), []);
  });

  test('reports missing required properties, wrong types, enums and formats with their path', () => {
    const { createdByUser: _dropped, ...withoutCreator } = node({ isFile: 'yes', modifiedAt: '2011-02-24 16:16' });
    const errors = validateResponse('getNode', 200, { entry: withoutCreator });
    assert.deepEqual(errors.map(({ path }) => path).sort(), ['/entry', '/entry/isFile', '/entry/modifiedAt']);
    assert.match(errors.find(({ path }) => path === '/entry')!.message, /missing required property "createdByUser"/);
    assert.match(errors.find(({ path }) => path === '/entry')!.schemaPath!, /alfresco-core\.yaml#\/definitions\/Node\/required$/);
    const site = validateResponse('getSite', 200, { entry: { id: 'swsdp', guid: 'g', title: 'T', visibility: 'SECRET' } });
    assert.equal(site.length, 1);
    assert.match(site[0]!.message, /must be one of \["PRIVATE","MODERATED","PUBLIC"\], got "SECRET"/);
  });

  test('date-time: RFC 3339 plus Alfresco’s +0000 offset; nothing looser', () => {
    for (const ok of ['2011-02-15T20:19:00.007+0000', '2011-02-15T20:19:00Z', '2011-02-15T20:19:00.5-05:30']) assert.equal(isSpecDateTime(ok), true, ok);
    for (const bad of ['2011-02-15', '2011-02-15T20:19:00', '2011-02-30T20:19:00Z', 'Tue, 15 Feb 2011 20:19:00 GMT', '1297801140007']) assert.equal(isSpecDateTime(bad), false, bad);
  });

  test('the Node name pattern (a Java regex) forbids what Alfresco forbids', () => {
    for (const bad of ['a*b', 'a"b', 'a<b', 'a:b', 'a|b', 'a?b', 'a/b', 'trailing.', 'trailing ']) {
      assert.notDeepEqual(validateResponse('getNode', 200, { entry: node({ name: bad }) }), [], bad);
    }
    for (const ok of ['Привет мир.txt', '日本語のメモ.md', 'a.b.c', 'with spaces.txt']) assert.deepEqual(validateResponse('getNode', 200, { entry: node({ name: ok }) }), [], ok);
  });

  test('statuses: errors use the default Error schema; bodiless statuses must be empty; undocumented 2xx fail', () => {
    assert.deepEqual(validateResponse('getNode', 404, error(404)), []);
    assert.notDeepEqual(validateResponse('getNode', 404, { message: 'not found' }), []);
    assert.deepEqual(validateResponse('getNodeContent', 416, undefined), [], 'a 416 without a body is fine');
    assert.deepEqual(validateResponse('deleteNode', 204, undefined), []);
    assert.notDeepEqual(validateResponse('deleteNode', 204, { ok: true }), []);
    assert.deepEqual(validateResponse('createRendition', 202, ''), []);
    assert.match(validateResponse('createSharedLink', 201, { entry: {} })[0]!.message, /not a documented response/);
    assert.deepEqual(validateResponse('getNodeContent', 200, Buffer.from('%PDF')), [], 'binary responses have no schema');
    assert.deepEqual(validateResponse('search', 500, error(500)), [], 'search documents only default');
  });

  test('fields: unrequested required properties may be missing, everything else is still checked', () => {
    const body = { entry: { id: 'x', name: 'y' } };
    assert.notDeepEqual(validateResponse('getNode', 200, body), []);
    assert.deepEqual(validateResponse('getNode', 200, body, { fields: ['id', 'name'] }), []);
    assert.notDeepEqual(validateResponse('getNode', 200, { entry: { id: 1, name: 'y' } }, { fields: ['id', 'name'] }), []);
    assert.notDeepEqual(validateResponse('getNode', 200, body, { fields: ['id', 'name', 'nodeType'] }), [], 'a requested required field must be there');
  });

  test('operations are found by method and path across the four spec files', () => {
    assert.equal(findOperation('GET', 'http://h/alfresco/api/-default-/public/alfresco/versions/1/nodes/-my-/children?maxItems=1')?.operationId, 'listNodeChildren');
    assert.equal(findOperation('PUT', '/alfresco/api/-default-/public/alfresco/versions/1/nodes/abc/content')?.operationId, 'updateNodeContent');
    assert.equal(findOperation('DELETE', '/alfresco/api/-default-/public/authentication/versions/1/tickets/-me-')?.operationId, 'deleteTicket');
    assert.equal(findOperation('POST', '/alfresco/api/-default-/public/search/versions/1/search')?.operationId, 'search');
    assert.equal(findOperation('GET', '/alfresco/api/discovery')?.operationId, 'getRepositoryInformation');
    assert.equal(findOperation('GET', '/alfresco/api/-default-/public/alfresco/versions/1/people/-me-/sites')?.operationId, 'listSiteMembershipsForPerson');
    assert.equal(findOperation('GET', '/alfresco/api/-default-/public/alfresco/versions/1/no-such-thing'), undefined);
    assert.equal(specOperation('createSharedLink').path, '/alfresco/api/-default-/public/alfresco/versions/1/shared-links');
    assert.throws(() => specOperation('noSuchOperation'), /No operation "noSuchOperation"/);
  });

  test('assertConforms throws a readable AssertionError; validateDefinition checks named definitions', () => {
    assert.throws(() => assertConforms('getPerson', 200, { entry: { id: 'admin' } }, 'GET people/-me-'), (thrown: Error) => {
      assert.match(thrown.message, /^getPerson 200 \(GET people\/-me-\) does not conform/);
      assert.match(thrown.message, /\/entry: missing required property "firstName"/);
      return true;
    });
    assert.deepEqual(validateDefinition('NodePaging', { list: { entries: [{ entry: node() }] } }), []);
    assert.notDeepEqual(validateDefinition('Ticket', { id: 1 }, 'alfresco-auth'), []);
  });
});
