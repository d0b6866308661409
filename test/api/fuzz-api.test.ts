import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { createClient, type FsClient } from '../../src/api/create-client.ts';
import { FsError, isErrorCode } from '../../src/protocol/errors.ts';

/*
 * The promise API given wrong arguments of every shape, talking to a companion that answers garbage:
 * every call settles, a failure is an FsError with a registry code (and the field, for a bad option),
 * and nothing escapes into the page (no uncaught error, no unhandled rejection).
 */

/** An address where nothing listens: XHR uploads fail there as the network would. */
const SERVER = 'http://127.0.0.1:9';

const pageErrors: unknown[] = [];
const onError = (event: ErrorEvent) => void pageErrors.push(event.error ?? event.message);
const onRejection = (event: PromiseRejectionEvent) => void pageErrors.push(event.reason);

/** What a garbage companion may answer. */
const garbage = fc.record({
  status: fc.constantFrom(200, 201, 204, 206, 304, 400, 401, 403, 404, 409, 413, 416, 429, 500, 502, 503),
  contentType: fc.constantFrom('application/json', 'application/x-ndjson', 'text/html', 'text/plain', 'application/octet-stream', ''),
  body: fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.constantFrom('', '{', 'null', '[]', '{"error":{"code":"FS_ERR_NOPE","message":3}}', '{"error":"x"}', '{"blob":{}}', '{"blobs":null}', '<html>502</html>', '{"type":"done"}\n{"type":', '\u0000\u0001'),
    fc.record({ blob: fc.dictionary(fc.constantFrom('url', 'handle', 'filename', 'mimetype', 'size', 'key'), fc.jsonValue({ maxDepth: 1 })) }).map((value) => JSON.stringify(value)),
  ),
});

type Garbage = typeof garbage extends fc.Arbitrary<infer T> ? T : never;

let answers: Garbage[] = [];
const realFetch = window.fetch.bind(window);

function garbageFetch(): Promise<Response> {
  const answer = answers.shift() ?? { status: 502, contentType: 'text/plain', body: 'gone' };
  const nullBody = answer.status === 204 || answer.status === 304;
  return Promise.resolve(new Response(nullBody ? null : answer.body, { status: answer.status, headers: answer.contentType ? { 'Content-Type': answer.contentType } : {} }));
}

/** Anything a page might pass where an argument is expected. */
const anyValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(undefined, null, '', ' ', 'https://', 'javascript:alert(1)', 'file:///etc/passwd', `${SERVER}/api/file/AAAAAAAAAAAAAAAAAAAA`, 'AAAAAAAAAAAAAAAAAAAA', NaN, -1, 1e308, [], {}, () => 1, Symbol('s')),
  fc.constant(new Blob(['x'], { type: 'text/plain' })),
  fc.dictionary(fc.constantFrom('filename', 'mimetype', 'location', 'path', 'container', 'access', 'width', 'height', 'format', 'asBlob', 'base64decode', 'security', 'maxSize', 'url', 'handle'), fc.anything({ maxDepth: 1 })),
);

const VERBS = ['store', 'storeUrl', 'read', 'stat', 'write', 'writeUrl', 'remove', 'convert', 'logout'] as const;

/** A call's outcome: a value, or the error it rejected (or threw) with. */
async function outcomeOf(run: () => unknown): Promise<{ ok: true } | { ok: false; error: unknown; sync: boolean }> {
  let promise: unknown;
  try {
    promise = run();
  } catch (error) {
    return { ok: false, error, sync: true };
  }
  try {
    await promise;
    return { ok: true };
  } catch (error) {
    return { ok: false, error, sync: false };
  }
}

function expectFsError(error: unknown, what: string): void {
  expect(error, `${what}: not an FsError: ${String(error)}`).to.be.instanceOf(FsError);
  const { code, message, field } = error as FsError;
  expect(isErrorCode(code), `${what}: ${code} is not in the registry`).to.equal(true);
  expect(message, `${what}: ${code} without a message`).to.be.a('string').and.not.equal('');
  if (code === 'FS_ERR_INVALID_OPTION') expect(field, `${what}: ${message} names no field`).to.be.a('string');
}

describe('the promise API under wrong arguments and a companion answering garbage', () => {
  let client: FsClient;

  before(() => {
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    window.fetch = garbageFetch;
    client = createClient({ apiKey: 'fuzz-key', server: SERVER });
  });

  after(() => {
    window.fetch = realFetch;
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });

  it('createClient refuses wrong options with an FsError naming the option, and takes right ones', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyValue, fc.record({ apiKey: anyValue, server: anyValue, security: anyValue }, { requiredKeys: [] })), async (options) => {
        const outcome = await outcomeOf(() => createClient(options as never));
        if (!outcome.ok) expectFsError(outcome.error, 'createClient');
      }),
      { numRuns: 300, includeErrorInReport: true },
    );
  });

  it('every verb settles with a value or an FsError, whatever it is given and whatever comes back', async function () {
    this.timeout(60_000);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VERBS), fc.array(anyValue, { maxLength: 4 }), fc.array(garbage, { minLength: 3, maxLength: 3 }), async (verb, args, replies) => {
        answers = [...replies];
        const outcome = await outcomeOf(() => (client[verb] as (...rest: unknown[]) => unknown)(...args));
        if (outcome.ok) return;
        expect(outcome.sync, `${verb} threw instead of rejecting: ${String(outcome.error)}`).to.equal(false);
        expectFsError(outcome.error, verb);
      }),
      { numRuns: 600, includeErrorInReport: true },
    );
    // Errors a call leaves behind (a late rejection, a handler's throw) surface a moment later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pageErrors.map(String)).to.deep.equal([]);
  });
});
