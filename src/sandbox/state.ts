import type { Tickets } from './auth/tickets.ts';
import type { TokenVerifier } from './auth/authenticate.ts';
import type { Faults } from './faults.ts';
import type { Renditions } from './renditions/renditions.ts';
import type { Repository } from './repository/repository.ts';

/** Node ids the REST API resolves aliases and sites with. */
export interface WellKnownIds {
  companyHome: string;
  shared: string;
  sites: string;
  userHomes: Record<string, string>;
}

/** Everything the sandbox's routes share; built once per sandbox by `createSandbox`. */
export interface SandboxState {
  repository: Repository;
  ids: WellKnownIds;
  tickets: Tickets;
  verifyToken: TokenVerifier;
  renditions: Renditions;
  faults: Faults;
}
