import { Hono } from 'hono';
import type { AuthEnv } from '../auth/authenticate.ts';
import type { RepoNode } from '../repository/node.ts';
import { matchesNameTitleOrDescription, phraseOf } from '../search/text.ts';
import { isKnownType, isOfType } from '../search/types.ts';
import { forEachReadable } from '../search/walk.ts';
import type { SandboxState } from '../state.ts';
import { invalidArgument, notFound } from './api-error.ts';
import { csv, orderByOf, pagingOf } from './list-params.ts';
import { listEnvelope, nodeEntry } from './node-entry.ts';
import { sortNodes, type NodeSort, type NodeSortKey } from './node-sort.ts';

const MIN_TERM_LENGTH = 3;
const ORDER_FIELDS = ['name', 'modifiedAt', 'createdAt'] as const;
// QueriesImpl's default: the most recently modified first.
const DEFAULT_ORDER: NodeSort[] = [{ by: 'modifiedAt', ascending: false }];

/**
 * `GET queries/nodes?term=`: the live search of the Queries API. As QueriesImpl does, the term is one
 * phrase (quoted or not, `*` wildcards allowed) looked for in cm:name, cm:title and cm:description (the
 * sandbox indexes no full text or tags), below `rootNodeId` when given; files and folders only by
 * default, without sites and their containers; `nodeType` instead asks for that type and its subtypes.
 */
export function queryRoutes(state: SandboxState): Hono<AuthEnv> {
  const { repository, ids } = state;
  return new Hono<AuthEnv>().get('/nodes', (c) => {
    const user = c.get('user');
    const term = termOf(c.req.query('term'));
    const paging = pagingOf((name) => c.req.query(name));
    const order = orderByOf(c.req.queries('orderBy'), ORDER_FIELDS)?.map(({ field, ascending }) => ({ by: field as NodeSortKey, ascending })) ?? DEFAULT_ORDER;
    const nodeType = c.req.query('nodeType');
    if (nodeType !== undefined && !isKnownType(nodeType)) throw invalidArgument(`Unknown filter nodeType: ${nodeType}`);

    const rootNodeId = c.req.query('rootNodeId');
    const aliases: Record<string, string | undefined> = { '-root-': ids.companyHome, '-shared-': ids.shared, '-my-': ids.userHomes[user.id] };
    const root = rootNodeId === undefined ? repository.get(ids.companyHome)! : repository.get(aliases[rootNodeId] ?? rootNodeId);
    if (!root) throw notFound(rootNodeId!);

    const phrase = phraseOf(term);
    const wanted = nodeType === undefined ? isPlainFileOrFolder(repository) : (node: RepoNode) => isOfType(node, nodeType);
    const matches: RepoNode[] = [];
    forEachReadable(repository, root, user.id, (node) => {
      if (wanted(node) && matchesNameTitleOrDescription(node, phrase)) matches.push(node);
    });
    const options = { include: csv(c.req.queries('include')), fields: csv(c.req.queries('fields')) };
    return c.json(listEnvelope(sortNodes(matches, order), paging, (node) => nodeEntry(repository, node, user.id, options)));
  });
}

/** The term as QueriesImpl checks it: present, and with at least three letters or digits. */
function termOf(raw: string | undefined): string {
  if (raw === undefined) throw invalidArgument("Query 'term' not specified");
  const term = raw.trim();
  if ((term.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < MIN_TERM_LENGTH) {
    throw invalidArgument(`Query 'term' is too short. Must have at least ${MIN_TERM_LENGTH} alphanumeric chars`);
  }
  return term;
}

/** `+TYPE:"cm:content" OR +TYPE:"cm:folder"` without sites (st:site) and site containers, as QueriesImpl asks. */
function isPlainFileOrFolder(repository: SandboxState['repository']): (node: RepoNode) => boolean {
  return (node) =>
    (isOfType(node, 'cm:content') || isOfType(node, 'cm:folder')) && node.nodeType !== 'st:site' && repository.parentOf(node)?.nodeType !== 'st:site';
}
