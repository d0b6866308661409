/**
 * Whether this process is stopping: main.ts says so first on SIGTERM, so /readyz answers 503 and a load
 * balancer sends nothing more here while the requests in flight finish.
 */
export class Lifecycle {
  #shuttingDown = false;

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  beginShutdown(): void {
    this.#shuttingDown = true;
  }
}
