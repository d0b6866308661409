// The first step of `npm test`: every system package the tests need is there (in CI, as root, it installs
// what is missing), or one message names them all with the command that installs them, before anything
// slow runs. Then the npm dependencies, if they are missing.
import { install, installCommand, mayInstall, missingRequirements } from './system-packages.mjs';
import { ensureNpmDependencies } from './npm-install.mjs';

const missing = missingRequirements();
if (missing.length > 0 && mayInstall()) install(missing);
const still = missingRequirements();
if (still.length > 0) {
  console.error(
    `npm test needs what this machine lacks:\n${still.map((requirement) => `  - ${requirement.name}: ${requirement.packages.join(' ')}`).join('\n')}\n` +
      `Install them all with:\n  ${installCommand(still)}\n(or set CHROME_PATH to a Chrome or Chromium you have).`,
  );
  process.exit(1);
}
ensureNpmDependencies();
