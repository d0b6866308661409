#!/usr/bin/env node
/**
 * `npx fs-picker-companion [--config companion.json]`: the companion on its own. `--config` names the JSON
 * configuration (the same file FS_CONFIG names; the FS_* variables still apply on top of it). Without
 * either, it serves the embedded defaults: one dev app wired to an Alfresco sandbox on 127.0.0.1:8180.
 */
import { readFileSync } from 'node:fs';

const USAGE = 'Usage: fs-picker-companion [--config companion.json]   (or FS_CONFIG=companion.json fs-picker-companion)';

function fail(message: string): never {
  console.error(`fs-picker-companion: ${message}\n${USAGE}`);
  process.exit(2);
}

/** The configuration file named on the command line, if any; exits on anything it does not know. */
function configArgument(args: string[]): string | undefined {
  let config: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (arg === '--version') {
      const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
      console.log(manifest.version);
      process.exit(0);
    }
    const value = arg === '--config' ? args[++i] : arg.startsWith('--config=') ? arg.slice('--config='.length) : undefined;
    if (value === undefined) fail(arg === '--config' ? '--config needs a file name' : `unknown argument ${JSON.stringify(arg)}`);
    if (value === '') fail('--config needs a file name');
    config = value;
  }
  return config;
}

const config = configArgument(process.argv.slice(2));
if (config !== undefined) process.env.FS_CONFIG = config;
await import('./main.ts');
