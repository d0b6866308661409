import { invalidArgument } from './api-error.ts';

export interface Paging {
  skipCount: number;
  maxItems: number;
}

/** skipCount ≥ 0 (default 0) and maxItems ≥ 1 (default 100), as every Alfresco list takes them. */
export function pagingOf(query: (name: string) => string | undefined): Paging {
  return { skipCount: integer(query('skipCount'), 0, 0, 'skipCount'), maxItems: integer(query('maxItems'), 100, 1, 'maxItems') };
}

/** Alfresco's csv arrays: `include=path,properties` (repeated parameters are accepted too). */
export function csv(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((item) => item.trim()).filter(Boolean);
}

export interface OrderTerm {
  field: string;
  ascending: boolean;
}

/** `orderBy=isFolder DESC,name ASC`; fields outside `allowed` are a 400 as on a real server. */
export function orderByOf(values: string[] | undefined, allowed: readonly string[]): OrderTerm[] | undefined {
  const terms = csv(values);
  if (terms.length === 0) return undefined;
  return terms.map((term) => {
    const [field = '', direction = 'ASC', ...rest] = term.split(/\s+/);
    if (!allowed.includes(field) || rest.length > 0 || !/^(ASC|DESC)$/i.test(direction)) {
      throw invalidArgument(`Invalid orderBy: ${term}. Sortable fields are ${allowed.join(', ')}`);
    }
    return { field, ascending: direction.toUpperCase() === 'ASC' };
  });
}

export interface Predicate {
  property: string;
  value: string;
  includeSubtypes: boolean;
}

/**
 * The `where` clause of node children: `(isFolder=true)`, `(nodeType='cm:content INCLUDESUBTYPES')`,
 * terms joined by AND or OR. Other properties are refused, as NodesImpl does.
 */
export function whereOf(raw: string | undefined, allowed: readonly string[]): { predicates: Predicate[]; any: boolean } | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const body = /^\s*\((.*)\)\s*$/s.exec(raw)?.[1];
  if (body === undefined) throw invalidArgument(`An invalid WHERE query was received: ${raw}. It must be in parentheses.`);
  const any = /\s+or\s+/i.test(body);
  if (any && /\s+and\s+/i.test(body)) throw invalidArgument(`An invalid WHERE query was received: ${raw}. Use AND or OR, not both.`);
  const predicates = body.split(/\s+(?:and|or)\s+/i).map((term) => {
    const match = /^\s*(\w+)\s*=\s*(?:'([^']*)'|(\w+))\s*$/.exec(term);
    if (!match || !allowed.includes(match[1]!)) throw invalidArgument(`An invalid WHERE query was received. Unsupported Predicate: ${term.trim()}`);
    const value = (match[2] ?? match[3]!).trim();
    const includeSubtypes = / INCLUDESUBTYPES$/i.test(value);
    return { property: match[1]!, value: value.replace(/ INCLUDESUBTYPES$/i, ''), includeSubtypes };
  });
  return { predicates, any };
}

export function booleanParam(raw: string | undefined, name: string, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw invalidArgument(`Invalid value for ${name}: ${raw}. Expected true or false.`);
}

function integer(raw: string | undefined, fallback: number, min: number, name: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw invalidArgument(`Invalid paging parameter ${name}: ${raw}. It must be an integer of at least ${min}.`);
  return value;
}
