import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * Written by hand (no `storybook init`): the framework, the stories, and nothing that needs the network.
 * The Vite builder also loads the root vite.config.ts (the demo page's placeholder filler, harmless here).
 */
const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  core: {
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
  },
  viteFinal(viteConfig) {
    viteConfig.build ??= {};
    // Storybook's own preview runtime is one ~880 kB chunk; the default 500 kB warning is about our code.
    viteConfig.build.chunkSizeWarningLimit = 1200;
    return viteConfig;
  },
};

export default config;
