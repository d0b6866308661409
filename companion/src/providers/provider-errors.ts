import { FsError, type ErrorCode } from 'fs-picker/protocol';
import { ProviderRefusal, type Provider } from './provider.ts';

/** What a source's refusal means to a person using the picker, by the status it answered. */
const REFUSALS: Record<number, { code: ErrorCode; message: (name: string) => string }> = {
  400: { code: 'FS_ERR_INVALID_REQUEST', message: (name) => `${name} could not do this with what it was given.` },
  403: { code: 'FS_ERR_FORBIDDEN', message: (name) => `Your ${name} account may not do this here.` },
  404: { code: 'FS_ERR_NOT_FOUND', message: (name) => `This item is no longer in ${name}.` },
  409: { code: 'FS_ERR_CONFLICT', message: (name) => `Something with that name is already there in ${name}.` },
  413: { code: 'FS_ERR_TOO_LARGE', message: (name) => `The file is larger than ${name} accepts.` },
  429: { code: 'FS_ERR_RATE_LIMITED', message: (name) => `${name} is busy; try again in a moment.` },
  507: { code: 'FS_ERR_TOO_LARGE', message: (name) => `${name} has no room for this file (quota or disk full).` },
};

/** The error registry's answer for anything a provider call threw. */
export function sourceFailure(name: string, error: unknown): unknown {
  if (error instanceof ProviderRefusal) {
    if (error.status === 401) return reconnect(name, error.detail);
    const refusal = REFUSALS[error.status];
    const field = error.field === undefined ? {} : { field: error.field };
    if (refusal) return new FsError(refusal.code, refusal.message(name), { cause: error.detail, ...field });
    return new FsError('FS_ERR_UPSTREAM', `${name} answered ${error.status}; try again later.`, { cause: error.detail, ...field });
  }
  // The token refresher speaks of no source in particular; the person should read which one.
  if (error instanceof FsError && error.code === 'FS_ERR_RECONNECT') return reconnect(name, error.cause ?? error.message);
  return error;
}

function reconnect(name: string, cause: unknown): FsError {
  return new FsError('FS_ERR_RECONNECT', `The connection to ${name} has expired. Connect again to continue.`, { cause });
}

/** The calls of a provider, each of which may fail upstream. */
const CALLS = [
  'describe', 'whoIs', 'whoAmI', 'refresh', 'signOut', 'locations', 'folder', 'list', 'search', 'stat', 'childNamed', 'download', 'thumbnail', 'create', 'writeVersion', 'remove',
] as const satisfies ReadonlyArray<keyof Provider>;

/**
 * The provider with every call's failure mapped to the error registry (401 reconnect, 400, 403, 404, 409,
 * 413, 429, other statuses 502), named after the source. The registry wraps every provider in this, so
 * no route maps a source's errors itself.
 */
export function providerErrors(provider: Provider): Provider {
  const wrapped: Provider = Object.create(provider) as Provider;
  for (const name of CALLS) {
    Object.defineProperty(wrapped, name, {
      value: async (...args: unknown[]) => {
        try {
          return await (provider[name] as (...args: unknown[]) => Promise<unknown>).apply(provider, args);
        } catch (error) {
          throw sourceFailure(provider.name, error);
        }
      },
    });
  }
  return wrapped;
}
