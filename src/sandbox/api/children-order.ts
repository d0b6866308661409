import { isFolder, type RepoNode } from '../repository/node.ts';
import type { OrderTerm, Predicate } from './list-params.ts';
import { sortNodes, type NodeSort, type NodeSortKey } from './node-sort.ts';

export const CHILDREN_ORDER_FIELDS = ['isFolder', 'name', 'mimeType', 'nodeType', 'sizeInBytes', 'modifiedAt', 'createdAt', 'modifiedByUser', 'createdByUser'] as const;
export const CHILDREN_WHERE_FIELDS = ['isFolder', 'isFile', 'nodeType', 'isPrimary', 'assocType'] as const;

const DEFAULT_ORDER: NodeSort[] = [
  { by: 'isFolder', ascending: false },
  { by: 'name', ascending: true },
];

/** Sorts children as `orderBy` asks, by default folders first and then by name. */
export function sortChildren(nodes: RepoNode[], order?: OrderTerm[]): RepoNode[] {
  return sortNodes(nodes, order ? order.map(({ field, ascending }) => ({ by: field as NodeSortKey, ascending })) : DEFAULT_ORDER);
}

/** Keeps the children that match the `where` predicates (all of them, or any with OR). */
export function filterChildren(nodes: RepoNode[], where: { predicates: Predicate[]; any: boolean } | undefined): RepoNode[] {
  if (!where) return nodes;
  const matches = (node: RepoNode, { property, value, includeSubtypes }: Predicate): boolean => {
    switch (property) {
      case 'isFolder':
        return isFolder(node) === (value === 'true');
      case 'isFile':
        return (node.content !== undefined) === (value === 'true');
      case 'nodeType':
        return node.nodeType === value || (includeSubtypes && isSubtype(node, value));
      case 'isPrimary':
        return value === 'true';
      default:
        return value === 'cm:contains';
    }
  };
  return nodes.filter((node) => (where.any ? where.predicates.some((p) => matches(node, p)) : where.predicates.every((p) => matches(node, p))));
}

// The few subtype relations of the content model the sandbox has.
function isSubtype(node: RepoNode, type: string): boolean {
  if (type === 'cm:folder') return isFolder(node);
  if (type === 'cm:content') return node.content !== undefined;
  return type === 'cm:cmobject';
}
