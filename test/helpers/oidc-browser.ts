/**
 * Just enough of a browser to walk an OpenID Connect sign-in in Node: a cookie jar kept by hand (with
 * paths and expiry), redirects followed one hop at a time until one reaches the client's redirect URI
 * (which nobody serves: we stop there and read `code`), and the forms of an HTML page.
 */

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expiresAt: number;
}

export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  /** Stores the `Set-Cookie` headers of a response to `url` (host-only; the tests use one host). */
  store(url: URL, setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const cookie: StoredCookie = { name: pair.slice(0, eq), value: pair.slice(eq + 1), path: defaultPath(url), expiresAt: Infinity };
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.split('=');
        const value = rest.join('=');
        switch (key.toLowerCase()) {
          case 'path':
            if (value.startsWith('/')) cookie.path = value;
            break;
          case 'max-age':
            cookie.expiresAt = Date.now() + Number(value) * 1000;
            break;
          case 'expires':
            if (cookie.expiresAt === Infinity) cookie.expiresAt = Date.parse(value);
            break;
        }
      }
      const key = `${cookie.name};${cookie.path}`;
      if (cookie.expiresAt <= Date.now()) this.#cookies.delete(key);
      else this.#cookies.set(key, cookie);
    }
  }

  /** The `Cookie` header a browser would send to `url`, longest paths first. */
  header(url: URL): string | undefined {
    const now = Date.now();
    const matching = [...this.#cookies.values()]
      .filter((cookie) => cookie.expiresAt > now && pathMatches(url.pathname, cookie.path))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map(({ name, value }) => `${name}=${value}`).join('; ') : undefined;
  }

  names(): string[] {
    return [...this.#cookies.values()].map(({ name }) => name);
  }
}

function defaultPath(url: URL): string {
  const slash = url.pathname.lastIndexOf('/');
  return slash <= 0 ? '/' : url.pathname.slice(0, slash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}

/** Where a navigation ended: a page (not a redirect), or the redirect to the client's redirect URI. */
export type Landing = { kind: 'page'; url: URL; response: Response; html: string } | { kind: 'redirect-uri'; url: URL };

export class Browser {
  readonly jar = new CookieJar();

  /** One request, no redirects followed, cookies sent and stored. */
  async request(url: URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers = new Headers();
    const cookie = this.jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    let body: string | undefined;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.jar.store(url, response.headers.getSetCookie());
    return response;
  }

  /**
   * Navigates to `url` (optionally posting a form) and follows redirects until a page, or until a
   * redirect goes to a URL starting with `redirectUri`, which is returned unvisited.
   */
  async navigate(url: URL, redirectUri: string, form?: Record<string, string>): Promise<Landing> {
    let current = url;
    let response = await this.request(current, form ? { form } : {});
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { kind: 'page', url: current, response, html: await response.text() };
      }
      await response.body?.cancel();
      current = new URL(location, current);
      if (current.href.startsWith(redirectUri)) return { kind: 'redirect-uri', url: current };
      response = await this.request(current);
    }
    throw new Error(`more than 10 redirects from ${url.href}`);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]!);
}

function attributes(tag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of tag.matchAll(/([\w.-]+)\s*=\s*"([^"]*)"/g)) result[match[1]!.toLowerCase()] = decodeEntities(match[2]!);
  return result;
}

export interface HtmlForm {
  action: URL;
  method: string;
  /** Hidden inputs, by name. */
  hidden: Record<string, string>;
  /** Names of every input (hidden or not). */
  inputs: string[];
}

/** The first form of a page (the action resolved against the page's URL). */
export function parseForm(html: string, pageUrl: URL): HtmlForm {
  const formMatch = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!formMatch) throw new Error('no form on the page');
  const formAttributes = attributes(formMatch[1]!);
  const hidden: Record<string, string> = {};
  const inputs: string[] = [];
  for (const input of formMatch[2]!.matchAll(/<input\b([^>]*)>/gi)) {
    const { name, type, value } = attributes(input[1]!);
    if (!name) continue;
    inputs.push(name);
    if (type === 'hidden') hidden[name] = value ?? '';
  }
  return { action: new URL(formAttributes.action ?? pageUrl.href, pageUrl), method: (formAttributes.method ?? 'get').toLowerCase(), hidden, inputs };
}
