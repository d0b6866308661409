import { defineConfig } from 'vite';
import { DEV_API_KEY } from './companion/src/config.ts';
import { viteConfig } from './src/dev/vite-config.ts';

// `npm start` runs the dev server through src/dev/stack.ts with the ports it chose; this file serves
// `vite build` and a plain `vite` against a companion on its default port.
export default defineConfig(viteConfig(() => ({ server: 'http://127.0.0.1:3020', apiKey: DEV_API_KEY })));
