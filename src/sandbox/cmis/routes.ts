import { Hono, type Context } from 'hono';
import { requireUser, type AuthEnv } from '../auth/authenticate.ts';
import type { RepoNode } from '../repository/node.ts';
import type { SandboxState } from '../state.ts';
import { readActionForm } from './action-form.ts';
import { runAction } from './actions.ts';
import { CmisError, cmisErrorHandler } from './cmis-error.ts';
import type { CmisCall } from './cmis-call.ts';
import { objectAtPath, objectOf } from './object-ids.ts';
import { Params } from './params.ts';
import { REPOSITORY_ID, repositoryInfo } from './repository-info.ts';
import { answerSelector, queryResults } from './selectors.ts';

/** Where Alfresco serves the CMIS 1.1 browser binding of its public API. */
export const CMIS_BROWSER_BASE = '/alfresco/api/-default-/public/cmis/versions/1.1/browser';

/**
 * The CMIS 1.1 browser binding (CMIS 1.1 §5) over the same repository as the REST API, signed in to as
 * the REST API is (Basic, tickets, Bearer tokens). URLs as Alfresco's: the binding URL is the service
 * document and the repository URL of `-default-`; `…/root` is the root folder URL, `…/root/a/b` an
 * object by path and `…/root?objectId=…` an object by id (§5.3).
 */
export function cmisRoutes(state: SandboxState): Hono<AuthEnv> {
  const answer = async (c: Context<AuthEnv>): Promise<Response> => {
    const url = new URL(c.req.url);
    const rest = url.pathname.slice(CMIS_BROWSER_BASE.length);
    const post = c.req.method === 'POST';
    const form = post ? await readActionForm(c.req.raw, state.repository.content) : undefined;
    const call: CmisCall = {
      state,
      userId: c.get('user').id,
      params: new Params(url.searchParams, form?.fields ?? []),
      bindingUrl: `${url.origin}${CMIS_BROWSER_BASE}`,
    };
    try {
      const target = targetOf(call, rest);
      if (form) return await runAction(c, call, form, target);
      if (target) return await answerSelector(c, call, target);
      return repositoryRead(c, call);
    } finally {
      // Bytes an action did not keep (a refused upload, a content part sent with createFolder).
      await form?.discard(state.repository.content);
    }
  };

  return new Hono<AuthEnv>()
    .use(requireUser(state))
    .on(['GET', 'HEAD', 'POST'], '/', answer)
    .on(['GET', 'HEAD', 'POST'], '/*', answer)
    .onError(cmisErrorHandler);
}

/**
 * The object a URL names: `objectId` on the root folder URL, else the path after it; undefined for the
 * repository URL, where a POST may still name its object with `objectId` (as CmisJS sends actions).
 */
function targetOf(call: CmisCall, rest: string): RepoNode | undefined {
  const { repository, ids } = call.state;
  const objectId = call.params.get('objectId');
  if (rest === '' || rest === '/' || rest === `/${REPOSITORY_ID}`) return objectId ? objectOf(repository, call.userId, objectId) : undefined;
  const path = /^(?:\/-default-)?\/root(\/.*)?$/.exec(rest);
  if (!path) throw new CmisError('objectNotFound', `Nothing is at ${rest}`);
  if (objectId) return objectOf(repository, call.userId, objectId);
  const names = (path[1] ?? '').split('/').filter(Boolean).map(decodeSegment);
  return objectAtPath(repository, repository.get(ids.companyHome)!, call.userId, names.join('/'));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new CmisError('invalidArgument', `The path segment ${segment} is not valid percent-encoding`);
  }
}

/** GET on the repository URL (§5.4.1): repository info (the default) or a query. */
function repositoryRead(c: Context, call: CmisCall): Response {
  const selector = call.params.get('cmisselector') ?? 'repositoryInfo';
  if (selector === 'repositoryInfo') return c.json({ [REPOSITORY_ID]: repositoryInfo(call.state, call.bindingUrl) });
  if (selector === 'query') return c.json(queryResults(call, call.params.get('q') ?? call.params.get('statement')));
  throw new CmisError('notSupported', `The selector ${selector} is not supported on the repository here`);
}
