import type { RepoNode } from '../repository/node.ts';
import { isFolder } from '../repository/node.ts';
import type { OrderTerm, Predicate } from './list-params.ts';

export const CHILDREN_ORDER_FIELDS = ['isFolder', 'name', 'mimeType', 'nodeType', 'sizeInBytes', 'modifiedAt', 'createdAt', 'modifiedByUser', 'createdByUser'] as const;
export const CHILDREN_WHERE_FIELDS = ['isFolder', 'isFile', 'nodeType', 'isPrimary', 'assocType'] as const;

const DEFAULT_ORDER: OrderTerm[] = [
  { field: 'isFolder', ascending: false },
  { field: 'name', ascending: true },
];

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

const KEYS: Record<string, (node: RepoNode) => string | number> = {
  isFolder: (node) => Number(isFolder(node)),
  name: (node) => node.name,
  mimeType: (node) => node.content?.mimeType ?? '',
  nodeType: (node) => node.nodeType,
  sizeInBytes: (node) => node.content?.sizeInBytes ?? 0,
  modifiedAt: (node) => node.modifiedAt.getTime(),
  createdAt: (node) => node.createdAt.getTime(),
  modifiedByUser: (node) => node.modifiedBy,
  createdByUser: (node) => node.createdBy,
};

/** Sorts children as `orderBy` asks, by default folders first and then by name. */
export function sortChildren(nodes: RepoNode[], order: OrderTerm[] = DEFAULT_ORDER): RepoNode[] {
  return nodes.sort((a, b) => {
    for (const { field, ascending } of order) {
      const [x, y] = [KEYS[field]!(a), KEYS[field]!(b)];
      const difference = typeof x === 'string' && typeof y === 'string' ? collator.compare(x, y) : Number(x) - Number(y);
      if (difference !== 0) return ascending ? difference : -difference;
    }
    return 0;
  });
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
