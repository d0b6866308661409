import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEV_OAUTH_APP, DEV_PORTAL_PASSWORD } from '../../companion/src/config.ts';
import { isLoopbackHost } from '../../companion/src/startup-checks.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs the companion's own process (`node --import tsx companion/src/main.ts`) with `env`, until it exits
 * or says it is listening (then it is stopped with SIGTERM). Returns what it printed and how it ended.
 */
function runCompanion(env: Record<string, string>): Promise<{ code: number | null; listening: boolean; stdout: string; stderr: string }> {
  const base = { ...process.env };
  for (const name of Object.keys(base)) if (name.startsWith('FS_')) delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'companion/src/main.ts'], { cwd: ROOT, env: { ...base, FS_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let listening = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!listening && stdout.includes('companion listening')) {
      listening = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.once('exit', (code) => (clearTimeout(timer), resolve({ code, listening, stdout, stderr }))));
}

describe('the companion refuses to serve beyond loopback on the development settings', () => {
  test('no configuration and FS_HOST=0.0.0.0: exits 2 naming the dev password and client secret and how to fix it', async () => {
    const run = await runCompanion({ FS_HOST: '0.0.0.0' });

    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.listening, false);
    assert.match(run.stderr, /portal\.adminPassword: is the embedded development value, published with fs-picker, and host is "0\.0\.0\.0", which other machines can reach; set a password of your own/);
    assert.match(run.stderr, /alfresco\.oauthApp\.clientSecret: is the embedded development value/);
    assert.match(run.stderr, /FS_CONFIG: no configuration was given, .*Give it your own configuration \(FS_CONFIG=companion\.json .*\), or listen on this machine only \(FS_HOST=127\.0\.0\.1\)/);
    assert.doesNotMatch(run.stderr + run.stdout, new RegExp(`${DEV_PORTAL_PASSWORD}|${DEV_OAUTH_APP.clientSecret}`), 'the secrets themselves are not printed');
  });

  test('no configuration on 127.0.0.1: it starts', async () => {
    const run = await runCompanion({ FS_HOST: '127.0.0.1' });
    assert.equal(run.listening, true, run.stderr);
    assert.match(run.stdout, /"url":"http:\/\/127\.0\.0\.1:\d+"/);
  });

  test('a configuration file that copies the dev secrets is refused beyond loopback; one with its own secrets starts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-startup-'));
    try {
      const config = (portal: string, clientSecret: string) => ({
        host: '0.0.0.0',
        alfresco: { repositoryUrl: 'http://127.0.0.1:9', signIn: { type: 'oidc', issuer: 'http://127.0.0.1:9/realms/x' }, oauthApp: { clientId: 'companion', clientSecret } },
        apps: [{ apiKey: 'own-app-key-123', name: 'Own', allowedOrigins: ['https://app.example.com'] }],
        portal: { adminPassword: portal },
      });
      await writeFile(join(dir, 'copied.json'), JSON.stringify(config(DEV_PORTAL_PASSWORD, 'an-own-client-secret')));
      await writeFile(join(dir, 'own.json'), JSON.stringify(config('an own portal password', 'an-own-client-secret')));

      const copied = await runCompanion({ FS_CONFIG: join(dir, 'copied.json') });
      assert.equal(copied.code, 2);
      assert.match(copied.stderr, /portal\.adminPassword: is the embedded development value/);
      assert.doesNotMatch(copied.stderr, /clientSecret/, 'only what is wrong is named');
      assert.match(copied.stderr, /host: either listen on this machine only \(FS_HOST=127\.0\.0\.1\), or replace the settings above in the FS_CONFIG file/);

      const own = await runCompanion({ FS_CONFIG: join(dir, 'own.json') });
      assert.equal(own.listening, true, own.stderr);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('loopback is 127.0.0.0/8, ::1 and localhost; 0.0.0.0, :: and other addresses are not', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'localhost']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', '10.0.0.1', 'example.com', '::ffff:0.0.0.0']) assert.equal(isLoopbackHost(host), false, host);
  });
});
