import { Hono } from 'hono';
import type { AuthEnv } from '../auth/authenticate.ts';
import type { RepoNode } from '../repository/node.ts';
import { AftsError, compileAfts, parseAfts, type AftsQuery } from '../search/afts.ts';
import { forEachReadable } from '../search/walk.ts';
import type { SandboxState } from '../state.ts';
import { invalidArgument } from './api-error.ts';
import { listEnvelope, nodeEntry } from './node-entry.ts';
import { sortNodes, type NodeSort, type NodeSortKey } from './node-sort.ts';

// Parts of a SearchRequest that would change what comes back and that the sandbox does not do.
const UNSUPPORTED_PARTS = ['templates', 'facetQueries', 'facetFields', 'facetIntervals', 'pivots', 'stats', 'spellcheck', 'highlight', 'ranges'] as const;

const SORT_FIELDS: Readonly<Record<string, NodeSortKey>> = {
  'cm:name': 'name',
  name: 'name',
  'cm:created': 'createdAt',
  created: 'createdAt',
  'cm:modified': 'modifiedAt',
  modified: 'modifiedAt',
  'cm:content.size': 'sizeInBytes',
  'content.size': 'sizeInBytes',
  'cm:content.mimetype': 'mimeType',
  'content.mimetype': 'mimeType',
};

/**
 * The Search API (`POST search` on the search base): AFTS queries over the nodes the user can read,
 * with paging, include, fields, sort and filterQueries. See search/afts.ts for the query subset;
 * anything outside it is a 400 that names what is not supported.
 */
export function searchRoutes(state: SandboxState): Hono<AuthEnv> {
  const { repository, ids } = state;
  return new Hono<AuthEnv>().post('/search', async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    if (!isObject(body)) throw invalidArgument('The search request must be a JSON object: {"query":{"query":"…"}}');
    const request = readRequest(body);
    const user = c.get('user');

    // The query and every filter query must match; a filter query only narrows, it does not score.
    const tests = request.queries.map((query) => compileAfts(query));
    const matches: RepoNode[] = [];
    const visit = (node: RepoNode, ancestors: ReadonlySet<string>): void => {
      const candidate = { node, ancestors };
      if (tests.every((test) => test(candidate))) matches.push(node);
    };
    forEachReadable(repository, repository.get(ids.companyHome)!, user.id, visit, { includeRoot: true });

    const ordered = sortNodes(matches, request.sort);
    const options = { include: request.include, fields: request.fields };
    const context = request.includeRequest ? { context: { request: body } } : { context: {} };
    return c.json(listEnvelope(ordered, request.paging, (node) => ({ ...nodeEntry(repository, node, user.id, options), search: { score: 1 } }), context));
  });
}

interface ReadRequest {
  queries: AftsQuery[];
  paging: { skipCount: number; maxItems: number };
  include: string[];
  fields: string[];
  sort: NodeSort[];
  includeRequest: boolean;
}

function readRequest(body: Record<string, unknown>): ReadRequest {
  const query = body.query;
  if (!isObject(query) || typeof query.query !== 'string') throw invalidArgument('The search request needs query.query, a string: {"query":{"query":"…"}}');
  const language = query.language ?? 'afts';
  if (language !== 'afts') throw invalidArgument(`The sandbox's search supports the afts query language only, not ${JSON.stringify(language)}`);
  for (const part of UNSUPPORTED_PARTS) {
    if (body[part] !== undefined) throw invalidArgument(`The sandbox's search does not support "${part}" in a search request`);
  }
  const scope = body.scope;
  if (isObject(scope) && scope.locations !== undefined && scope.locations !== 'nodes') {
    throw invalidArgument(`The sandbox's search covers scope.locations "nodes" only, not ${JSON.stringify(scope.locations)}`);
  }
  const defaults = isObject(body.defaults) ? body.defaults : {};
  for (const key of Object.keys(defaults)) {
    if (key !== 'defaultFTSOperator') throw invalidArgument(`The sandbox's search does not support defaults.${key}`);
  }
  const operator = defaults.defaultFTSOperator ?? 'AND';
  if (operator !== 'AND' && operator !== 'OR') throw invalidArgument(`defaults.defaultFTSOperator must be AND or OR, not ${JSON.stringify(operator)}`);

  const filterQueries = body.filterQueries ?? [];
  if (!Array.isArray(filterQueries) || !filterQueries.every((filter) => isObject(filter) && typeof filter.query === 'string')) {
    throw invalidArgument('filterQueries must be a list of {"query":"…"}');
  }
  const texts = [query.query, ...filterQueries.map((filter) => (filter as { query: string }).query)];
  let queries: ReadRequest['queries'];
  try {
    queries = texts.map((text) => parseAfts(text, { defaultOperator: operator }));
  } catch (error) {
    if (error instanceof AftsError) throw invalidArgument(error.message);
    throw error;
  }
  return {
    queries,
    paging: pagingOf(body.paging),
    include: stringList(body.include, 'include'),
    fields: stringList(body.fields, 'fields'),
    sort: sortOf(body.sort),
    includeRequest: body.includeRequest === true,
  };
}

function pagingOf(paging: unknown): { skipCount: number; maxItems: number } {
  if (paging === undefined) return { skipCount: 0, maxItems: 100 };
  if (!isObject(paging)) throw invalidArgument('paging must be an object: {"maxItems":25,"skipCount":0}');
  const integer = (raw: unknown, name: string, fallback: number, min: number): number => {
    if (raw === undefined) return fallback;
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw invalidArgument(`Invalid paging parameter ${name}: ${JSON.stringify(raw)}. It must be an integer of at least ${min}.`);
    return value;
  };
  return { skipCount: integer(paging.skipCount, 'skipCount', 0, 0), maxItems: integer(paging.maxItems, 'maxItems', 100, 1) };
}

/** Every result scores 1, so SCORE keeps the order results were found in, as DOCUMENT does. */
function sortOf(sort: unknown): NodeSort[] {
  if (sort === undefined) return [];
  if (!Array.isArray(sort)) throw invalidArgument('sort must be a list: [{"type":"FIELD","field":"cm:name","ascending":true}]');
  return sort.flatMap((item: unknown): NodeSort[] => {
    if (!isObject(item)) throw invalidArgument('Each sort must be an object: {"type":"FIELD","field":"cm:name","ascending":true}');
    const type = item.type ?? 'FIELD';
    const ascending = item.ascending === true;
    if (type === 'SCORE') return [];
    if (type === 'DOCUMENT') return [{ by: 'document', ascending }];
    if (type !== 'FIELD') throw invalidArgument(`Unknown sort type: ${JSON.stringify(type)}. Use FIELD, SCORE or DOCUMENT.`);
    const by = typeof item.field === 'string' ? SORT_FIELDS[item.field.replace(/^@/, '')] : undefined;
    if (!by) throw invalidArgument(`The sandbox's search cannot sort by ${JSON.stringify(item.field)}; sortable fields are ${Object.keys(SORT_FIELDS).join(', ')}`);
    return [{ by, ascending }];
  });
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw invalidArgument(`${name} must be a list of strings`);
  return value.flatMap((item: string) => item.split(',').map((part) => part.trim()).filter(Boolean));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
