import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../../portal/index.ts', import.meta.url));

let bundle: Promise<string> | undefined;

/**
 * The portal's script: src/portal bundled by esbuild on first request and kept in memory, so neither
 * `npm start` nor a deployment needs a build step (about a second, once per process). A failed build is
 * not remembered.
 */
export function portalBundle(): Promise<string> {
  if (!bundle) {
    bundle = (async () => {
      const esbuild = await import('esbuild');
      const result = await esbuild.build({
        entryPoints: [ENTRY],
        bundle: true,
        format: 'esm',
        target: 'es2022',
        minify: true,
        write: false,
        legalComments: 'none',
        logLevel: 'silent',
      });
      return result.outputFiles[0]!.text;
    })();
    bundle.catch(() => {
      bundle = undefined;
    });
  }
  return bundle;
}

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
