import { Browser, parseForm } from './oidc-browser.ts';

export interface StackSessionOptions {
  companion: string;
  apiKey: string;
  /** The page origin the session is for (the test runner's page). */
  origin: string;
  user: string;
  nonce?: string;
}

/**
 * Walks the companion's OAuth popup over real HTTP, as a browser would (start → the sandbox's sign-in
 * form → callback), and returns the session token the popup page would post to the opener. Browser tests
 * use it (through the `fs-session` server command) to start signed in without driving a popup.
 */
export async function signInOverHttp({ companion, apiKey, origin, user, nonce = 'stack-session-nonce' }: StackSessionOptions): Promise<{ session: string; user: { id: string; name: string } }> {
  const browser = new Browser();
  const callback = `${companion}/auth/alfresco/callback`;
  const start = new URL(`${companion}/auth/alfresco/start`);
  start.search = new URLSearchParams({ key: apiKey, origin, nonce }).toString();
  const signInPage = await browser.navigate(start, callback);
  if (signInPage.kind !== 'page') throw new Error(`expected the sandbox sign-in page, got a redirect to ${signInPage.url.href}`);
  const form = parseForm(signInPage.html, signInPage.url);
  const landing = await browser.navigate(form.action, callback, { ...form.hidden, username: user, password: user });
  if (landing.kind !== 'redirect-uri') throw new Error(`sign-in as ${user} failed: ${landing.html.slice(0, 300)}`);
  const page = await (await fetch(landing.url)).text();
  const data = /<script type="application\/json" id="fs-popup-data">([\s\S]*?)<\/script>/.exec(page)?.[1];
  const message = data ? (JSON.parse(data) as { message?: { type: string; session?: string; user?: { id: string; name: string } } }).message : undefined;
  if (message?.type !== 'fs-picker:connected' || !message.session || !message.user) throw new Error(`the popup did not connect: ${page.slice(0, 300)}`);
  return { session: message.session, user: message.user };
}
