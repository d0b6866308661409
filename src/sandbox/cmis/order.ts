import type { RepoNode } from '../repository/node.ts';
import type { Repository } from '../repository/repository.ts';
import { CmisError } from './cmis-error.ts';
import { isOrderable, propertyValue, type PropertyValue } from './properties.ts';

export interface OrderTerm {
  column: string;
  ascending: boolean;
}

/** getChildren's `orderBy` (CMIS 1.1 §2.2.1.2.7): `cmis:name ASC,cmis:lastModificationDate DESC`, orderable properties only. */
export function orderByOf(raw: string | undefined): OrderTerm[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((term) => {
    const [column = '', direction = 'ASC', ...rest] = term.trim().split(/\s+/);
    if (rest.length > 0 || !/^(ASC|DESC)$/i.test(direction)) throw new CmisError('invalidArgument', `Invalid orderBy: ${term.trim()}`);
    checkOrderable(column);
    return { column, ascending: direction.toUpperCase() === 'ASC' };
  });
}

export function checkOrderable(column: string): void {
  if (!isOrderable(column)) throw new CmisError('invalidArgument', `Cannot order by ${column}: it is not an orderable property`);
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** A stable sort by property values, each read once per node; no value sorts before any value. */
export function sortByProperties(repository: Repository, nodes: readonly RepoNode[], order: readonly OrderTerm[]): RepoNode[] {
  if (order.length === 0) return [...nodes];
  const rows = nodes.map((node, index) => ({ node, index, keys: order.map(({ column }) => sortKey(propertyValue(repository, node, column))) }));
  rows.sort((a, b) => {
    for (const [position, { ascending }] of order.entries()) {
      const difference = compareKeys(a.keys[position]!, b.keys[position]!);
      if (difference !== 0) return ascending ? difference : -difference;
    }
    return a.index - b.index;
  });
  return rows.map(({ node }) => node);
}

type SortKey = string | number | null;

function sortKey(value: PropertyValue | undefined): SortKey {
  if (value === null || value === undefined || Array.isArray(value)) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return Number(value);
  return value;
}

function compareKeys(x: SortKey, y: SortKey): number {
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  return typeof x === 'string' ? collator.compare(x, String(y)) : x - (y as number);
}
