export { buildSandbox, CORE_API_BASE } from './app.ts';
export { USERS } from './seed.ts';
