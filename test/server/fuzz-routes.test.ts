import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { isErrorCode } from '../../src/protocol/errors.ts';
import { startCompanion, TEST_APP, TEST_ORIGIN, type CompanionHarness } from '../helpers/companion.ts';
import { nodeAt } from '../helpers/sandbox.ts';

/*
 * Random and malformed requests against every route of a real companion (in process, over a real
 * sandbox): methods, paths with traversal, NUL and odd Unicode, queries, headers, bodies of every shape
 * and size, bad ranges. Whatever arrives, the answer is never a 5xx, and every error is the protocol's:
 * a registry code and a message, and the field for a fault in the input. fast-check prints the seed
 * and the smallest failing request when one breaks the rule.
 */

const ADMIN_TOKEN = 'fuzz-admin-token-0123456789abcdef0123456789';
const JSON_LIMIT = 16 * 1024;
/** Codes that say which input was wrong, and so must name it. */
const INPUT_CODES = new Set(['FS_ERR_INVALID_OPTION', 'FS_ERR_INVALID_REQUEST']);

let h: CompanionHarness;
let session: string;
let storedHandle: string;
let pickedHandle: string;
let itemId: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  h = await startCompanion({ limits: { jsonBodyBytes: JSON_LIMIT }, portal: { adminToken: ADMIN_TOKEN } });
  session = await h.connect('admin');
  const stored = await h.call('/api/store?filename=fuzz.txt&mimetype=text/plain', { method: 'POST', body: 'fuzz' });
  storedHandle = ((await stored.json()) as { blob: { handle: string } }).blob.handle;
  itemId = (await nodeAt(h.sandbox, 'welcome.txt')).id;
  const picked = await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [itemId] }) });
  pickedHandle = ((await picked.json()) as { blobs: Array<{ handle: string }> }).blobs[0]!.handle;
});

after(async () => {
  process.off('unhandledRejection', onUnhandled);
  await h.close();
});

/** A header value the Fetch API accepts (Latin-1, no line breaks): random text squeezed into that. */
const headerText = fc.string({ maxLength: 60 }).map((text) => text.replace(/[^\x20-\x7e\x80-\xff]/g, '?'));

/** Path segments: real ones, random text (encoded) and tricks (raw). */
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('alfresco', 'ALFRESCO', '-my-', '-root-', 'computer') },
  { weight: 3, arbitrary: fc.constantFrom('stored', 'picked', 'item').map((kind) => ({ stored: storedHandle, picked: pickedHandle, item: itemId })[kind]) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent) },
  { weight: 2, arbitrary: fc.constantFrom('..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%00', 'a%00b', '%', '%zz', '%ff%fe', '%E2%80%AE', 'x'.repeat(400), '.', '%2F', ';', 'CON', '~') },
);

const TEMPLATES = [
  '/healthz',
  '/auth/:s/start',
  '/auth/:s/callback',
  '/auth/:s/ticket',
  '/api/file/:s',
  '/api/file/:s/metadata',
  '/api/services',
  '/api/session',
  '/api/pick',
  '/api/dialog',
  '/api/export',
  '/api/convert',
  '/api/store',
  '/api/store-url',
  '/api/store-handle',
  '/api/write/:s',
  '/api/write-url/:s',
  '/api/:s/locations',
  '/api/:s/folders/:s',
  '/api/:s/search',
  '/api/:s/thumbnails/:s',
  '/portal',
  '/portal/',
  '/portal/portal.js',
  '/portal/api/session',
  '/portal/api/apps',
  '/portal/api/apps/:s',
  '/portal/api/apps/:s/webhooks',
  '/portal/api/apps/:s/webhooks/:s',
  '/portal/api/apps/:s/deliveries',
  '/portal/api/apps/:s/test-event',
  '/:s',
  '/:s/:s',
];

const path = fc.tuple(fc.constantFrom(...TEMPLATES), fc.array(segment, { minLength: 3, maxLength: 3 })).map(([template, segments]) => {
  let index = 0;
  return template.replace(/:s/g, () => segments[index++]!);
});

const QUERY_NAMES = ['key', 'policy', 'signature', 'folderId', 'skipCount', 'maxItems', 'orderBy', 'direction', 'query', 'accept', 'filename', 'conflict', 'mimetype', 'state', 'code', 'width', 'height', 'path', 'container', 'access', 'location', 'storeRegion', 'base64decode', 'dl', 'cache', 'opener', 'nonce'];
const queryValue = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '0', '-1', '1e400', 'NaN', '99999999999999999999', 'true', '../x', '\u0000', 'https://169.254.169.254/', 'image/*', '*/*', '%'));
const query = fc
  .tuple(
    fc.oneof({ weight: 8, arbitrary: fc.constant(TEST_APP.apiKey) }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 10 })), queryValue), { maxLength: 5 }),
  )
  .map(([key, pairs]) => {
    const params = new URLSearchParams();
    if (key !== undefined) params.set('key', key);
    for (const [name, value] of pairs) params.append(name, value);
    return params.toString();
  });

const headers = fc
  .record(
    {
      Origin: fc.oneof({ weight: 6, arbitrary: fc.constant(TEST_ORIGIN) }, { weight: 1, arbitrary: fc.constantFrom('https://evil.example', 'null', 'https://app.example.com.evil.example') }, { weight: 1, arbitrary: headerText }),
      Authorization: fc.oneof(
        { weight: 4, arbitrary: fc.constant('session') },
        { weight: 1, arbitrary: fc.constant(`Bearer ${ADMIN_TOKEN}`) },
        { weight: 1, arbitrary: headerText.map((text) => `Bearer ${text}`) },
        { weight: 1, arbitrary: headerText },
      ),
      'Content-Type': fc.oneof(
        fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'multipart/form-data; boundary=x', 'multipart/form-data', 'application/x-www-form-urlencoded', 'application/octet-stream', 'image/svg+xml', 'text/html'),
        headerText,
      ),
      Range: fc.oneof(fc.constantFrom('bytes=0-10', 'bytes=10-0', 'bytes=-5', 'bytes=999999999999-', 'bytes=a-b', 'items=0-1', 'bytes=0-1,2-3', 'bytes=-0', 'bytes='), headerText),
      Accept: fc.constantFrom('application/x-ndjson', 'application/json', 'text/html', '*/*'),
      'If-None-Match': headerText,
      'X-Forwarded-For': fc.constantFrom('1.2.3.4', '127.0.0.1, 10.0.0.1', 'garbage'),
      Cookie: headerText,
      'X-FS-CSRF': headerText,
    },
    { requiredKeys: [] },
  )
  .map((record) => {
    const out: Record<string, string> = { ...record };
    if (out.Authorization === 'session') out.Authorization = `Bearer ${session}`;
    return out;
  });

const FIELDS = ['itemIds', 'maxFiles', 'accept', 'url', 'handle', 'options', 'filename', 'folderId', 'conflict', 'mimetype', 'source', 'event', 'name', 'password', 'allowedOrigins', 'webhooks', 'services', 'width', 'height', 'format', 'container', 'path', 'access'];
const body = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }).map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.constantFrom('{', '{"a":', 'null', '[]', '"\u0000"', '\uFEFF{}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"itemIds":["\u0000"]}', '{"url":"file:///etc/passwd"}', '{"url":"http://[::ffff:169.254.169.254]/"}', '1e999999', '{"a":1,"a":2}') },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 3).map((times) => `{"x":"${'y'.repeat(times * JSON_LIMIT)}"}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
const request = fc.record({ method: fc.constantFrom(...METHODS), path, query, headers, body });
type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send({ method, path, query, headers, body }: FuzzRequest): Promise<Response> {
  const withBody = method !== 'GET' && method !== 'HEAD' && body !== undefined;
  const response = await h.app.request(`${path}${query ? `?${query}` : ''}`, { method, headers, ...(withBody ? { body } : {}) });
  if (method === 'DELETE' && response.status === 204) await replenish();
  return response;
}

/** A generated request may sign out or remove a link: make them again, so later requests still reach deep. */
async function replenish(): Promise<void> {
  if ((await h.call('/api/session', { session })).status !== 200) session = await h.connect('admin');
  if ((await h.app.request(`/api/file/${storedHandle}/metadata`)).status === 404) {
    const stored = await h.call('/api/store?filename=fuzz.txt&mimetype=text/plain', { method: 'POST', body: 'fuzz' });
    storedHandle = ((await stored.json()) as { blob: { handle: string } }).blob.handle;
  }
  if ((await h.app.request(`/api/file/${pickedHandle}/metadata`)).status === 404) {
    const picked = await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [itemId] }) });
    pickedHandle = ((await picked.json()) as { blobs: Array<{ handle: string }> }).blobs[0]!.handle;
  }
}

/** What every answer must be, whatever was asked. */
async function checkAnswer(input: FuzzRequest, response: Response): Promise<void> {
  const what = `${input.method} ${input.path}?${input.query}`;
  assert.ok(response.status < 500, `${what}: ${response.status} ${await response.clone().text()}`);
  if (response.status < 400 || input.method === 'HEAD') {
    await response.body?.cancel();
    return;
  }
  // A range outside the file is HTTP's own answer (RFC 9110 §15.5.17): the size, for the reader to ask again.
  if (response.status === 416) {
    await response.body?.cancel();
    return assert.match(response.headers.get('Content-Range') ?? '', /^bytes \*\/\d+$/, `${what}: a 416 without the file's size`);
  }
  const type = response.headers.get('Content-Type') ?? '';
  const text = await response.text();
  // The portal's page and the sign-in pages answer people in HTML; everything else in the protocol's JSON.
  if (type.startsWith('text/html')) return assert.ok(text.length > 0, `${what}: an empty error page`);
  let parsed: { error?: { code?: unknown; message?: unknown; field?: unknown } };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    assert.fail(`${what}: ${response.status} is not the protocol's JSON: ${text.slice(0, 200)}`);
  }
  const { code, message, field } = parsed.error ?? {};
  assert.ok(typeof code === 'string' && isErrorCode(code), `${what}: ${response.status} without a registry code: ${text.slice(0, 200)}`);
  assert.ok(typeof message === 'string' && message.length > 0, `${what}: ${code} without a message`);
  if (INPUT_CODES.has(code)) assert.ok(typeof field === 'string', `${what}: ${code} (${message}) names no field`);
}

const property = (runs: number, arbitrary: fc.Arbitrary<FuzzRequest>) =>
  fc.assert(
    fc.asyncProperty(arbitrary, async (input) => checkAnswer(input, await send(input))),
    { numRuns: runs, endOnFailure: true, includeErrorInReport: true },
  );

describe('10,000 generated requests over every route: never a 5xx, every error the protocol’s', () => {
  test('7,000 requests anywhere', async () => {
    await property(7000, request);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined, 'no prototype was polluted');
  });

  test('2,000 requests at the JSON routes, with JSON bodies of every shape', async () => {
    const jsonRoute = fc.record({
      method: fc.constant('POST' as const),
      path: fc.constantFrom('/api/pick', '/api/dialog', '/api/export', '/api/convert', '/api/store-url', '/api/store-handle', '/portal/api/session', '/portal/api/apps').chain((route) =>
        fc.constantFrom(route, `/api/write-url/${pickedHandle}`, `/api/write-url/${storedHandle}`),
      ),
      query: fc.constant(`key=${TEST_APP.apiKey}`),
      headers: fc.constant({ Origin: TEST_ORIGIN, Authorization: `Bearer ${session}`, 'Content-Type': 'application/json' }).map((base) => ({ ...base })),
      body: fc.oneof(fc.json({ maxDepth: 5 }), fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }).map((value) => JSON.stringify(value))),
    });
    await property(2000, jsonRoute);
  });

  test('1,000 reads of real links with odd ranges and conditions', async () => {
    const read = fc.record({
      method: fc.constantFrom('GET' as const, 'HEAD' as const),
      path: fc.constantFrom('picked', 'stored').chain((kind) => fc.constantFrom('', '/metadata').map((suffix) => `/api/file/${kind === 'picked' ? pickedHandle : storedHandle}${suffix}`)),
      query: fc.oneof(fc.constant(''), fc.constantFrom('dl=true', 'cache=false', 'policy=e30&signature=00', `key=${TEST_APP.apiKey}`)),
      headers: fc.record(
        { Range: fc.oneof(fc.constantFrom('bytes=0-10', 'bytes=10-0', 'bytes=-5', 'bytes=999999999999-', 'bytes=a-b', 'bytes=0-1,2-3', 'bytes=-0'), headerText), 'If-None-Match': headerText },
        { requiredKeys: [] },
      ),
      body: fc.constant(undefined),
    });
    await property(1000, read);
  });

  test('the companion still answers afterwards, and nothing was thrown unhandled', async () => {
    assert.equal((await h.app.request('/healthz')).status, 200);
    await replenish();
    assert.equal((await h.app.request(`/api/file/${storedHandle}`)).status, 200);
    assert.deepEqual(unhandled, []);
  });
});
