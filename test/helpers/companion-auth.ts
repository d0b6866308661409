import assert from 'node:assert/strict';
import type { CompanionConfigInput } from '../../companion/src/config.ts';
import { Outbound } from '../../companion/src/outbound/index.ts';
import type { RunningSandbox, SandboxOptions } from '../../src/sandbox/sandbox.ts';
import { startCompanion, TEST_APP, TEST_ORIGIN, type CompanionHarness } from './companion.ts';
import { Browser, parseForm } from './oidc-browser.ts';
import { startTestSandbox } from './sandbox.ts';

/** The companion's address in process tests: its OAuth redirect URI is registered with the sandbox under it. */
export const COMPANION_URL = 'http://companion.test';
export const CALLBACK = `${COMPANION_URL}/auth/alfresco/callback`;
export const OAUTH_APP = { clientId: 'fs-test-companion', clientSecret: 'fs-test-companion-secret' };

export interface PopupMessage {
  type: string;
  nonce: string;
  session?: string;
  user?: { id: string; name: string };
  code?: string;
  message?: string;
}

/** What a popup page would do: the message it posts, the origin it posts to, whether it closes. */
export interface PopupResult {
  status: number;
  html: string;
  headers: Headers;
  data: { message?: PopupMessage; origin?: string; close?: boolean };
}

/**
 * A sandbox (own identity settings) and a companion in process that signs in with OpenID Connect against
 * it, as the operator's default OAuth application `OAUTH_APP` (confidential, registered with CALLBACK).
 */
export async function startOidcCompanion(
  { identity, overrides = {}, client = OAUTH_APP }: { identity?: SandboxOptions['identity']; overrides?: Partial<CompanionConfigInput>; client?: { clientId: string; clientSecret?: string } } = {},
): Promise<CompanionHarness> {
  const sandbox = await startTestSandbox({ identity: identity ?? {} });
  sandbox.identity.registerClient({ ...client, redirectUris: [CALLBACK] });
  const harness = await startCompanion(
    {
      publicUrl: COMPANION_URL,
      alfresco: { repositoryUrl: sandbox.url, signIn: { type: 'oidc', issuer: sandbox.issuer }, oauthApp: OAUTH_APP },
      ...overrides,
    },
    sandbox,
  );
  return { ...harness, close: async () => (await harness.close(), await sandbox.close()) };
}

/** Reads the data block of a popup page (the message, its target origin). */
export function popupData(html: string): PopupResult['data'] {
  const match = /<script type="application\/json" id="fs-popup-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(match, 'the page carries no popup data');
  return JSON.parse(match[1]!) as PopupResult['data'];
}

export async function popupResult(response: Response): Promise<PopupResult> {
  const html = await response.text();
  return { status: response.status, html, headers: response.headers, data: popupData(html) };
}

/** GET /auth/alfresco/start as the popup opens it. */
export async function start(harness: CompanionHarness, { key = TEST_APP.apiKey, origin = TEST_ORIGIN, nonce = 'nonce-0123456789' }: { key?: string; origin?: string; nonce?: string } = {}): Promise<Response> {
  const query = new URLSearchParams({ key, origin, nonce });
  return await harness.app.request(`/auth/alfresco/start?${query}`);
}

/** A request to the in-process companion at a URL under COMPANION_URL (as a redirect or a form names it). */
export async function companionRequest(harness: CompanionHarness, url: URL | string, init?: RequestInit): Promise<Response> {
  const target = new URL(url);
  assert.equal(target.origin, COMPANION_URL, `expected a companion URL, got ${target.href}`);
  return await harness.app.request(target.pathname + target.search, init);
}

/**
 * Walks the popup up to the identity service's redirect back: start → authorize → the sandbox's sign-in
 * form → posted. Returns the callback URL (not visited) and the attempt's opener nonce.
 */
export async function authorizeAtSandbox(harness: CompanionHarness, user = 'mjackson', password = user, nonce = 'nonce-0123456789'): Promise<URL> {
  const started = await start(harness, { nonce });
  assert.equal(started.status, 302, await started.clone().text());
  const browser = new Browser();
  const signInPage = await browser.navigate(new URL(started.headers.get('location')!), CALLBACK);
  assert.equal(signInPage.kind, 'page');
  const form = parseForm(signInPage.html, signInPage.url);
  const landing = await browser.navigate(form.action, CALLBACK, { ...form.hidden, username: user, password });
  assert.equal(landing.kind, 'redirect-uri', landing.kind === 'page' ? landing.html : '');
  return landing.url;
}

/** The whole OAuth popup, ending on the companion's callback page; returns what it posts to the opener. */
export async function connectWithOAuth(harness: CompanionHarness, user = 'mjackson', nonce = 'nonce-0123456789'): Promise<PopupResult & { session: string }> {
  const callback = await authorizeAtSandbox(harness, user, user, nonce);
  const result = await popupResult(await companionRequest(harness, callback));
  assert.equal(result.data.message?.type, 'fs-picker:connected', result.html);
  return { ...result, session: result.data.message.session! };
}

/** Counts the identity service's token endpoint calls by grant type, for the time the returned `stop` is not called. */
export function countTokenRequests(sandbox: RunningSandbox): { counts: Record<string, number>; stop: () => void } {
  // openid-client's requests leave through the companion's outbound (its customFetch is webFetch).
  const original = Object.getOwnPropertyDescriptor(Outbound.prototype, 'webFetch')!.value as Outbound['webFetch'];
  const counts: Record<string, number> = {};
  const tokenUrl = `${sandbox.issuer}/protocol/openid-connect/token`;
  Outbound.prototype.webFetch = function (this: Outbound, input, init) {
    const url = String(input);
    if (url === tokenUrl) {
      const grantType = new URLSearchParams(typeof init?.body === 'string' || init?.body instanceof URLSearchParams ? init.body : '').get('grant_type') ?? 'unknown';
      counts[grantType] = (counts[grantType] ?? 0) + 1;
    }
    return original.call(this, input, init);
  };
  return { counts, stop: () => void (Outbound.prototype.webFetch = original) };
}
