import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { startStack, type Stack } from '../../src/dev/stack.ts';
import { buildApp } from '../../companion/src/app.ts';
import { parseConfig } from '../../companion/src/config.ts';
import { listen, type Listening } from '../../companion/src/listen.ts';
import { axeViolations, clickToClose, launchChromium } from '../helpers/browser.ts';

/** The popup for real, in Chromium: an opener page on an allowed origin opens /auth/alfresco/start and waits for the message. */

interface Received {
  origin: string;
  data: { type: string; nonce: string; session?: string; user?: { id: string; name: string }; code?: string; message?: string };
}

const OPENER_PAGE = `<!doctype html><html lang="en"><head><title>Opener</title></head><body><main><h1>Opener</h1></main></body></html>`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Opens the popup from the opener page as the element does, and resolves with the first message the opener gets. */
async function openPopup(page: Page, url: string): Promise<{ popup: Page; message: Promise<Received> }> {
  await page.evaluate(() => {
    const w = window as unknown as { received: Promise<unknown> };
    w.received = new Promise((resolve) => window.addEventListener('message', (event) => resolve({ origin: event.origin, data: event.data as unknown }), { once: true }));
  });
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.evaluate((target) => void window.open(target, `fs-picker-auth-${Math.random()}`, 'popup,width=480,height=640'), url)]);
  return { popup, message: page.evaluate(() => (window as unknown as { received: Promise<Received> }).received) };
}

describe('The sign-in popup in Chromium', () => {
  let opener: Server;
  let openerOrigin: string;
  let stack: Stack;
  let ticketCompanion: Listening;
  let browser: Browser;
  let page: Page;

  before(async () => {
    opener = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(OPENER_PAGE));
    await new Promise<void>((resolve) => opener.listen(0, '127.0.0.1', resolve));
    openerOrigin = `http://127.0.0.1:${(opener.address() as AddressInfo).port}`;
    stack = await startStack({ demo: false, allowedOrigins: [openerOrigin], logLevel: 'silent' });
    const port = await freePort();
    const config = parseConfig({ port, alfresco: { repositoryUrl: stack.urls.sandbox, signIn: { type: 'ticket' } }, apps: [{ apiKey: 'ticket-app-key', name: 'Ticket app', allowedOrigins: [openerOrigin] }] });
    ticketCompanion = await listen(await buildApp(config, { logger: pino({ level: 'silent' }) }), { port });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(openerOrigin);
  });
  after(async () => {
    await browser?.close();
    await ticketCompanion?.close();
    await stack?.stop();
    await new Promise((resolve) => opener?.close(resolve));
  });

  test('OpenID Connect: the opener receives the session from the companion’s origin, the popup closes, the session works', async () => {
    const start = `${stack.urls.companion}/auth/alfresco/start?${new URLSearchParams({ key: stack.apiKey, origin: openerOrigin, nonce: 'chromium-nonce-1' })}`;
    const { popup, message } = await openPopup(page, start);

    await popup.getByLabel('Username or email').or(popup.getByLabel(/user/i)).first().fill('mjackson');
    await popup.getByLabel(/password/i).fill('mjackson');
    await clickToClose(popup, popup.getByRole('button', { name: /sign in/i }));
    const received = await message;

    assert.equal(received.origin, stack.urls.companion);
    assert.equal(received.data.type, 'fs-picker:connected');
    assert.equal(received.data.nonce, 'chromium-nonce-1');
    assert.deepEqual(received.data.user, { id: 'mjackson', name: 'Mike Jackson' });
    const me = await fetch(`${stack.urls.companion}/api/session?key=${stack.apiKey}`, { headers: { Authorization: `Bearer ${received.data.session}`, Origin: openerOrigin } });
    assert.deepEqual(await me.json(), { user: { id: 'mjackson', name: 'Mike Jackson' }, source: 'ALFRESCO' });
  });

  test('ticket sign-in: a wrong password is explained in the popup, the right one reaches the opener', async () => {
    const start = `${ticketCompanion.url}/auth/alfresco/start?${new URLSearchParams({ key: 'ticket-app-key', origin: openerOrigin, nonce: 'chromium-nonce-2' })}`;
    const { popup, message } = await openPopup(page, start);

    await popup.getByLabel('User name').fill('abeecher');
    await popup.getByLabel('Password').fill('wrong');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await popup.getByRole('alert').innerText(), 'The user name or password is not correct.');

    await popup.getByLabel('Password').fill('abeecher');
    await clickToClose(popup, popup.getByRole('button', { name: 'Sign in' }));
    const received = await message;

    assert.equal(received.origin, ticketCompanion.url);
    assert.equal(received.data.type, 'fs-picker:connected');
    assert.equal(received.data.nonce, 'chromium-nonce-2');
    assert.deepEqual(received.data.user, { id: 'abeecher', name: 'Alice Beecher' });
  });

  test('a failure is posted to the opener and explained in the popup, which stays open', async () => {
    const denied = await fetch(`${stack.urls.companion}/auth/alfresco/start?${new URLSearchParams({ key: stack.apiKey, origin: openerOrigin, nonce: 'chromium-nonce-3' })}`, { redirect: 'manual' });
    const state = new URL(denied.headers.get('location')!).searchParams.get('state')!;
    const { popup, message } = await openPopup(page, `${stack.urls.companion}/auth/alfresco/callback?error=access_denied&state=${state}`);
    const received = await message;

    assert.equal(received.origin, stack.urls.companion);
    assert.deepEqual({ ...received.data, message: undefined }, { type: 'fs-picker:connect-failed', nonce: 'chromium-nonce-3', code: 'FS_ERR_CONNECT_DENIED', message: undefined });
    assert.match(await popup.getByRole('alert').innerText(), /not allowed/);
    await clickToClose(popup, popup.getByRole('button', { name: 'Close this window' }));
  });

  test('the form and the error pages have no axe violations', async () => {
    // axe is injected as an inline script, which the pages' CSP rightly refuses: this context lets it in.
    const context = await browser.newContext({ bypassCSP: true });
    try {
      const checked = await context.newPage();
      const started = await fetch(`${ticketCompanion.url}/auth/alfresco/start?${new URLSearchParams({ key: 'ticket-app-key', origin: openerOrigin, nonce: 'chromium-nonce-4' })}`, { redirect: 'manual' });
      await checked.goto(started.headers.get('location')!);
      assert.deepEqual(await axeViolations(checked), []);
      await checked.getByLabel('User name').fill('abeecher');
      await checked.getByLabel('Password').fill('wrong');
      await checked.getByRole('button', { name: 'Sign in' }).click();
      await checked.getByRole('alert').waitFor();
      assert.deepEqual(await axeViolations(checked), []);

      await checked.goto(`${stack.urls.companion}/auth/alfresco/start?${new URLSearchParams({ key: stack.apiKey, origin: 'https://not-allowed.example', nonce: 'chromium-nonce-5' })}`);
      assert.match(await checked.getByRole('alert').innerText(), /not allowed/);
      assert.deepEqual(await axeViolations(checked), []);
    } finally {
      await context.close();
    }
  });
});
