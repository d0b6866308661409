import { isFolder, type RepoNode } from '../../repository/node.ts';
import { forEachReadable } from '../../search/walk.ts';
import type { SandboxState } from '../../state.ts';
import { CmisError } from '../cmis-error.ts';
import { objectOf } from '../object-ids.ts';
import { checkOrderable, sortByProperties } from '../order.ts';
import { hasProperty, propertyValue, typeOfProperty, type PropertyType } from '../properties.ts';
import { isWorkingCopy } from '../working-copies.ts';
import { parseQuery, type Condition, type Literal, type Query } from './parse.ts';

type BaseType = 'cmis:document' | 'cmis:folder';

export interface QueryAnswer {
  query: Query;
  /** Every match the user may read, in the query's order (the walk's order without ORDER BY). */
  nodes: RepoNode[];
}

/**
 * Runs a CMIS SQL statement over the repository as `userId` sees it. Working copies are not searchable
 * (capabilityPWCSearchable false) and only the latest versions exist. LIKE folds case, as Alfresco's
 * does on cmis:name (its index of cm:name is case-insensitive); `=` does not.
 */
export function runQuery(state: SandboxState, userId: string, statement: string): QueryAnswer {
  const query = parseQuery(statement);
  const from = baseTypeOf(query.from);
  for (const { queryName } of query.select ?? []) known(from, queryName);
  if (query.where) check(from, query.where);
  for (const { column } of query.orderBy) {
    known(from, column);
    checkOrderable(column);
  }
  const folders = new Map<string, RepoNode>();
  const folderOf = (id: string): RepoNode => {
    let folder = folders.get(id);
    if (!folder) {
      folder = objectOf(state.repository, userId, id);
      if (!isFolder(folder)) throw new CmisError('invalidArgument', `IN_FOLDER and IN_TREE need a folder: ${id}`);
      folders.set(id, folder);
    }
    return folder;
  };

  const matches = candidates(state, userId, query.where, folderOf).filter(
    (node) => (from === 'cmis:folder' ? isFolder(node) : node.content !== undefined && !isWorkingCopy(node)) && (!query.where || holds(state, node, query.where, folderOf)),
  );
  return { query, nodes: sortByProperties(state.repository, matches, query.orderBy) };
}

function baseTypeOf(type: string): BaseType {
  if (type === 'cmis:document' || type === 'cmis:folder') return type;
  throw new CmisError('invalidArgument', `Type ${type} cannot be queried here: use cmis:document or cmis:folder`);
}

function known(from: BaseType, column: string): PropertyType {
  const type = typeOfProperty(column);
  if (!type || !hasProperty(from, column)) throw new CmisError('invalidArgument', `${from} has no property ${column}`);
  return type.type;
}

/** Refuses what cannot be compared: a literal of another type, LIKE on a number, a multi-valued property. */
function check(from: BaseType, condition: Condition): void {
  switch (condition.kind) {
    case 'and':
    case 'or':
      condition.parts.forEach((part) => check(from, part));
      return;
    case 'not':
      check(from, condition.part);
      return;
    case 'inFolder':
    case 'inTree':
      return;
    case 'null':
      known(from, condition.column);
      return;
    case 'like':
      if (!['string', 'id'].includes(known(from, condition.column))) throw new CmisError('invalidArgument', `LIKE needs a string property, not ${condition.column}`);
      return;
    case 'compare':
    case 'in': {
      const type = known(from, condition.column);
      if (typeOfProperty(condition.column)!.multi) throw new CmisError('invalidArgument', `${condition.column} is multi-valued: that needs ANY, which this repository's query does not support`);
      for (const literal of condition.kind === 'in' ? condition.literals : [condition.literal]) {
        if (!fits(type, literal)) throw new CmisError('invalidArgument', `${condition.column} is of type ${type}: a ${literal.kind} cannot be compared with it`);
      }
    }
  }
}

function fits(type: PropertyType, literal: Literal): boolean {
  return { id: 'string', string: 'string', integer: 'number', boolean: 'boolean', datetime: 'timestamp' }[type] === literal.kind;
}

/** Where to look: the folder of a top-level IN_FOLDER, the tree of an IN_TREE, else everything readable. */
function candidates(state: SandboxState, userId: string, where: Condition | undefined, folderOf: (id: string) => RepoNode): RepoNode[] {
  const { repository, ids } = state;
  const scope = [where, ...(where?.kind === 'and' ? where.parts : [])].find((part) => part?.kind === 'inFolder' || part?.kind === 'inTree');
  if (scope?.kind === 'inFolder') return repository.children(folderOf(scope.folderId).id).filter((child) => repository.canRead(userId, child));
  const found: RepoNode[] = [];
  const root = scope?.kind === 'inTree' ? folderOf(scope.folderId) : repository.get(ids.companyHome)!;
  forEachReadable(repository, root, userId, (node) => found.push(node), { includeRoot: scope === undefined });
  return found;
}

function holds(state: SandboxState, node: RepoNode, condition: Condition, folderOf: (id: string) => RepoNode): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.parts.every((part) => holds(state, node, part, folderOf));
    case 'or':
      return condition.parts.some((part) => holds(state, node, part, folderOf));
    case 'not':
      return !holds(state, node, condition.part, folderOf);
    case 'inFolder':
      return node.parentId === folderOf(condition.folderId).id;
    case 'inTree': {
      const folder = folderOf(condition.folderId);
      return state.repository.ancestors(node).some((ancestor) => ancestor.id === folder.id);
    }
    case 'null': {
      const value = propertyValue(state.repository, node, condition.column);
      const empty = value === null || value === undefined || (Array.isArray(value) && value.length === 0);
      return condition.negated ? !empty : empty;
    }
    case 'like': {
      const value = propertyValue(state.repository, node, condition.column);
      const matched = typeof value === 'string' && likePattern(condition.pattern).test(value);
      return condition.negated ? !matched : matched;
    }
    case 'in': {
      const value = propertyValue(state.repository, node, condition.column);
      if (value === null || value === undefined) return false;
      const found = condition.literals.some((literal) => compare(value, literal) === 0);
      return condition.negated ? !found : found;
    }
    case 'compare': {
      const value = propertyValue(state.repository, node, condition.column);
      if (value === null || value === undefined) return false;
      const difference = compare(value, condition.literal);
      return { '=': difference === 0, '<>': difference !== 0, '<': difference < 0, '>': difference > 0, '<=': difference <= 0, '>=': difference >= 0 }[condition.operator];
    }
  }
}

function compare(value: NonNullable<ReturnType<typeof propertyValue>>, literal: Literal): number {
  const left = value instanceof Date ? value.getTime() : typeof value === 'boolean' ? Number(value) : value;
  const right = literal.kind === 'timestamp' ? literal.value.getTime() : typeof literal.value === 'boolean' ? Number(literal.value) : literal.value;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  return (left as number) - (right as number);
}

/** `%` any run of characters, `_` one character, unless escaped with a backslash. */
function likePattern({ chars }: Literal & { kind: 'string' }): RegExp {
  const source = chars.map(({ char, escaped }) => (escaped ? escapeRegExp(char) : char === '%' ? '.*' : char === '_' ? '.' : escapeRegExp(char))).join('');
  return new RegExp(`^${source}$`, 'isu');
}

function escapeRegExp(text: string): string {
  // The syntax characters only: with the `u` flag any other escape is an error.
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
