import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { assertConforms } from '../helpers/alfresco-spec.ts';
import { basic, CORE, startTestSandbox } from '../helpers/sandbox.ts';

interface PersonEntry { entry: Record<string, unknown> }
interface ErrorBody { error: { statusCode: number; errorKey: string; briefSummary: string } }

describe('sandbox: people', () => {
  let sandbox: RunningSandbox;
  const get = async <T>(path: string, authorization: string | null = basic('mjackson', 'mjackson')): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${sandbox.url}${CORE}${path}`, { headers: authorization ? { Authorization: authorization } : {} });
    return { status: response.status, body: (await response.json()) as T };
  };

  before(async () => (sandbox = await startTestSandbox()));
  after(() => sandbox.close());

  test('GET people/-me- describes the administrator as Alfresco does', async () => {
    const { status, body } = await get<PersonEntry>('/people/-me-', basic('admin', 'admin'));

    assert.equal(status, 200);
    assertConforms('getPerson', status, body);
    assert.deepEqual(body.entry, {
      id: 'admin',
      firstName: 'Administrator',
      displayName: 'Administrator',
      email: 'admin@alfresco.com',
      enabled: true,
      emailNotificationsEnabled: true,
      company: {},
      capabilities: { isAdmin: true, isGuest: false, isMutable: true },
    });
  });

  test('GET people/-me- is whoever signs in, with a last name when they have one', async () => {
    const { status, body } = await get<PersonEntry>('/people/-me-');

    assert.equal(status, 200);
    assertConforms('getPerson', status, body);
    assert.equal(body.entry.id, 'mjackson');
    assert.equal(body.entry.lastName, 'Jackson');
    assert.equal(body.entry.displayName, 'Mike Jackson');
    assert.deepEqual(body.entry.capabilities, { isAdmin: false, isGuest: false, isMutable: true });
  });

  test('GET people/{personId} finds another person by id, case-insensitively', async () => {
    const exact = await get<PersonEntry>('/people/abeecher');
    const otherCase = await get<PersonEntry>('/people/ABeecher');

    assert.equal(exact.status, 200);
    assert.equal(exact.body.entry.email, 'abeecher@example.com');
    assert.equal(otherCase.body.entry.id, 'abeecher');
  });

  test('fields narrows the person', async () => {
    const { body } = await get<PersonEntry>('/people/-me-?fields=id,email');

    assert.deepEqual(body.entry, { id: 'mjackson', email: 'mjackson@example.com' });
  });

  test('an unknown person is a 404 and an anonymous caller a 401', async () => {
    const unknown = await get<ErrorBody>('/people/nobody');
    const anonymous = await get<ErrorBody>('/people/-me-', null);

    assertConforms('getPerson', unknown.status, unknown.body);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.errorKey, 'framework.exception.EntityNotFound');
    assert.match(unknown.body.error.briefSummary, /The entity with id: nobody was not found/);
    assert.equal(anonymous.status, 401);
  });
});
