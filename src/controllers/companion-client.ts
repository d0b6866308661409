import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ContextProvider } from '@lit/context';
import { CompanionClient } from '../api/transport/client.ts';
import { clientContext } from './context.ts';

/** Which companion and app a picker talks to. */
export interface CompanionTarget {
  server: string;
  apiKey: string;
}

/**
 * Builds the companion client for `target()` (the picker's `server` and `api-key`) and provides it to the
 * views inside the host; a new client when either changes, none until both are set.
 */
export class CompanionClientController implements ReactiveController {
  readonly #provider: ContextProvider<typeof clientContext>;
  #built: CompanionTarget | undefined;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    private readonly target: () => CompanionTarget,
  ) {
    this.#provider = new ContextProvider(host, { context: clientContext, initialValue: undefined });
    host.addController(this);
  }

  /** The current client, or undefined while the server or API key is missing. */
  get value(): CompanionClient | undefined {
    return this.#provider.value;
  }

  hostUpdate(): void {
    const { server, apiKey } = this.target();
    if (this.#built?.server === server && this.#built.apiKey === apiKey) return;
    this.#built = { server, apiKey };
    this.#provider.setValue(apiKey && server ? new CompanionClient({ server, apiKey }) : undefined);
  }
}
