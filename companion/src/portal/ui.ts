import { readFile } from 'node:fs/promises';

/** The portal's script as the package's build writes it, beside this module in dist/portal/. */
export const PORTAL_SCRIPT_FILE = 'portal-app.js';

/** A source of the portal's script: an installed companion reads its built file; the repository's stack bundles the source. */
export type PortalScript = () => Promise<string>;

let built: Promise<string> | undefined;

/** The script the package's build made; a failed read is not remembered. */
export const builtPortalScript: PortalScript = () => {
  if (!built) {
    built = readFile(new URL(`./${PORTAL_SCRIPT_FILE}`, import.meta.url), 'utf8');
    built.catch(() => {
      built = undefined;
    });
  }
  return built;
};

/** The portal's HTML page: the Lit app and a no-script message. */
export function portalPage({ enabled, base }: { enabled: boolean; base: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fs-picker developer portal</title>
<style>
  :root { color-scheme: light dark; }
  body { margin: 0; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; background: Canvas; color: CanvasText; }
</style>
<script type="module" src="${base}/portal.js"></script>
</head>
<body>
<fs-portal${enabled ? '' : ' disabled'}>
<main><h1>fs-picker developer portal</h1><noscript><p>The portal needs JavaScript.</p></noscript></main>
</fs-portal>
</body>
</html>`;
}
