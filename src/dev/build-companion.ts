/**
 * Builds the companion package into companion/dist (its `build` and `prepack`): the browser package
 * first, whose dist/protocol the companion's imports and types resolve to as they will for a user, then
 * the companion's JavaScript and types, then the developer portal's script, so an install needs no bundler.
 */
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PORTAL_SCRIPT_FILE } from '../../companion/src/portal/ui.ts';
import { writePortalScript } from './portal-script.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const companion = fileURLToPath(new URL('../../companion', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

await rm(`${companion}/dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: companion, stdio: 'inherit' });
await writePortalScript(`${companion}/dist/portal/${PORTAL_SCRIPT_FILE}`);
