import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startCompanion, type CompanionHarness } from '../helpers/companion.ts';

let h: CompanionHarness;
before(async () => {
  h = await startCompanion({ portal: { adminPassword: 'a-portal-password-for-tests' } });
});
after(() => h.close());

/** The headers no answer of the companion goes without. */
function assertGuarded(response: Response, what: string): void {
  assert.equal(response.headers.get('X-Content-Type-Options'), 'nosniff', `${what}: nosniff`);
  assert.equal(response.headers.get('Referrer-Policy'), 'no-referrer', `${what}: Referrer-Policy`);
  assert.match(response.headers.get('Content-Security-Policy') ?? '', /frame-ancestors 'none'|sandbox/, `${what}: a CSP that forbids framing (or sandboxes)`);
}

describe('security headers on everything the companion serves', () => {
  test('the portal page, its script and its API', async () => {
    assertGuarded(await h.app.request('/portal'), 'the portal page');
    assertGuarded(await h.app.request('/portal/api/session'), 'the portal API');
  });

  test('the sign-in pages: the start, the password form, the callback with a bad state', async () => {
    const start = await h.call('/auth/alfresco/start?opener=https%3A%2F%2Fapp.example.com&nonce=abcdefghijklmnop');
    assertGuarded(start, `GET /auth/alfresco/start (${start.status})`);
    assertGuarded(await h.call('/auth/alfresco/ticket?opener=https%3A%2F%2Fapp.example.com'), 'the password form');
    const callback = await h.app.request('/auth/alfresco/callback?state=forged&code=x');
    assertGuarded(callback, `the callback (${callback.status})`);
    assert.ok(callback.status >= 400, 'a forged state is refused');
  });

  test('API answers and errors, the health check, an unknown path', async () => {
    assertGuarded(await h.call('/api/services'), 'GET /api/services');
    assertGuarded(await h.call('/api/pick', { method: 'POST', body: '{' }), 'an API error');
    assertGuarded(await h.app.request('/healthz'), '/healthz');
    assertGuarded(await h.app.request('/nowhere'), 'a 404');
  });

  test('a stored file served from its link, including one stored as HTML', async () => {
    const { blob } = (await (await h.call('/api/store?filename=page.html&mimetype=text/html', { method: 'POST', body: '<script>alert(1)</script>' })).json()) as { blob: { handle: string } };
    const served = await h.app.request(`/api/file/${blob.handle}`);
    assertGuarded(served, 'a stored HTML file');
    assert.match(served.headers.get('Content-Disposition') ?? '', /^attachment/, 'HTML is never served inline');
  });

  test('Strict-Transport-Security once the companion is served over https', async () => {
    const secure = await startCompanion({ publicUrl: 'https://files.example.com' }, h.sandbox);
    try {
      assert.match((await secure.app.request('/healthz')).headers.get('Strict-Transport-Security') ?? '', /max-age=\d+/);
    } finally {
      await secure.close();
    }
    assert.equal((await h.app.request('/healthz')).headers.get('Strict-Transport-Security'), null, 'not over plain http');
  });
});
