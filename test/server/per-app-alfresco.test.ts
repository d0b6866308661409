import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FolderListing } from '../../src/protocol/browse.ts';
import type { PickResponse } from '../../src/protocol/pick.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { AppRegistry } from '../../companion/src/apps/registry.ts';
import { TEST_APP, TEST_ORIGIN, type CompanionHarness } from '../helpers/companion.ts';
import { CALLBACK, COMPANION_URL, companionRequest, connectWithOAuth, countTokenRequests, popupResult, startOidcCompanion } from '../helpers/companion-auth.ts';
import { Browser, parseForm } from '../helpers/oidc-browser.ts';
import { coreApi, startTestSandbox } from '../helpers/sandbox.ts';

/** App B: its own OAuth application, and (set through the registry below) its own repository and issuer. */
const APP_B = { apiKey: 'app-b-key', name: 'App B', allowedOrigins: [TEST_ORIGIN] };
const OAUTH_B = { clientId: 'fs-app-b', clientSecret: 'fs-app-b-secret' };

let h: CompanionHarness;
let sandboxB: RunningSandbox;
let onlyInB: { id: string; name: string };

/** The OAuth popup for app B, from /start to the companion's callback page; the session it hands over. */
async function connectB(user = 'mjackson'): Promise<string> {
  const started = await h.app.request(`/auth/alfresco/start?${new URLSearchParams({ key: APP_B.apiKey, origin: TEST_ORIGIN, nonce: 'nonce-app-b-0001' })}`);
  assert.equal(started.status, 302, await started.clone().text());
  const authorize = new URL(started.headers.get('location')!);
  assert.equal(authorize.origin, new URL(sandboxB.issuer).origin, 'app B signs in at its own identity service');
  const browser = new Browser();
  const signIn = await browser.navigate(authorize, CALLBACK);
  assert.equal(signIn.kind, 'page');
  const form = parseForm(signIn.html, signIn.url);
  const landing = await browser.navigate(form.action, CALLBACK, { ...form.hidden, username: user, password: user });
  assert.equal(landing.kind, 'redirect-uri', landing.kind === 'page' ? landing.html : '');
  const result = await popupResult(await companionRequest(h, landing.url));
  assert.equal(result.data.message?.type, 'fs-picker:connected', result.html);
  return result.data.message.session!;
}

const callAs = (key: string, path: string, session: string, init: RequestInit = {}) => {
  const url = new URL(path, COMPANION_URL);
  url.searchParams.set('key', key);
  return h.call(url.pathname + url.search, { ...init, session });
};

before(async () => {
  // App A (TEST_APP) uses the operator's sandbox and issuer; app B gets a second sandbox of its own.
  h = await startOidcCompanion({ overrides: { apps: [TEST_APP, { ...APP_B, alfrescoOAuth: OAUTH_B }] } });
  sandboxB = await startTestSandbox({ identity: {} });
  sandboxB.identity.registerClient({ ...OAUTH_B, redirectUris: [CALLBACK] });
  const registry = AppRegistry.of(h.db);
  const b = registry.get(APP_B.apiKey)!;
  await registry.update(b.id, { alfresco: { repositoryUrl: sandboxB.url, issuer: sandboxB.issuer } });

  // A file that only the second repository has.
  const api = coreApi(sandboxB, 'mjackson');
  const created = await api<{ entry: { id: string; name: string } }>('/nodes/-my-/children', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'only-in-b.txt', nodeType: 'cm:content' }),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const written = await api(`/nodes/${created.body.entry.id}/content`, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'content of the second repository' });
  assert.equal(written.status, 200, JSON.stringify(written.body));
  onlyInB = created.body.entry;
});

after(async () => {
  await h.close();
  await sandboxB.close();
});

describe('Per-app Alfresco (repository and identity service from the portal)', () => {
  test('app B signs in at its own issuer, browses and picks from its own repository; app A still uses the default', async () => {
    const sessionB = await connectB();
    const { session: sessionA } = await connectWithOAuth(h);

    const listingB = await callAs(APP_B.apiKey, '/api/alfresco/folders/-my-', sessionB);
    assert.equal(listingB.status, 200, await listingB.clone().text());
    assert.ok(((await listingB.json()) as FolderListing).items.some((item) => item.name === 'only-in-b.txt'), 'app B lists the second repository');

    const listingA = await callAs(TEST_APP.apiKey, '/api/alfresco/folders/-my-', sessionA);
    assert.equal(listingA.status, 200);
    assert.ok(!((await listingA.json()) as FolderListing).items.some((item) => item.name === 'only-in-b.txt'), 'app A lists the operator’s repository');

    const picked = await callAs(APP_B.apiKey, '/api/pick', sessionB, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [onlyInB.id] }) });
    assert.equal(picked.status, 200, await picked.clone().text());
    const { blobs } = (await picked.json()) as PickResponse;
    assert.equal(blobs[0]!.filename, 'only-in-b.txt');
    const content = await h.app.request(new URL(blobs[0]!.url).pathname);
    assert.equal(content.status, 200);
    assert.equal(await content.text(), 'content of the second repository');

    // App A's grant cannot see B's node: its calls go to the other repository.
    const pickedA = await callAs(TEST_APP.apiKey, '/api/pick', sessionA, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [onlyInB.id] }) });
    assert.equal(pickedA.status, 404);

    const who = await callAs(APP_B.apiKey, '/api/session', sessionB);
    assert.equal(who.status, 200);
  });

  test('app B exports (and writes) into its own repository', async () => {
    const sessionB = await connectB();
    const exported = await callAs(APP_B.apiKey, `/api/export?${new URLSearchParams({ folderId: '-my-', filename: 'exported-to-b.txt' })}`, sessionB, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'exported into B',
    });
    assert.equal(exported.status, 200, await exported.clone().text());
    const { blob } = (await exported.json()) as { blob: { url: string; handle: string } };
    const inB = await coreApi(sandboxB, 'mjackson')<{ entry: { id: string } }>(`/nodes/-my-?relativePath=exported-to-b.txt`);
    assert.equal(inB.status, 200, 'the file is in the second repository');
    const inA = await coreApi(h.sandbox, 'mjackson')(`/nodes/-my-?relativePath=exported-to-b.txt`);
    assert.equal(inA.status, 404, 'and not in the operator’s');

    const written = await callAs(APP_B.apiKey, `/api/write/${blob.handle}`, sessionB, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'written into B' });
    assert.ok(written.status < 300, await written.clone().text());
    const content = await fetch(`${sandboxB.url}/alfresco/api/-default-/public/alfresco/versions/1/nodes/${inB.body.entry.id}/content`, { headers: { Authorization: `Basic ${Buffer.from('mjackson:mjackson').toString('base64')}` } });
    assert.equal(await content.text(), 'written into B');
  });

  test('an expired token of app B is refreshed at app B’s identity service', async () => {
    const sessionB = await connectB('abeecher');
    await h.db.updateTable('grants').set({ expires_at: Date.now() - 60_000 }).where('app_key', '=', APP_B.apiKey).where('user_id', '=', 'abeecher').execute();
    const atB = countTokenRequests(sandboxB);
    const atA = countTokenRequests(h.sandbox);
    try {
      const listing = await callAs(APP_B.apiKey, '/api/alfresco/folders/-my-', sessionB);
      assert.equal(listing.status, 200, await listing.clone().text());
    } finally {
      atA.stop();
      atB.stop();
    }
    assert.equal(atB.counts.refresh_token, 1);
    assert.equal(atA.counts.refresh_token, undefined);
  });

  test('an app with only its own repository (no issuer) signs in with the ticket form against that repository', async () => {
    const registry = AppRegistry.of(h.db);
    const b = registry.get(APP_B.apiKey)!;
    await registry.update(b.id, { alfresco: { issuer: null } });
    try {
      const started = await h.app.request(`/auth/alfresco/start?${new URLSearchParams({ key: APP_B.apiKey, origin: TEST_ORIGIN, nonce: 'nonce-app-b-0002' })}`);
      assert.equal(started.status, 302);
      const formUrl = new URL(started.headers.get('location')!);
      assert.equal(formUrl.pathname, '/auth/alfresco/ticket');
      const page = await companionRequest(h, formUrl);
      const cookie = page.headers.getSetCookie().map((value) => value.split(';')[0]!).join('; ');
      const form = parseForm(await page.text(), formUrl);
      const result = await popupResult(
        await companionRequest(h, form.action, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
          body: new URLSearchParams({ ...form.hidden, username: 'mjackson', password: 'mjackson' }).toString(),
        }),
      );
      assert.equal(result.data.message?.type, 'fs-picker:connected', result.html);
      const listing = await callAs(APP_B.apiKey, '/api/alfresco/folders/-my-', result.data.message.session!);
      assert.ok(((await listing.json()) as FolderListing).items.some((item) => item.name === 'only-in-b.txt'));
    } finally {
      await registry.update(b.id, { alfresco: { issuer: sandboxB.issuer } });
    }
  });
});
