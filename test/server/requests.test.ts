import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { pino } from 'pino';
import * as v from 'valibot';
import { errorHandler } from '../../companion/src/errors.ts';
import { bodyLimits, DEFAULT_JSON_BODY_BYTES, readJson, readJsonFields, readQuery } from '../../companion/src/requests/index.ts';

type Answer = { error: { code: string; message: string; field?: string }; fields?: Record<string, string> };

const Url = v.pipe(v.string(), v.startsWith('https://', 'must be an https URL'));
const Body = v.strictObject({
  name: v.string(),
  tags: v.optional(v.array(v.pipe(v.string(), v.maxLength(3, 'must be at most 3 characters')))),
  source: v.optional(v.strictObject({ url: Url })),
  either: v.optional(v.union([v.strictObject({ handle: v.string() }), v.strictObject({ url: Url })])),
});
const Query = v.object({ size: v.optional(v.picklist(['s', 'm'], 'must be s or m')) });

const app = new Hono()
  .use(bodyLimits({ jsonBodyBytes: 2048 }))
  .post('/body', async (c) => c.json(await readJson(c, Body, 'verb')))
  .post('/fields', async (c) => c.json(await readJsonFields(c, Body)))
  .get('/query', (c) => c.json(readQuery(c, Query)))
  .onError(errorHandler(pino({ level: 'silent' })));

async function answer(path: string, body?: string): Promise<[number, Answer]> {
  const response = await app.request(path, body === undefined ? {} : { method: 'POST', body });
  return [response.status, (await response.json()) as Answer];
}

describe('one way in: one error code per fault (companion/src/requests)', () => {
  test('a body that is not JSON, or not a JSON object, is FS_ERR_INVALID_REQUEST on the field "body"', async () => {
    for (const body of ['{', '[1]', '"text"', '', '\xff']) {
      const [status, { error }] = await answer('/body', body);
      assert.equal(status, 400, body);
      assert.equal(error.code, 'FS_ERR_INVALID_REQUEST', body);
      assert.equal(error.field, 'body', body);
      assert.match(error.message, /^verb: /);
    }
  });

  test('a bad, missing or unknown field is FS_ERR_INVALID_OPTION naming it', async () => {
    assert.deepEqual((await answer('/body', '{"name":1}'))[1].error, { code: 'FS_ERR_INVALID_OPTION', message: 'verb: "name" must be string, got 1.', field: 'name' });
    assert.deepEqual((await answer('/body', '{}'))[1].error, { code: 'FS_ERR_INVALID_OPTION', message: 'verb: "name" is required.', field: 'name' });
    assert.deepEqual((await answer('/body', '{"name":"a","colour":1}'))[1].error, { code: 'FS_ERR_INVALID_OPTION', message: 'verb: "colour" is not a known field.', field: 'colour' });
    assert.deepEqual((await answer('/body', '{"name":"a","tags":["ok","long"]}'))[1].error, { code: 'FS_ERR_INVALID_OPTION', message: 'verb: "tags.1" must be at most 3 characters.', field: 'tags.1' });
    assert.deepEqual((await answer('/body', '{"name":"a","source":{"url":"ftp://x"}}'))[1].error, { code: 'FS_ERR_INVALID_OPTION', message: 'verb: "source.url" must be an https URL.', field: 'source.url' });
    // A value of several possible shapes is named as a whole; the message still says what was wrong.
    assert.deepEqual((await answer('/body', '{"name":"a","either":{"url":"ftp://x"}}'))[1].error, { code: 'FS_ERR_INVALID_OPTION', message: 'verb: "either.url" must be an https URL.', field: 'either' });
  });

  test('a query is checked the same way', async () => {
    assert.equal((await (await app.request('/query?size=m')).json() as { size: string }).size, 'm');
    assert.deepEqual((await answer('/query?size=xl'))[1].error, { code: 'FS_ERR_INVALID_OPTION', message: '"size" must be s or m.', field: 'size' });
  });

  test('a form names every field at fault', async () => {
    const [status, body] = await answer('/fields', '{"name":1,"colour":2}');
    assert.equal(status, 400);
    assert.equal(body.error.code, 'FS_ERR_INVALID_OPTION');
    assert.deepEqual(body.fields, { name: 'must be string, got 1', colour: 'is not a known field' });
  });

  test('a body over the limit is FS_ERR_TOO_LARGE naming the limit; the default limit is 1 MiB', async () => {
    const [status, { error }] = await answer('/body', JSON.stringify({ name: 'x'.repeat(2048) }));
    assert.equal(status, 413);
    assert.equal(error.code, 'FS_ERR_TOO_LARGE');
    assert.match(error.message, /2048 bytes/);
    assert.equal(DEFAULT_JSON_BODY_BYTES, 1024 * 1024);
  });
});
