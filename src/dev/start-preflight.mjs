// The first step of `npm start`: the npm dependencies, installed if they are missing.
import { ensureNpmDependencies } from './npm-install.mjs';

ensureNpmDependencies();
