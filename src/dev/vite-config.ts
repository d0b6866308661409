import type { Plugin, UserConfig } from 'vite';

export interface DemoTarget {
  server: string;
  apiKey: string;
}

/** The name of the file the demo's export sample saves into Alfresco. */
export const DEMO_SAMPLE_FILENAME = 'fs-picker-sample.png';

/**
 * Fills the demo page's placeholders: `%FS_SERVER%` (the companion URL), `%FS_API_KEY%` and
 * `%FS_SAMPLE_URL%`, the link of the file the export sample saves. They are read per request because the
 * companion starts after the dev server (its allowed origins must name the dev server's port).
 */
function demoPage(target: () => DemoTarget): Plugin {
  const sample = new SampleLink();
  return {
    name: 'fs-demo-page',
    transformIndexHtml: {
      // Before Vite moves the page's inline module script into a module of its own, so it is filled too.
      order: 'pre',
      async handler(html) {
        const { server, apiKey } = target();
        const sampleUrl = html.includes('%FS_SAMPLE_URL%') ? await sample.url(server, apiKey) : '';
        return html.replaceAll('%FS_SERVER%', server).replaceAll('%FS_API_KEY%', apiKey).replaceAll('%FS_SAMPLE_URL%', sampleUrl);
      },
    },
  };
}

/**
 * The export sample's input. The guide's sample lost its URL, and a URL on this dev server would not do:
 * the companion refuses to fetch loopback addresses (its SSRF rule, unless the app sets allowPrivateUrls).
 * So a small generated PNG is stored in the companion once (`POST /api/store`, as any server with the key
 * may) and the sample exports that distributable link, which the companion copies by handle. Stored again
 * when the link stopped working (a new companion, or the file was removed).
 */
class SampleLink {
  #cached: { server: string; url: Promise<string> } | undefined;

  async url(server: string, apiKey: string): Promise<string> {
    const cached = this.#cached;
    if (cached?.server === server) {
      const url = await cached.url.catch(() => '');
      if (url && (await fetch(url, { method: 'HEAD' }).then((response) => response.ok, () => false))) return url;
    }
    const url = storeSample(server, apiKey);
    this.#cached = { server, url };
    return url.catch((error: unknown) => {
      // The page still works; the export sample then reports the empty input as its error.
      console.warn(`demo: could not store the export sample in the companion: ${String(error)}`);
      return '';
    });
  }
}

async function storeSample(server: string, apiKey: string): Promise<string> {
  const query = new URLSearchParams({ key: apiKey, filename: DEMO_SAMPLE_FILENAME, mimetype: 'image/png' });
  const response = await fetch(`${server}/api/store?${query}`, { method: 'POST', body: new Uint8Array(await samplePng()), headers: { 'Content-Type': 'image/png' } });
  if (!response.ok) throw new Error(`the companion answered ${response.status}: ${await response.text()}`);
  const { blob } = (await response.json()) as { blob: { url: string } };
  return blob.url;
}

/** A 480×320 PNG: a gradient with the words "fs-picker sample". */
async function samplePng(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2457c5"/><stop offset="1" stop-color="#1e7a3c"/></linearGradient></defs>
  <rect width="480" height="320" fill="url(#g)"/>
  <text x="240" y="172" font-family="sans-serif" font-size="40" fill="#fff" text-anchor="middle">fs-picker sample</text>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * The Vite configuration of the demo dev server (Storybook reuses it). The package itself is built by
 * tsc (`npm run build`); bench/size.ts bundles the entries on its own to measure them.
 */
export function viteConfig(target?: () => DemoTarget): UserConfig {
  return {
    plugins: target ? [demoPage(target)] : [],
    build: { target: 'es2022' },
  };
}
