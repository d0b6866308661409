import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, DEV_API_KEY, loadConfig, parseConfig } from '../../companion/src/config.ts';

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
    // The sandbox serves CMIS too; WebDAV only when the local stack runs a server for it.
    assert.deepEqual(config.apps[0]?.services, ['ALFRESCO', 'CMIS', 'COMPUTER', 'URL']);
    assert.equal(config.apps[0]?.cmis?.url, 'http://127.0.0.1:8180/alfresco/api/-default-/public/cmis/versions/1.1/browser');
  });

  test('takes FS_PORT, FS_HOST and FS_ALFRESCO_URL from the environment', () => {
    const config = loadConfig({ FS_PORT: '4000', FS_HOST: '0.0.0.0', FS_ALFRESCO_URL: 'https://alfresco.example.com' });

    assert.deepEqual([config.port, config.host, config.alfresco.repositoryUrl], [4000, '0.0.0.0', 'https://alfresco.example.com']);
  });

  test('reports every bad key at once, one line each, naming the key', () => {
    const problems = problemsOf({
      port: 'eighty',
      alfresco: { repositoryUrl: 'ftp://files' },
      apps: [{ apiKey: 'short', name: 'x', allowedOrigins: ['https://ok.example.com/path'], services: ['drop box'] }],
      colour: 'blue',
    });

    assert.deepEqual(problems.sort(), [
      'alfresco.repositoryUrl: must be an http(s) URL',
      'apps.0.allowedOrigins.0: must be an origin like https://app.example.com (scheme, host and port only)',
      'apps.0.apiKey: must be at least 8 characters',
      'apps.0.services.0: must be service ids such as ALFRESCO, COMPUTER, URL',
      'colour: is not a known setting',
      'port: expected number, got "eighty"',
    ]);
  });

  test('FS_PORT that is not a number is reported by name', () => {
    assert.throws(() => loadConfig({ FS_PORT: 'abc' }), (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('port:')));
  });
});

describe('companion configuration: sign-in, secrets and storage', () => {
  const base = { alfresco: { repositoryUrl: 'https://alfresco.example.com' }, apps: [{ apiKey: 'a-long-api-key', name: 'x', allowedOrigins: [] }] };

  test('a database file needs an encryption key, or its tokens could not be read after a restart', () => {
    assert.deepEqual(problemsOf({ ...base, database: '/var/lib/fs/companion.sqlite' }), [
      'encryptionKey: is required when database is a file, or stored tokens could not be read after a restart',
    ]);
    assert.doesNotThrow(() => parseConfig({ ...base, database: '/var/lib/fs/companion.sqlite', encryptionKey: Buffer.alloc(32, 1).toString('base64') }));
  });

  test('an encryption key must be 32 bytes', () => {
    assert.deepEqual(problemsOf({ ...base, encryptionKey: Buffer.alloc(16).toString('base64') }), ['encryptionKey: must be 32 bytes in base64 (openssl rand -base64 32)']);
  });

  test('OAuth sign-in needs the operator’s OAuth application unless every app brings its own', () => {
    const oidc = { repositoryUrl: 'https://alfresco.example.com', signIn: { type: 'oidc', issuer: 'https://ids.example.com/auth/realms/alfresco' } };
    assert.deepEqual(problemsOf({ ...base, alfresco: oidc }), ['alfresco.oauthApp: is required for OAuth sign-in unless every app has its own alfrescoOAuth']);
    assert.doesNotThrow(() => parseConfig({ ...base, alfresco: oidc, apps: [{ ...base.apps[0], alfrescoOAuth: { clientId: 'app-key', clientSecret: 'app-secret' } }] }));
  });

  test('an unknown sign-in type and an S3 bucket name that is too short are named', () => {
    const problems = problemsOf({ ...base, alfresco: { repositoryUrl: 'https://a.example.com', signIn: { type: 'saml' } }, storage: { s3: { bucket: 'x' } } });
    assert.equal(problems.length, 2);
    assert.ok(problems.some((p) => p.startsWith('alfresco.signIn.type:')));
    assert.ok(problems.some((p) => p.startsWith('storage.s3.bucket: must be at least 3 characters')));
  });
});

describe('companion configuration: request limits', () => {
  const base = { alfresco: { repositoryUrl: 'http://127.0.0.1:8180' }, apps: [{ apiKey: 'an-app-key', name: 'x', allowedOrigins: [] }] };

  test('a JSON body may be 1 MiB unless limits.jsonBodyBytes says otherwise', () => {
    assert.equal(parseConfig(base).limits.jsonBodyBytes, 1024 * 1024);
    assert.equal(parseConfig({ ...base, limits: { jsonBodyBytes: 4096 } }).limits.jsonBodyBytes, 4096);
  });

  test('a limit that is not a whole number of bytes, or under 1024, is named', () => {
    assert.deepEqual(problemsOf({ ...base, limits: { jsonBodyBytes: 10 } }), ['limits.jsonBodyBytes: must be at least 1024 (bytes)']);
    assert.deepEqual(problemsOf({ ...base, limits: { jsonBodyBytes: 2048.5, size: 1 } }), ['limits.jsonBodyBytes: must be a whole number of bytes', 'limits.size: is not a known setting']);
  });
});
