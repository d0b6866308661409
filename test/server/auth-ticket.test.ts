import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_ORIGIN, startCompanion, type CompanionHarness } from '../helpers/companion.ts';
import { COMPANION_URL, companionRequest, popupResult, start } from '../helpers/companion-auth.ts';
import { parseForm } from '../helpers/oidc-browser.ts';
import { AUTH, startTestSandbox } from '../helpers/sandbox.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { SecretBox } from '../../companion/src/security/secrets.ts';

const KEY = Buffer.alloc(32, 9).toString('base64');
const box = new SecretBox(KEY);

/** The form page a popup reaches from /start, and the CSRF cookie it set. */
async function openForm(harness: CompanionHarness, nonce = 'nonce-ticket-000') {
  const started = await start(harness, { nonce });
  assert.equal(started.status, 302);
  const formUrl = new URL(started.headers.get('location')!);
  const page = await companionRequest(harness, formUrl);
  const cookie = page.headers.getSetCookie().map((value) => value.split(';')[0]!).join('; ');
  const html = await page.text();
  return { formUrl, page, html, cookie, form: parseForm(html, formUrl) };
}

function post(harness: CompanionHarness, action: URL, cookie: string, fields: Record<string, string>): Promise<Response> {
  return companionRequest(harness, action, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie }, body: new URLSearchParams(fields).toString() });
}

describe('Ticket sign-in (a repository without an identity service)', () => {
  let sandbox: RunningSandbox;
  let harness: CompanionHarness;
  before(async () => {
    sandbox = await startTestSandbox();
    harness = await startCompanion({ encryptionKey: KEY, publicUrl: COMPANION_URL, alfresco: { repositoryUrl: sandbox.url, signIn: { type: 'ticket' } } }, sandbox);
  });
  after(async () => {
    await harness.close();
    await sandbox.close();
  });

  test('start leads the popup to the companion’s own form: labelled fields, a CSRF token, a strict CSP', async () => {
    const { formUrl, page, html, form, cookie } = await openForm(harness);

    assert.equal(`${formUrl.origin}${formUrl.pathname}`, `${COMPANION_URL}/auth/alfresco/ticket`);
    assert.equal(page.status, 200);
    assert.equal(form.method, 'post');
    assert.equal(form.action.href, formUrl.href);
    assert.deepEqual(form.inputs, ['csrf', 'username', 'password']);
    assert.match(html, /<label for="fs-username">User name<\/label>/);
    assert.match(html, /<label for="fs-password">Password<\/label>/);
    assert.match(html, /id="fs-password" name="password" type="password" autocomplete="current-password"/);
    assert.ok(form.hidden.csrf);
    assert.match(cookie, /^fs_signin_csrf=/);
    assert.match(page.headers.getSetCookie()[0]!, /HttpOnly/i);
    assert.match(page.headers.getSetCookie()[0]!, /SameSite=Strict/i);
    assert.match(page.headers.get('content-security-policy')!, /form-action 'self'/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
  });

  test('a wrong password shows the form again with a message, keeping the user name', async () => {
    const { form, cookie } = await openForm(harness);

    const response = await post(harness, form.action, cookie, { ...form.hidden, username: 'mjackson', password: 'wrong' });
    const html = await response.text();

    assert.equal(response.status, 200);
    assert.match(html, /role="alert">The user name or password is not correct\./);
    assert.match(html, /value="mjackson" aria-invalid="true" aria-describedby="fs-error"/);
    assert.doesNotMatch(html, /wrong/);
    assert.equal(await harness.db.selectFrom('grants').select('id').executeTakeFirst(), undefined);
  });

  test('the right password gets a ticket, posts the session to the opener, and the password is stored nowhere', async () => {
    const password = 'mjackson';
    const { form, cookie } = await openForm(harness, 'nonce-ticket-ok1');
    // A wrong try first: the attempt survives it.
    await post(harness, form.action, cookie, { ...form.hidden, username: 'mjackson', password: 'nope' });

    const result = await popupResult(await post(harness, form.action, cookie, { ...form.hidden, username: 'mjackson', password }));

    assert.equal(result.status, 200);
    assert.equal(result.data.origin, TEST_ORIGIN);
    assert.equal(result.data.message?.type, 'fs-picker:connected');
    assert.equal(result.data.message?.nonce, 'nonce-ticket-ok1');
    assert.deepEqual(result.data.message?.user, { id: 'mjackson', name: 'Mike Jackson' });
    const session = result.data.message?.session ?? '';
    const me = await harness.call('/api/session', { session });
    assert.deepEqual(await me.json(), { user: { id: 'mjackson', name: 'Mike Jackson' }, source: 'ALFRESCO' });

    const grants = await harness.db.selectFrom('grants').selectAll().execute();
    assert.equal(grants.length, 1);
    assert.equal(grants[0]!.kind, 'ticket');
    assert.equal(grants[0]!.refresh_sealed, null);
    // The sandbox's passwords equal the user ids, so the user columns are left out of the scan.
    const withoutUser = grants.map(({ user_id: _id, user_name: _name, ...rest }) => rest);
    const everything = JSON.stringify([withoutUser, await harness.db.selectFrom('sessions').selectAll().execute(), await harness.db.selectFrom('sign_in_attempts').selectAll().execute()]);
    assert.ok(!everything.includes(password), 'the password is in the database');
    assert.match(box.open(grants[0]!.access_sealed), /^TICKET_/);
    assert.ok(!everything.includes(session), 'the session token is in the database');
    assert.ok(!everything.includes('TICKET_'), 'a ticket is in the database in the clear');

    // The same form cannot be used again.
    const again = await popupResult(await post(harness, form.action, cookie, { ...form.hidden, username: 'mjackson', password }));
    assert.equal(again.data.message?.code, 'FS_ERR_CONNECT_EXPIRED');
    assert.match(again.html, /already used/);
  });

  test('a post without the attempt’s CSRF token, or without its cookie, is refused', async () => {
    const { form, cookie } = await openForm(harness);
    const other = await openForm(harness);

    const noCookie = await post(harness, form.action, '', { ...form.hidden, username: 'mjackson', password: 'mjackson' });
    const wrongToken = await post(harness, form.action, other.cookie, { ...other.form.hidden, username: 'mjackson', password: 'mjackson' });
    const noToken = await post(harness, form.action, cookie, { username: 'mjackson', password: 'mjackson' });

    assert.deepEqual([noCookie.status, wrongToken.status, noToken.status], [403, 403, 403]);
    assert.equal(await harness.db.selectFrom('grants').select('id').where('kind', '=', 'ticket').where('user_id', '=', 'mjackson').execute().then((rows) => rows.length), 1);
  });

  test('sign-out ends the ticket in Alfresco and deletes the grant', async () => {
    const { form, cookie } = await openForm(harness);
    const result = await popupResult(await post(harness, form.action, cookie, { ...form.hidden, username: 'abeecher', password: 'abeecher' }));
    const session = result.data.message!.session!;
    const grantRow = await harness.db.selectFrom('grants').select('id').where('user_id', '=', 'abeecher').executeTakeFirstOrThrow();
    const sealed = await harness.db.selectFrom('grants').select('access_sealed').where('id', '=', grantRow.id).executeTakeFirstOrThrow();
    const ticket = box.open(sealed.access_sealed);
    const validate = () => fetch(`${sandbox.url}${AUTH}/tickets/-me-`, { headers: { Authorization: `Basic ${Buffer.from(`ROLE_TICKET:${ticket}`).toString('base64')}` } });
    assert.equal((await validate()).status, 200);

    const out = await harness.call('/api/session', { session, method: 'DELETE' });

    assert.equal(out.status, 204);
    assert.equal(await harness.db.selectFrom('grants').select('id').where('id', '=', grantRow.id).executeTakeFirst(), undefined);
    const after = await harness.call('/api/session', { session });
    assert.equal(after.status, 401);
    assert.equal(((await after.json()) as { error: { code: string } }).error.code, 'FS_ERR_NOT_CONNECTED');
    assert.equal((await validate()).status, 401, 'the ticket still works in Alfresco');
  });

  test('an expired ticket attempt shows the expiry, not the form', async () => {
    const { formUrl } = await openForm(harness, 'nonce-ticket-exp');
    await harness.db.updateTable('sign_in_attempts').set({ created_at: Date.now() - 11 * 60_000 }).where('state', '=', formUrl.searchParams.get('state')!).execute();

    const result = await popupResult(await companionRequest(harness, formUrl));

    assert.equal(result.data.message?.code, 'FS_ERR_CONNECT_EXPIRED');
    assert.doesNotMatch(result.html, /<form/);
  });

  test('a ticket Alfresco no longer honours answers FS_ERR_RECONNECT', async () => {
    const { form, cookie } = await openForm(harness);
    const result = await popupResult(await post(harness, form.action, cookie, { ...form.hidden, username: 'admin', password: 'admin' }));
    const session = result.data.message!.session!;
    assert.equal((await harness.call('/api/session', { session })).status, 200);
    sandbox.state.faults.expireTokens();

    const response = await harness.call('/api/session', { session });

    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'FS_ERR_RECONNECT');
  });
});

