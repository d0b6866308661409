import { Hono, type MiddlewareHandler } from 'hono';
import { Transform, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { alfrescoError, type ErrorStatus } from './errors.ts';

export interface FaultSettings {
  /** Added to every API request, in milliseconds. */
  latencyMs: number;
  /** The next `count` API requests fail with `status`. */
  failNext: { count: number; status: ErrorStatus };
  /** The next `count` downloads stop after half their bytes, as a dropped connection would. */
  dropDownloads: number;
}

/**
 * Switches that make the sandbox misbehave on purpose, so tests can see how the companion copes. Tests
 * flip them in process (`sandbox.faults.set(…)`) or over HTTP at `/__sandbox/faults`.
 */
export class Faults {
  #settings: FaultSettings = initial();
  readonly #expireHooks: Array<() => void> = [];
  readonly #expireAccessHooks: Array<() => void> = [];

  get settings(): Readonly<FaultSettings> {
    return this.#settings;
  }

  set(patch: Partial<FaultSettings>): void {
    this.#settings = { ...this.#settings, ...patch };
  }

  reset(): void {
    this.#settings = initial();
  }

  /** Registers what "expire all tokens now" must do (tickets, the identity service's tokens). */
  onExpireTokens(hook: () => void): void {
    this.#expireHooks.push(hook);
  }

  expireTokens(): void {
    for (const hook of this.#expireHooks) hook();
  }

  /** Registers what "access tokens expire now" must do (the identity service's; tickets have no refresh). */
  onExpireAccessTokens(hook: () => void): void {
    this.#expireAccessHooks.push(hook);
  }

  /** Access tokens stop working, refresh tokens do not: what a client meets when a token's lifetime runs out mid-work. */
  expireAccessTokens(): void {
    for (const hook of this.#expireAccessHooks) hook();
  }

  /** Latency and forced failures, for every REST API request. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      if (this.#settings.latencyMs > 0) await sleep(this.#settings.latencyMs);
      const { count, status } = this.#settings.failNext;
      if (count > 0) {
        this.set({ failNext: { count: count - 1, status } });
        return alfrescoError(c, status, 'framework.exception.ApiDefault', `Fault injected by the sandbox (${status})`);
      }
      await next();
    };
  }

  /** Passes a download through, or cuts it off halfway when a dropped download is due. */
  download(stream: Readable, size: number): Readable {
    if (this.#settings.dropDownloads <= 0) return stream;
    this.set({ dropDownloads: this.#settings.dropDownloads - 1 });
    let sent = 0;
    const cut = Math.floor(size / 2);
    const breaker = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        const room = cut - sent;
        sent += chunk.length;
        if (room > chunk.length) return done(null, chunk);
        this.push(chunk.subarray(0, Math.max(0, room)));
        // No `done()`: the stream must not reach its end. Destroying it mid-body makes the server reset
        // the connection, once the bytes before the cut have gone out.
        setTimeout(() => breaker.destroy(new Error('connection dropped by a sandbox fault')), 20);
      },
    });
    return stream.pipe(breaker);
  }

  routes(): Hono {
    return new Hono()
      .get('/', (c) => c.json(this.#settings))
      .post('/', async (c) => {
        const body = (await c.req.json().catch(() => ({}))) as Partial<FaultSettings> & { expireTokens?: boolean; expireAccessTokens?: boolean };
        const { expireTokens, expireAccessTokens, ...patch } = body;
        this.set(patch);
        if (expireTokens) this.expireTokens();
        if (expireAccessTokens) this.expireAccessTokens();
        return c.json(this.#settings);
      })
      .delete('/', (c) => {
        this.reset();
        return c.json(this.#settings);
      });
  }
}

function initial(): FaultSettings {
  return { latencyMs: 0, failNext: { count: 0, status: 500 }, dropDownloads: 0 };
}
