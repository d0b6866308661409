import { FsError } from 'fs-picker/protocol';
import type { Provider } from './provider.ts';
import { providerErrors } from './provider-errors.ts';

/** What Blobs call the sources that need no provider: the person's device and a pasted link. */
const DEVICE_CLIENTS: Record<string, string> = { COMPUTER: 'Computer', URL: 'URL' };

/** A service id: upper-case letters, digits and underscores, as filepicker v2 spelled its services. */
export const SERVICE_ID = /^[A-Z][A-Z0-9_]{0,31}$/;

/**
 * The sources the companion can browse, each wrapped in the one error mapping. An app offers those of
 * them its `services` name (with COMPUTER and URL, which the browser handles). Routes find a provider by
 * its id (a grant's or handle's `source`) or by its path segment (`/api/alfresco/…`, the id in lower case).
 */
export class ProviderRegistry {
  readonly #byId = new Map<string, Provider>();

  constructor(providers: readonly Provider[]) {
    for (const provider of providers) {
      if (!SERVICE_ID.test(provider.id) || provider.id in DEVICE_CLIENTS) throw new Error(`A provider cannot be called "${provider.id}".`);
      if (this.#byId.has(provider.id)) throw new Error(`Two providers are called "${provider.id}".`);
      this.#byId.set(provider.id, providerErrors(provider));
    }
  }

  get ids(): string[] {
    return [...this.#byId.keys()];
  }

  get(id: string): Provider | undefined {
    return this.#byId.get(id);
  }

  /** The provider a grant or handle came from; one that is no longer registered cannot be reached. */
  of(id: string): Provider {
    const provider = this.#byId.get(id);
    if (!provider) throw new FsError('FS_ERR_NOT_FOUND', `This companion no longer offers the source "${id}".`);
    return provider;
  }

  /** The provider behind a path segment such as `alfresco`. */
  bySegment(segment: string): Provider {
    const id = segment.toUpperCase();
    const provider = segment === id.toLowerCase() ? this.#byId.get(id) : undefined;
    if (!provider) throw new FsError('FS_ERR_NOT_FOUND', `There is no source "${segment.slice(0, 40)}" on this companion.`);
    return provider;
  }

  /** A Blob's `client` for files from `sourceId`: the provider's name, "Computer" or "URL". */
  clientOf(sourceId: string): string {
    return this.#byId.get(sourceId)?.name ?? DEVICE_CLIENTS[sourceId] ?? sourceId;
  }

  /** Whether an app may name `sourceId` in its services. */
  offers(sourceId: string): boolean {
    return this.#byId.has(sourceId) || sourceId in DEVICE_CLIENTS;
  }
}

/** The path segment of a provider's routes: `/api/<segment>/…`, `/auth/<segment>/…`. */
export const segmentOf = (provider: Pick<Provider, 'id'>): string => provider.id.toLowerCase();
