import type { Plugin, UserConfig } from 'vite';

export interface DemoTarget {
  server: string;
  apiKey: string;
}

/**
 * Fills the demo page's companion URL and API key. They are read per request because the companion
 * starts after the dev server (its allowed origins must name the dev server's port).
 */
function demoPage(target: () => DemoTarget): Plugin {
  return {
    name: 'fs-demo-page',
    transformIndexHtml(html) {
      const { server, apiKey } = target();
      return html.replaceAll('%FS_SERVER%', server).replaceAll('%FS_API_KEY%', apiKey);
    },
  };
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
