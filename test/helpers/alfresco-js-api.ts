/**
 * The official `@alfresco/js-api` (v10) wired to a recording fetch, so conformance tests see the raw JSON
 * of every response js-api receives (js-api itself turns dates into `Date` objects and drops unknown
 * fields) and can check it against the spec.
 *
 * The hook: `new AlfrescoApi(config, httpClient)` takes an HTTP client, and js-api's own `FetchHttpClient`
 * takes a custom `fetch` (`constructor(customFetch?: typeof fetch)`). The class is not re-exported from the
 * package index, so it is loaded from the package's CommonJS file, the same module instance js-api uses.
 * With a custom fetch js-api never switches to XMLHttpRequest, so every request goes through the recorder.
 */
import { AlfrescoApi, type HttpClient } from '@alfresco/js-api';
import { AssertionError } from 'node:assert';
import { createRequire } from 'node:module';
import { findOperation, formatSpecErrors, validateResponse, type SpecError, type SpecOperation, type ValidateOptions } from './alfresco-spec.ts';

const require = createRequire(import.meta.url);
const { FetchHttpClient } = require('@alfresco/js-api/src/fetchHttpClient.js') as { FetchHttpClient: new (customFetch?: typeof fetch) => HttpClient };

export interface Exchange {
  method: string;
  url: string;
  /** The Authorization header js-api sent. */
  authorization: string | null;
  status: number;
  contentType: string;
  /** The operation of the spec the request is, by method and path. */
  operation: SpecOperation | undefined;
  /** Parsed JSON for JSON responses, the text of small non-binary answers, undefined for binaries. */
  body: unknown;
  /** Why the body could not be read as JSON although it says it is JSON. */
  parseError?: string;
  /** `fields`/`include` the request asked for (query parameters, or the search request's body). */
  requested: ValidateOptions;
}

const isJson = (contentType: string): boolean => /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType);

/** A `fetch` that records every exchange it carries. */
export class ExchangeRecorder {
  private exchanges: Exchange[] = [];

  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(input, init);
    const contentType = response.headers.get('content-type') ?? '';
    const operation = findOperation(request.method, request.url);
    const requested = requestedFields(request.url, typeof init?.body === 'string' ? init.body : undefined);
    const exchange: Exchange = { method: request.method, url: request.url, authorization: request.headers.get('authorization'), status: response.status, contentType, operation, body: undefined, requested };
    const binary = operation ? operation.responses[String(response.status)] === 'file' || response.status === 206 : false;
    if (isJson(contentType) || (!binary && request.method !== 'HEAD')) {
      // A clone, so js-api reads the original untouched. Binaries are not cloned (no second copy of big files).
      const text = await response.clone().text();
      if (isJson(contentType)) {
        try {
          exchange.body = text === '' ? undefined : (JSON.parse(text) as unknown);
        } catch (error) {
          exchange.parseError = (error as Error).message;
          exchange.body = text;
        }
      } else {
        exchange.body = text === '' ? undefined : text;
      }
    }
    this.exchanges.push(exchange);
    return response;
  };

  /** The exchanges recorded since the last `take()`, forgetting them. */
  take(): Exchange[] {
    const taken = this.exchanges;
    this.exchanges = [];
    return taken;
  }

  /**
   * Checks every exchange since the last call against the spec and throws one AssertionError listing all
   * that do not conform (or that are no documented operation). Returns the exchanges for further checks.
   */
  assertAllConform(): Exchange[] {
    const exchanges = this.take();
    const failures = exchanges.flatMap((exchange) => {
      const errors = exchangeErrors(exchange);
      return errors.length === 0 ? [] : [formatSpecErrors(exchange.operation?.operationId ?? '(no operation)', exchange.status, errors, `${exchange.method} ${new URL(exchange.url).pathname}${new URL(exchange.url).search}`)];
    });
    if (failures.length > 0) throw new AssertionError({ message: failures.join('\n') });
    return exchanges;
  }
}

/** Spec errors of one recorded exchange: its body against its schema, and a JSON content type where JSON is documented. */
export function exchangeErrors(exchange: Exchange): SpecError[] {
  const { operation } = exchange;
  if (!operation) return [{ path: '', message: `${exchange.method} ${new URL(exchange.url).pathname} is no operation of the spec` }];
  const documented = operation.responses[String(exchange.status)];
  if (documented === 'file' || (exchange.status === 206 && exchange.body === undefined)) return [];
  const errors: SpecError[] = [];
  if (exchange.parseError) errors.push({ path: '', message: `the body says ${exchange.contentType} but is not JSON: ${exchange.parseError}` });
  const expectsJson = exchange.body !== undefined || documented !== null;
  if (expectsJson && exchange.body !== undefined && !isJson(exchange.contentType)) {
    errors.push({ path: '', message: `the body is ${exchange.contentType || 'of no type'}, the spec produces application/json` });
  }
  errors.push(...validateResponse(operation.operationId, exchange.status, exchange.body, exchange.requested));
  return errors;
}

/**
 * `fields` (and `include`) of a request, which the API honours by leaving out other properties, required
 * ones too: query parameters, or for the search API the `fields`/`include` of its JSON body.
 */
export function requestedFields(url: string, jsonBody?: string): ValidateOptions {
  const params = new URL(url).searchParams;
  const list = (name: string) => params.getAll(name).flatMap((value) => value.split(',')).map((item) => item.trim()).filter(Boolean);
  let fields = list('fields');
  let include = list('include');
  if (fields.length === 0 && jsonBody) {
    try {
      const body = JSON.parse(jsonBody) as { fields?: unknown; include?: unknown };
      const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
      fields = strings(body.fields);
      include = strings(body.include);
    } catch {
      // Not JSON: no fields.
    }
  }
  return fields.length > 0 ? { fields, include } : {};
}

/** js-api against the sandbox at `hostEcm`, Basic/ticket auth on the content services (as ADF configures it). */
export function createJsApi(hostEcm: string, recorder: ExchangeRecorder): AlfrescoApi {
  return new AlfrescoApi({ hostEcm, provider: 'ECM', authType: 'BASIC' }, new FetchHttpClient(recorder.fetch));
}

/**
 * A login that must fail. js-api quirk (v10.0.0): `AlfrescoApi.login()` chains `promise.then(saveTicket)`
 * without a rejection handler and returns the original promise, so a refused login also leaves a derived
 * promise rejected and unhandled (an `unhandledRejection` in Node, a console error in browsers). node:test
 * fails the running test on any unhandled rejection, so for this one call its listeners are set aside and
 * only that expected rejection is swallowed; any other is handed to them.
 */
export async function refusedLogin(api: AlfrescoApi, user: string, password: string): Promise<JsApiError & { body: unknown }> {
  const listeners = process.listeners('unhandledRejection');
  let expected: unknown;
  const onUnhandled = (reason: unknown, promise: Promise<unknown>): void => {
    if (reason !== expected) for (const listener of listeners) listener(reason, promise);
  };
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', onUnhandled);
  try {
    const login = api.login(user, password);
    login.catch((reason: unknown) => (expected = reason));
    return await rejectionOf(login);
  } finally {
    // Node reports unhandled rejections once the microtask queue is empty: wait past that.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    for (const listener of listeners) process.on('unhandledRejection', listener);
  }
}

/** What js-api rejects with on an HTTP error (see notes §4.1): the status and the raw response text. */
export interface JsApiError {
  status: number;
  message: string;
  error: Error;
}

/** Awaits a js-api call that must fail; returns its rejection (status and parsed Alfresco error body). */
export async function rejectionOf(promise: Promise<unknown>): Promise<JsApiError & { body: unknown }> {
  try {
    await promise;
  } catch (error) {
    const rejection = error as JsApiError;
    if (typeof rejection?.status !== 'number') throw error;
    let body: unknown;
    try {
      body = JSON.parse(rejection.message) as unknown;
    } catch {
      body = rejection.message;
    }
    return { ...rejection, body };
  }
  throw new AssertionError({ message: 'expected the js-api call to be rejected, it resolved' });
}
