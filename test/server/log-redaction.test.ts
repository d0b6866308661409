import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { buildApp, type CompanionApp } from '../../companion/src/app.ts';
import { parseConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { REDACTED, redactForLog } from '../../companion/src/log-redaction.ts';
import { createLogger } from '../../companion/src/logger.ts';
import type { Provider } from '../../companion/src/providers/provider.ts';
import { memoryProvider } from '../fixtures/memory-provider.ts';
import { popupData } from '../helpers/companion-auth.ts';
import { TEST_APP, TEST_ORIGIN } from '../helpers/companion.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { parseForm } from '../helpers/oidc-browser.ts';

const BASE = 'http://companion.test';
const PASSWORD = 'lovelace';
const WRONG_PASSWORD = 'Difference-Engine-1822';

/** What the redaction test reads back (the shape it logged). */
interface Logged {
  level1: { level2: Array<{ level3: Record<string, string> }> };
  map: Record<string, string>;
  url: string;
  text: string;
  err: { type: string; response: { headers: Record<string, string> }; cause: { type: string; errors: Array<{ message: string }> } };
}

/** A log written to memory, one JSON line per entry. */
function memoryLog() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, get text() { return text; }, entries: () => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('logs hold no handle, token, password or secret', () => {
  const log = memoryLog();
  // The memory source (password ada / lovelace), whose downloads fail with an upstream error that carries the grant's token in its cause.
  const source: Provider = {
    ...memoryProvider(),
    async download(call) {
      throw new Error(`upstream refused GET /content?alf_ticket=${call.grant.accessToken}`, {
        cause: { request: { headers: { Authorization: `Bearer ${call.grant.accessToken}`, Cookie: 'JSESSIONID=abc123' } }, grant: call.grant, attempts: [{ refresh_token: 'refresh-xyz', clientSecret: 'client-secret-xyz' }] },
      });
    },
  };
  let db: Db;
  let app: CompanionApp;
  const request = (path: string, init: RequestInit = {}) => app.request(new URL(path, BASE).pathname + new URL(path, BASE).search, init);

  before(async () => {
    db = await openTestDatabase();
    const config = parseConfig({ publicUrl: BASE, alfresco: { repositoryUrl: 'http://127.0.0.1:9' }, apps: [{ ...TEST_APP, services: ['MEMORY'] }], portal: { adminPassword: 'the portal password' } });
    app = await buildApp(config, { db, logger: createLogger('info', log.stream), providers: [source] });
  });
  after(async () => {
    await app.close();
    await db.destroy();
  });

  test('a failed sign-in, then a download that fails upstream: logged, with every secret taken out', async () => {
    const started = await request(`/auth/memory/start?${new URLSearchParams({ key: TEST_APP.apiKey, origin: TEST_ORIGIN, nonce: 'nonce-logging-01' })}`);
    const formUrl = new URL(started.headers.get('Location')!);
    const formPage = await request(formUrl.href);
    const form = parseForm(await formPage.text(), formUrl);
    const cookie = formPage.headers.get('Set-Cookie')!.split(';')[0]!;
    const post = (password: string) => request(form.action.href, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...form.hidden, username: 'ada', password }).toString() });
    assert.equal((await post(WRONG_PASSWORD)).status, 200);
    const { message } = popupData(await (await post(PASSWORD)).text());
    const session = message!.session!;
    const picked = await request(`/api/pick?key=${TEST_APP.apiKey}`, { method: 'POST', headers: { Origin: TEST_ORIGIN, Authorization: `Bearer ${session}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: ['note-a'] }) });
    const { blobs } = (await picked.json()) as { blobs: Array<{ handle: string }> };
    const handle = blobs[0]!.handle;
    const portal = await request('/portal/api/session', { method: 'POST', headers: { Origin: BASE, 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'a wrong portal password' }) });
    assert.equal(portal.status, 403);

    // A session token pasted into the link's query by mistake: also kept out.
    const download = await request(`/api/file/${handle}?dl=true&session=${session}`);

    assert.equal(download.status, 500);
    const entries = log.entries();
    const failed = entries.find((entry) => entry.msg === 'unhandled error');
    assert.ok(failed, log.text);
    assert.equal(failed.path, `/api/file/${REDACTED}`);
    const err = failed.err as { message: string; cause: { request: { headers: Record<string, string> }; grant: Record<string, unknown>; attempts: Array<Record<string, string>> } };
    assert.equal(err.message, `upstream refused GET /content?alf_ticket=${REDACTED}`);
    assert.deepEqual(err.cause.request.headers, { Authorization: REDACTED, Cookie: REDACTED });
    assert.equal(err.cause.grant.accessToken, REDACTED);
    assert.equal(err.cause.grant.userId, 'ada', 'what is not a secret stays');
    assert.deepEqual(err.cause.attempts, [{ refresh_token: REDACTED, clientSecret: REDACTED }]);
    assert.ok(entries.some((entry) => entry.msg === 'password sign-in: wrong user name or password' && entry.user === 'ada'), 'the failed sign-in is logged');
    for (const secret of [handle, session, 'token-ada', WRONG_PASSWORD, PASSWORD, 'refresh-xyz', 'client-secret-xyz', 'abc123', 'a wrong portal password', 'the portal password', form.hidden.csrf!]) {
      assert.ok(!log.text.includes(secret), `the log holds ${JSON.stringify(secret)}:\n${log.text}`);
    }
  });

  test('redaction reaches every depth: nested objects, arrays, Maps, Headers, errors and their causes; text too', () => {
    const inner = new Error('token refused', { cause: new AggregateError([new Error('Bearer abc.def.ghi')], 'all failed') });
    (inner as Error & { response?: unknown }).response = { headers: new Headers({ authorization: 'Basic dXNlcjpwYXNz', 'set-cookie': 'sid=1' }) };
    const logged = redactForLog({
      level1: { level2: [{ level3: { password: 'p', apiSecret: 's', sessionToken: 't', nothing: 'kept' } }] },
      map: new Map([['accessToken', 'a']]),
      url: new URL('https://alfresco.example.com/api/file/HANDLE123/metadata?key=k&state=st&policy=eyJjYWxsIjpbXX0&signature=ab12&ok=1'),
      text: 'see TICKET_0123456789abcdef and eyJhbGciOi.eyJzdWIiOi.sig',
      err: inner,
    }) as Logged;

    assert.deepEqual(logged.level1.level2[0]!.level3, { password: REDACTED, apiSecret: REDACTED, sessionToken: REDACTED, nothing: 'kept' });
    assert.deepEqual(logged.map, { accessToken: REDACTED });
    assert.equal(logged.url, `https://alfresco.example.com/api/file/${REDACTED}/metadata?key=${REDACTED}&state=${REDACTED}&policy=${REDACTED}&signature=${REDACTED}&ok=1`);
    assert.equal(logged.text, `see ${REDACTED} and ${REDACTED}`);
    assert.equal(logged.err.type, 'Error');
    assert.deepEqual(logged.err.response.headers, { authorization: REDACTED, 'set-cookie': REDACTED });
    assert.equal(logged.err.cause.type, 'AggregateError');
    assert.equal(logged.err.cause.errors[0]!.message, `Bearer ${REDACTED}`);
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    assert.deepEqual(redactForLog(circular), { name: 'loop', self: '[circular]' });
  });
});
