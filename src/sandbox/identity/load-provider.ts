type OidcProviderModule = typeof import('oidc-provider');

let loading: Promise<OidcProviderModule> | undefined;

/**
 * Imports oidc-provider once, without its "Unsupported runtime" warning.
 *
 * oidc-provider 9 warns on import on any Node release older than 22 LTS; on our Node 20 it works
 * (the whole flow is tested here on Node 20), so the warning is noise in every test run and `npm start`. It is printed
 * with one `console.warn` while the module evaluates; only that exact message is dropped, anything
 * else printed meanwhile goes through. If something imported oidc-provider earlier, there is nothing
 * left to drop.
 */
export function loadOidcProvider(): Promise<OidcProviderModule> {
  loading ??= (async () => {
    const original = console.warn;
    const filtered = (...args: unknown[]): void => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
      original.apply(console, args);
    };
    console.warn = filtered;
    try {
      return await import('oidc-provider');
    } finally {
      if (console.warn === filtered) console.warn = original;
    }
  })();
  return loading;
}
