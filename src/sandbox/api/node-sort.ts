import { isFolder, type RepoNode } from '../repository/node.ts';

/** What lists, queries and searches can be ordered by; `document` is the order the nodes were found in. */
export type NodeSortKey = 'isFolder' | 'name' | 'nodeType' | 'createdAt' | 'modifiedAt' | 'createdByUser' | 'modifiedByUser' | 'sizeInBytes' | 'mimeType' | 'document';

export interface NodeSort {
  by: NodeSortKey;
  ascending: boolean;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** A stable sort by the given keys; the keys are read once per node, not once per comparison. */
export function sortNodes(nodes: readonly RepoNode[], order: readonly NodeSort[]): RepoNode[] {
  if (order.length === 0) return [...nodes];
  const rows = nodes.map((node, index) => ({ node, index, keys: order.map(({ by }) => keyOf(node, by, index)) }));
  rows.sort((a, b) => {
    for (const [position, { ascending }] of order.entries()) {
      const [x, y] = [a.keys[position]!, b.keys[position]!];
      const difference = typeof x === 'string' ? collator.compare(x, y as string) : x - (y as number);
      if (difference !== 0) return ascending ? difference : -difference;
    }
    return a.index - b.index;
  });
  return rows.map(({ node }) => node);
}

function keyOf(node: RepoNode, by: NodeSortKey, index: number): string | number {
  switch (by) {
    case 'isFolder':
      return Number(isFolder(node));
    case 'name':
      return node.name;
    case 'nodeType':
      return node.nodeType;
    case 'createdByUser':
      return node.createdBy;
    case 'modifiedByUser':
      return node.modifiedBy;
    case 'createdAt':
      return node.createdAt.getTime();
    case 'modifiedAt':
      return node.modifiedAt.getTime();
    case 'sizeInBytes':
      return node.content?.sizeInBytes ?? 0;
    case 'mimeType':
      return node.content?.mimeType ?? '';
    default:
      return index;
  }
}
