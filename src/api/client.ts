import * as v from 'valibot';
import { FsError } from '../protocol/errors.ts';
import { API_KEY_PARAM, ServicesResponseSchema, type ServiceDescriptor } from '../protocol/services.ts';

export interface CompanionClientOptions {
  /** The companion's base URL, e.g. https://files.example.com. */
  server: string;
  apiKey: string;
}

/**
 * The browser side's one HTTP client. Every call to the companion goes through `request`, which adds the
 * API key, checks the answer against the protocol's schema and turns every failure into an FsError.
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

  async request<S extends v.GenericSchema>(path: string, schema: S, init: RequestInit = {}): Promise<v.InferOutput<S>> {
    const url = new URL(this.server + path);
    url.searchParams.set(API_KEY_PARAM, this.apiKey);
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new FsError('FS_ERR_NETWORK', `Could not reach the companion at ${this.server}. Check that it is running, that the api-key is right and that this page's origin is allowed for the app.`, { cause: error });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw FsError.fromBody(body);
    const parsed = v.safeParse(schema, body);
    if (!parsed.success) throw new FsError('FS_ERR_UPSTREAM', `The companion's answer to ${path} was not understood.`);
    return parsed.output;
  }
}
