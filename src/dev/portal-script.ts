import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * The developer portal's script: its Lit elements (companion/portal/) bundled by esbuild. The companion
 * package's build writes it into dist/portal/ for an install to serve; `npm start` and the tests bundle it
 * in memory when the portal is first opened (about a second), so the repository needs no build step.
 */
const PORTAL_BUILD: BuildOptions = {
  entryPoints: [fileURLToPath(new URL('../../companion/portal/index.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'silent',
};

/** Writes the portal's script to `outfile`. */
export async function writePortalScript(outfile: string): Promise<void> {
  await build({ ...PORTAL_BUILD, outfile });
}

let bundled: Promise<string> | undefined;

/** The portal's script, bundled from source once per process; a failed build is not remembered. */
export function bundlePortalScript(): Promise<string> {
  if (!bundled) {
    bundled = build({ ...PORTAL_BUILD, write: false }).then((result) => result.outputFiles[0]!.text);
    bundled.catch(() => {
      bundled = undefined;
    });
  }
  return bundled;
}
