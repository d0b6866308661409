import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../../companion/src/app.ts';
import { parseConfig, type CompanionConfigInput } from '../../companion/src/config.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';

const APP = { apiKey: 'test-app-key-1', name: 'Test app', allowedOrigins: ['https://app.example.com'] };
const silent = pino({ level: 'silent' });

function companion(overrides: Partial<CompanionConfigInput> = {}, repositoryUrl = 'http://127.0.0.1:9') {
  return buildApp(parseConfig({ alfresco: { repositoryUrl }, apps: [APP], ...overrides }), { logger: silent });
}

describe('GET /api/services', () => {
  let sandbox: RunningSandbox;
  before(async () => (sandbox = await startTestSandbox()));
  after(() => sandbox.close());

  test('lists the app’s sources and describes the Alfresco repository it reached', async () => {
    const response = await (await companion({}, sandbox.url)).request(`/api/services?key=${APP.apiKey}`, { headers: { Origin: 'https://app.example.com' } });

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), 'https://app.example.com');
    assert.deepEqual(await response.json(), {
      services: [
        { id: 'ALFRESCO', name: 'Alfresco', kind: 'repository', available: true, detail: 'Alfresco Community 23.2.0' },
        { id: 'COMPUTER', name: 'My Computer', kind: 'device', available: true },
        { id: 'URL', name: 'Link (URL)', kind: 'link', available: true },
      ],
    });
  });

  test('keeps the app’s own choice and order of services', async () => {
    const app = companion({ apps: [{ ...APP, services: ['URL', 'ALFRESCO'] }] }, sandbox.url);
    const body = (await (await (await app).request(`/api/services?key=${APP.apiKey}`)).json()) as { services: Array<{ id: string }> };

    assert.deepEqual(body.services.map((service) => service.id), ['URL', 'ALFRESCO']);
  });

  test('still lists Alfresco, marked unavailable, when the repository is down', async () => {
    const body = (await (await (await companion()).request(`/api/services?key=${APP.apiKey}`)).json()) as { services: Array<{ id: string; available: boolean; detail?: string }> };

    assert.deepEqual(body.services[0], { id: 'ALFRESCO', name: 'Alfresco', kind: 'repository', available: false, detail: 'The Alfresco repository is not reachable right now.' });
  });
});

describe('app key and CORS', () => {
  test('an unknown key is refused with a code and no CORS headers', async () => {
    const response = await (await companion()).request('/api/services?key=nope-nope-nope', { headers: { Origin: 'https://app.example.com' } });

    assert.equal(response.status, 403);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), null);
    assert.deepEqual(await response.json(), { error: { code: 'FS_ERR_UNKNOWN_API_KEY', message: 'No app has this API key.', field: 'key' } });
  });

  test('a missing key is named in the error', async () => {
    const response = await (await companion()).request('/api/services');

    assert.equal(response.status, 403);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /"key" query parameter/);
  });

  test('a page from another origin gets no CORS headers and a 403 saying which origin', async () => {
    const response = await (await companion()).request(`/api/services?key=${APP.apiKey}`, { headers: { Origin: 'https://evil.example.net' } });

    assert.equal(response.status, 403);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), null);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'FS_ERR_ORIGIN_NOT_ALLOWED');
    assert.match(body.error.message, /https:\/\/evil\.example\.net is not allowed/);
  });

  test('a preflight from an allowed origin is answered for the headers it asks for', async () => {
    const response = await (await companion()).request(`/api/services?key=${APP.apiKey}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });

    assert.equal(response.status, 204);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), 'https://app.example.com');
    assert.equal(response.headers.get('Access-Control-Allow-Headers'), 'authorization');
  });

  test('a preflight from another origin is refused without CORS headers', async () => {
    const response = await (await companion()).request(`/api/services?key=${APP.apiKey}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example.net', 'Access-Control-Request-Method': 'GET' },
    });

    assert.equal(response.status, 403);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), null);
  });

  test('an unknown path answers the protocol’s 404 JSON', async () => {
    const response = await (await companion()).request(`/api/nothing-here?key=${APP.apiKey}`);

    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'FS_ERR_NOT_FOUND');
  });
});
