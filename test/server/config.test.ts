import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, DEV_API_KEY, loadConfig, parseConfig } from '../../src/server/config.ts';

function problemsOf(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail('the configuration was accepted');
}

describe('companion configuration', () => {
  test('works out of the box with the embedded dev app wired to the sandbox', () => {
    const config = loadConfig({});

    assert.equal(config.port, 3020);
    assert.equal(config.alfresco.repositoryUrl, 'http://127.0.0.1:8180');
    assert.equal(config.apps[0]?.apiKey, DEV_API_KEY);
    assert.deepEqual(config.apps[0]?.services, ['ALFRESCO', 'COMPUTER', 'URL']);
  });

  test('takes FS_PORT, FS_HOST and FS_ALFRESCO_URL from the environment', () => {
    const config = loadConfig({ FS_PORT: '4000', FS_HOST: '0.0.0.0', FS_ALFRESCO_URL: 'https://alfresco.example.com' });

    assert.deepEqual([config.port, config.host, config.alfresco.repositoryUrl], [4000, '0.0.0.0', 'https://alfresco.example.com']);
  });

  test('reports every bad key at once, one line each, naming the key', () => {
    const problems = problemsOf({
      port: 'eighty',
      alfresco: { repositoryUrl: 'ftp://files' },
      apps: [{ apiKey: 'short', name: 'x', allowedOrigins: ['https://ok.example.com/path'], services: ['DROPBOX'] }],
      colour: 'blue',
    });

    assert.deepEqual(problems.sort(), [
      'alfresco.repositoryUrl: must be an http(s) URL',
      'apps.0.allowedOrigins.0: must be an origin like https://app.example.com (scheme, host and port only)',
      'apps.0.apiKey: must be at least 8 characters',
      'apps.0.services.0: expected ("ALFRESCO" | "COMPUTER" | "URL"), got "DROPBOX"',
      'colour: is not a known setting',
      'port: expected number, got "eighty"',
    ]);
  });

  test('FS_PORT that is not a number is reported by name', () => {
    assert.throws(() => loadConfig({ FS_PORT: 'abc' }), (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('port:')));
  });
});
