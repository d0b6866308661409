import * as v from 'valibot';
import { FsError } from '../../protocol/errors.ts';
import { API_KEY_PARAM, ServicesResponseSchema, type ServiceDescriptor } from '../../protocol/services.ts';

export interface CompanionClientOptions {
  /** The companion's base URL, e.g. https://files.example.com. */
  server: string;
  apiKey: string;
}

/** Query parameters added to a call's URL; undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

export interface CallOptions {
  /** A session token: sent as `Authorization: Bearer …` for calls that act as the signed-in person. */
  session?: string | undefined;
  query?: Query | undefined;
  signal?: AbortSignal | undefined;
}

export interface RequestOptions extends CallOptions {
  method?: string;
  /** Sent as JSON. */
  json?: unknown;
  headers?: Record<string, string>;
}

export interface UploadOptions extends CallOptions {
  headers?: Record<string, string>;
  /** Called as bytes go out: (sent, total). */
  onProgress?: ((sent: number, total: number) => void) | undefined;
}

/**
 * The browser side's one HTTP client. Every call to the companion goes through it: it adds the API key
 * and the session, checks answers against the protocol's schemas and turns every failure into an FsError.
 */
export class CompanionClient {
  readonly server: string;
  readonly apiKey: string;

  constructor({ server, apiKey }: CompanionClientOptions) {
    this.server = server.replace(/\/+$/, '');
    this.apiKey = apiKey;
  }

  async listServices(signal?: AbortSignal): Promise<ServiceDescriptor[]> {
    return (await this.request('/api/services', ServicesResponseSchema, { signal })).services;
  }

  /** The absolute URL of a companion path, with the API key and `query`. */
  url(path: string, query: Query = {}): URL {
    const url = new URL(this.server + path);
    url.searchParams.set(API_KEY_PARAM, this.apiKey);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    return url;
  }

  /** A JSON call whose answer must match `schema`. */
  async request<S extends v.GenericSchema>(path: string, schema: S, options: RequestOptions = {}): Promise<v.InferOutput<S>> {
    const response = await this.fetch(path, options);
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = v.safeParse(schema, body);
    if (!parsed.success) throw new FsError('FS_ERR_UPSTREAM', `The companion's answer to ${path} was not understood.`);
    return parsed.output;
  }

  /** A call whose answer has no body (204). */
  async send(path: string, options: RequestOptions = {}): Promise<void> {
    await this.fetch(path, options);
  }

  /**
   * A call that answers newline-delimited JSON (`application/x-ndjson`): yields each line parsed, as it
   * arrives, so long operations can report progress.
   */
  async *lines(path: string, options: RequestOptions = {}): AsyncGenerator<unknown> {
    const response = await this.fetch(path, { ...options, headers: { Accept: 'application/x-ndjson', ...options.headers } });
    if (!response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (value) buffered += value;
      const lines = buffered.split('\n');
      buffered = done ? '' : lines.pop()!;
      for (const line of lines) if (line.trim()) yield JSON.parse(line) as unknown;
      if (done) return;
    }
  }

  /**
   * Sends `body` as the raw request body and reports upload progress, which `fetch` cannot do; the answer
   * must match `schema`.
   */
  upload<S extends v.GenericSchema>(path: string, body: Blob, schema: S, options: UploadOptions = {}): Promise<v.InferOutput<S>> {
    const { signal, onProgress } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', this.url(path, options.query));
      if (options.session) xhr.setRequestHeader('Authorization', `Bearer ${options.session}`);
      for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value);
      xhr.responseType = 'json';
      const abort = () => xhr.abort();
      signal?.addEventListener('abort', abort, { once: true });
      const done = () => signal?.removeEventListener('abort', abort);
      xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : body.size);
      xhr.onabort = () => {
        done();
        reject(signal?.reason as Error);
      };
      xhr.onerror = () => {
        done();
        reject(this.#unreachable());
      };
      xhr.onload = () => {
        done();
        const answer: unknown = xhr.response;
        if (xhr.status < 200 || xhr.status >= 300) return reject(FsError.fromBody(answer));
        const parsed = v.safeParse(schema, answer);
        if (parsed.success) resolve(parsed.output);
        else reject(new FsError('FS_ERR_UPSTREAM', `The companion's answer to ${path} was not understood.`));
      };
      xhr.send(body);
    });
  }

  /** The raw call: adds key, query, session and JSON body; throws the companion's FsError on a non-2xx answer. */
  async fetch(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.session) headers.Authorization = `Bearer ${options.session}`;
    if (options.json !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), {
        method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
        headers,
        body: options.json === undefined ? null : JSON.stringify(options.json),
        signal: options.signal ?? null,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw this.#unreachable(error);
    }
    if (!response.ok) throw FsError.fromBody(await response.json().catch(() => undefined));
    return response;
  }

  #unreachable(cause?: unknown): FsError {
    return new FsError('FS_ERR_NETWORK', `Could not reach the companion at ${this.server}. Check that it is running, that the api-key is right and that this page's origin is allowed for the app.`, { cause });
  }
}
