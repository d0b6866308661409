import { getRequestListener } from '@hono/node-server';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildSandboxApp } from './app.ts';
import { Tickets } from './auth/tickets.ts';
import { syntheticBytes } from './content/index.ts';
import { Faults } from './faults.ts';
import { createIdentityService, type IdentityClient, type IdentityService } from './identity/index.ts';
import { Renditions } from './renditions/renditions.ts';
import { DiskContentStore, MemoryContentStore, type SyntheticSource } from './repository/content-store.ts';
import { Repository } from './repository/repository.ts';
import { keepSnapshot, loadSnapshot } from './repository/snapshot.ts';
import { seedRepository } from './seed.ts';
import type { SandboxState } from './state.ts';
import { USERS } from './users.ts';

export const REALM_PATH = '/auth/realms/alfresco';

export interface SandboxOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Keep content and the tree in this folder across restarts; in memory when absent. */
  dataDir?: string;
  /** Origins allowed to call the REST API from a browser (cors.allowed.origins); none by default. */
  corsOrigins?: string[];
  /** Lifetimes in seconds and the OAuth clients of the identity service. */
  identity?: { accessTokenTtl?: number; refreshTokenTtl?: number; codeTtl?: number; clients?: IdentityClient[] };
  /** How long an unused ticket stays valid, in milliseconds (an hour by default). */
  ticketTtlMs?: number;
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:8180; the repository is under /alfresco. */
  url: string;
  /** The identity service's issuer, `${url}/auth/realms/alfresco`. */
  issuer: string;
  state: SandboxState;
  identity: IdentityService;
  close: () => Promise<void>;
}

const synthetic: SyntheticSource = (size, { start, end }) => syntheticBytes(size, start, end + 1);

/**
 * Starts the Alfresco sandbox: the REST API and the identity service on one port, seeded with the sample
 * content (or what `dataDir` kept). Requests that arrive before the seed is in place get a 503.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const { host = '127.0.0.1', port = 0 } = options;
  let ready: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (ready) return ready(req, res);
    res.writeHead(503, { 'Retry-After': '1' }).end('The sandbox is starting');
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
  const close = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });

  try {
    const identity = await createIdentityService({ issuer: `${url}${REALM_PATH}`, users: [...USERS], ...(options.identity ?? {}), clients: options.identity?.clients ?? [] });
    const { state, flush } = await createState(options, identity);
    const listener = getRequestListener(buildSandboxApp(state, { corsOrigins: options.corsOrigins ?? [] }).fetch);
    ready = (req, res) => (req.url?.startsWith(REALM_PATH) ? identity.handle(req, res) : void listener(req, res));
    return {
      url,
      issuer: identity.issuer,
      state,
      identity,
      close: async () => {
        await flush();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function createState(options: SandboxOptions, identity: IdentityService): Promise<{ state: SandboxState; flush: () => Promise<void> }> {
  const content = options.dataDir ? new DiskContentStore(join(options.dataDir, 'content'), synthetic) : new MemoryContentStore(synthetic);
  const repository = new Repository(content);
  const renditions = new Renditions(repository);
  const ids = (options.dataDir && (await loadSnapshot(repository, options.dataDir))) || (await seedRepository(repository, renditions));
  const snapshot = options.dataDir ? keepSnapshot(repository, options.dataDir, ids) : undefined;
  if (options.dataDir) await snapshot!.flush();

  const tickets = new Tickets(options.ticketTtlMs);
  const faults = new Faults();
  faults.onExpireTokens(() => tickets.revokeAll());
  faults.onExpireTokens(() => identity.expireAllTokens());
  faults.onExpireAccessTokens(() => identity.expireAccessTokens());
  const state: SandboxState = { repository, ids, tickets, verifyToken: (token) => identity.verifyAccessToken(token), renditions, faults };
  return { state, flush: () => snapshot?.flush() ?? Promise.resolve() };
}
