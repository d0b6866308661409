import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { parseForm, type Browser, type Landing } from './oidc-browser.ts';

/** The steps of an authorization code flow with PKCE, as a browser would walk them against the identity service. */
export interface Authorization {
  url: URL;
  verifier: string;
  state: string;
  redirectUri: string;
}

export async function authorization(config: oidc.Configuration, redirectUri: string, extra: Record<string, string> = {}): Promise<Authorization> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, verifier, state, redirectUri };
}

export function asPage(landing: Landing): Extract<Landing, { kind: 'page' }> {
  assert.equal(landing.kind, 'page', `expected a page, got a redirect to ${landing.url.href}`);
  return landing;
}

export function asCallback(landing: Landing): URL {
  assert.equal(landing.kind, 'redirect-uri', `expected the redirect URI, got a page at ${landing.url.href}`);
  return landing.url;
}

/** Opens the authorization URL, fills in the sign-in form and returns the callback URL it redirects to. */
export async function signIn(browser: Browser, auth: Authorization, username: string, password: string): Promise<URL> {
  const page = asPage(await browser.navigate(auth.url, auth.redirectUri));
  const form = parseForm(page.html, page.url);
  return asCallback(await browser.navigate(form.action, auth.redirectUri, { ...form.hidden, username, password }));
}

