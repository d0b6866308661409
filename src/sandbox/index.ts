/** The Alfresco sandbox: a local stand-in for Alfresco Content Services and its identity service. */
export { startSandbox, REALM_PATH, type SandboxOptions, type RunningSandbox } from './sandbox.ts';
export { buildSandboxApp, CORE_API_BASE, AUTH_API_BASE, SEARCH_API_BASE } from './app.ts';
export { USERS } from './users.ts';
export { SITES } from './sites.ts';
