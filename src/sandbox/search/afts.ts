import type { RepoNode } from '../repository/node.ts';
import { fieldWords, globToRegExp, matchesNameTitleOrDescription, matchesPhrase, phraseOf, type TextField } from './text.ts';
import { isOfType } from './types.ts';

/**
 * The subset of Alfresco Full Text Search (AFTS) that the sandbox understands:
 *
 * - terms: `word`, `"a phrase"`, `field:word`, `field:"phrase"`, with `*` and `?` wildcards in text;
 *   fields `cm:name`, `cm:title`, `cm:description` (also without `cm:`, with `@`, or as `cm_name`),
 *   `cm:content.mimetype`, `TYPE`, `EXACTTYPE`, `ASPECT`, `PARENT`, `ANCESTOR` and `ID`; a word without a
 *   field matches name, title or description; `=` before a text term asks for the exact value;
 * - prefixes `+` (must), `-`, `!` and `NOT` (must not); `AND`, `OR` (also `&&`, `||`) and parentheses,
 *   AND binding tighter than OR; terms side by side are joined by the default operator (AND).
 *
 * Everything else (ranges, fuzzy `~`, boosts `^`, field groups, other fields) is refused with an
 * AftsError that names it, never ignored.
 */
export class AftsError extends Error {}

export type Field = 'default' | 'cm:name' | 'cm:title' | 'cm:description' | 'mimetype' | 'TYPE' | 'EXACTTYPE' | 'ASPECT' | 'PARENT' | 'ANCESTOR' | 'ID';

export type AftsQuery =
  | { kind: 'term'; field: Field; value: string; exact: boolean }
  | { kind: 'and'; clauses: Clause[] }
  | { kind: 'or'; items: AftsQuery[] };

export interface Clause {
  occur: 'must' | 'should' | 'mustNot';
  query: AftsQuery;
}

/** A node as the search sees it: with the ids of its ancestors, for ANCESTOR. */
export interface Candidate {
  node: RepoNode;
  ancestors: ReadonlySet<string>;
}

export const SUPPORTED_FIELDS = 'cm:name, cm:title, cm:description, cm:content.mimetype, TYPE, EXACTTYPE, ASPECT, PARENT, ANCESTOR, ID';

// Spellings of each field, longest first so that `cm:content.mimetype` wins over `cm:`-anything.
const FIELD_NAMES: ReadonlyArray<[string, Field]> = (
  [
    ['cm:content.mimetype', 'mimetype'],
    ['cm_content.mimetype', 'mimetype'],
    ['content.mimetype', 'mimetype'],
    ['cm:description', 'cm:description'],
    ['cm_description', 'cm:description'],
    ['description', 'cm:description'],
    ['cm:title', 'cm:title'],
    ['cm_title', 'cm:title'],
    ['title', 'cm:title'],
    ['cm:name', 'cm:name'],
    ['cm_name', 'cm:name'],
    ['name', 'cm:name'],
    ['EXACTTYPE', 'EXACTTYPE'],
    ['ANCESTOR', 'ANCESTOR'],
    ['PARENT', 'PARENT'],
    ['ASPECT', 'ASPECT'],
    ['TYPE', 'TYPE'],
    ['ID', 'ID'],
  ] as Array<[string, Field]>
).sort(([a], [b]) => b.length - a.length);

type Token =
  | { type: '(' | ')' | 'AND' | 'OR' | 'NOT' | 'EOF'; at: number }
  | { type: 'prefix'; op: '+' | '-' | '!' | '='; at: number }
  | { type: 'phrase'; text: string; at: number }
  | { type: 'word'; text: string; at: number };

const UNSUPPORTED_CHARACTERS: Record<string, string> = {
  '[': 'ranges ([a TO b])',
  ']': 'ranges ([a TO b])',
  '{': 'ranges and fully qualified names ({…})',
  '}': 'ranges and fully qualified names ({…})',
  '^': 'boosts (^)',
  '~': 'fuzzy, proximity and expanded terms (~)',
  '<': 'ranges (<a TO b>)',
  '>': 'ranges (<a TO b>)',
};

/** Parses `text`; `defaultOperator` joins terms written side by side (AFTS' defaultFTSOperator). */
export function parseAfts(text: string, { defaultOperator = 'AND' }: { defaultOperator?: 'AND' | 'OR' } = {}): AftsQuery {
  const tokens = lex(text);
  let position = 0;
  const peek = (): Token => tokens[position]!;
  const next = (): Token => tokens[position++]!;
  const fail = (message: string, token: Token = peek()): never => {
    throw new AftsError(`${message} at character ${token.at + 1} of the query: ${text}`);
  };

  const disjunction = (): AftsQuery => {
    const items = [conjunction()];
    while (peek().type === 'OR') {
      next();
      items.push(conjunction());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };

  const conjunction = (): AftsQuery => {
    const clauses: Array<{ occur: Clause['occur'] | 'default'; query: AftsQuery }> = [];
    let explicitAnd = false;
    for (let token = peek(); token.type !== 'EOF' && token.type !== ')' && token.type !== 'OR'; token = peek()) {
      if (token.type === 'AND') {
        if (clauses.length === 0) fail('AND needs a term before it');
        next();
        explicitAnd = true;
        continue;
      }
      clauses.push(unit());
    }
    if (clauses.length === 0) fail('A term was expected');
    const fallback = explicitAnd || defaultOperator === 'AND' ? 'must' : 'should';
    const resolved = clauses.map(({ occur, query }) => ({ occur: occur === 'default' ? fallback : occur, query }));
    return resolved.length === 1 && resolved[0]!.occur !== 'mustNot' ? resolved[0]!.query : { kind: 'and', clauses: resolved };
  };

  const unit = (): { occur: Clause['occur'] | 'default'; query: AftsQuery } => {
    let occur: Clause['occur'] | 'default' = 'default';
    let exact = false;
    for (;;) {
      const prefix = peek();
      if (prefix.type === 'NOT' || (prefix.type === 'prefix' && (prefix.op === '-' || prefix.op === '!'))) occur = 'mustNot';
      else if (prefix.type === 'prefix' && prefix.op === '+') occur = 'must';
      else if (prefix.type === 'prefix') exact = true;
      else break;
      next();
    }
    const token = next();
    if (token.type === '(') {
      if (exact) fail('"=" applies to a term, not to a group', token);
      const query = disjunction();
      if (peek().type !== ')') fail('A closing parenthesis was expected');
      next();
      return { occur, query };
    }
    if (token.type === 'phrase') return { occur, query: { kind: 'term', field: 'default', value: token.text, exact } };
    if (token.type === 'word') return { occur, query: fieldTerm(token, exact) };
    return fail(token.type === 'EOF' ? 'The query ends where a term was expected' : `Unexpected ${token.type}`, token);
  };

  const fieldTerm = (token: Token & { type: 'word' }, exact: boolean): AftsQuery => {
    const word = token.text.replace(/^@/, '');
    const known = FIELD_NAMES.find(([name]) => word.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    if (!known) {
      const colon = word.lastIndexOf(':');
      if (colon >= 0) fail(`The sandbox's search does not support the field "${word.slice(0, colon)}" (supported: ${SUPPORTED_FIELDS})`, token);
      return { kind: 'term', field: 'default', value: word, exact };
    }
    const [name, field] = known;
    let value = word.slice(name.length + 1);
    if (value === '') {
      const following = next();
      if (following.type === '(') fail(`Field groups such as ${name}:(a b) are not supported; write ${name}:a ${name}:b`, following);
      if (following.type !== 'phrase' && following.type !== 'word') fail(`A value was expected after ${name}:`, following);
      value = (following as { text: string }).text;
    }
    return { kind: 'term', field, value, exact };
  };

  const query = disjunction();
  if (peek().type !== 'EOF') fail(peek().type === ')' ? 'Unbalanced closing parenthesis' : `Unexpected ${peek().type}`);
  return query;
}

/** Turns a parsed query into a test of one candidate. Wildcards and phrases are prepared once. */
export function compileAfts(query: AftsQuery): (candidate: Candidate) => boolean {
  switch (query.kind) {
    case 'or': {
      const items = query.items.map(compileAfts);
      return (candidate) => items.some((item) => item(candidate));
    }
    case 'and': {
      const tests = query.clauses.map(({ occur, query: inner }) => ({ occur, test: compileAfts(inner) }));
      const must = tests.filter(({ occur }) => occur === 'must').map(({ test }) => test);
      const should = tests.filter(({ occur }) => occur === 'should').map(({ test }) => test);
      const mustNot = tests.filter(({ occur }) => occur === 'mustNot').map(({ test }) => test);
      // As in Lucene: optional clauses count only when nothing is required; a purely negative group
      // matches everything except what it excludes (AFTS adds the "match all" Lucene would lack).
      const needsShould = must.length === 0 && should.length > 0;
      return (candidate) =>
        must.every((test) => test(candidate)) && !mustNot.some((test) => test(candidate)) && (!needsShould || should.some((test) => test(candidate)));
    }
    default:
      return compileTerm(query);
  }
}

function compileTerm({ field, value, exact }: AftsQuery & { kind: 'term' }): (candidate: Candidate) => boolean {
  const nodeId = value.replace(/^workspace:\/\/SpacesStore\//, '');
  switch (field) {
    case 'TYPE':
      return ({ node }) => isOfType(node, value);
    case 'EXACTTYPE':
      return ({ node }) => node.nodeType === value;
    case 'ASPECT':
      return ({ node }) => node.aspectNames.includes(value);
    case 'PARENT':
      return ({ node }) => node.parentId === nodeId;
    case 'ANCESTOR':
      return ({ ancestors }) => ancestors.has(nodeId);
    case 'ID':
      return ({ node }) => node.id === nodeId;
    case 'mimetype': {
      const pattern = globToRegExp(value);
      return ({ node }) => node.content !== undefined && pattern.test(node.content.mimeType);
    }
    case 'default': {
      if (exact) return ({ node }) => node.name === value;
      const phrase = phraseOf(value);
      return ({ node }) => matchesNameTitleOrDescription(node, phrase);
    }
    default: {
      const textField: TextField = field;
      if (exact) return ({ node }) => (textField === 'cm:name' ? node.name : node.properties[textField]) === value;
      const phrase = phraseOf(value);
      return ({ node }) => matchesPhrase(fieldWords(node, textField), phrase);
    }
  }
}

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const startsUnit = (): boolean => {
    const last = tokens.at(-1);
    return !last || last.type !== 'word' || /:$/.test(last.text) === false;
  };
  while (i < text.length) {
    const at = i;
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char, at });
      i++;
    } else if (char === '"') {
      let value = '';
      for (i++; i < text.length && text[i] !== '"'; i++) value += text[i] === '\\' && i + 1 < text.length ? text[++i] : text[i];
      if (i >= text.length) throw new AftsError(`Unterminated quoted phrase at character ${at + 1} of the query: ${text}`);
      i++;
      tokens.push({ type: 'phrase', text: value, at });
    } else if ('+-!='.includes(char) && i + 1 < text.length && !/[\s)]/.test(text[i + 1]!) && startsUnit()) {
      tokens.push({ type: 'prefix', op: char as '+' | '-' | '!' | '=', at });
      i++;
    } else if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      tokens.push({ type: char === '&' ? 'AND' : 'OR', at });
      i += 2;
    } else {
      let word = '';
      for (; i < text.length && !/[\s()"]/.test(text[i]!); i++) {
        const current = text[i]!;
        if (current === '\\' && i + 1 < text.length) {
          word += text[++i];
          continue;
        }
        const unsupported = UNSUPPORTED_CHARACTERS[current];
        if (unsupported) throw new AftsError(`The sandbox's search does not support ${unsupported}, found at character ${i + 1} of the query: ${text}`);
        word += current;
      }
      const keyword = word.toUpperCase();
      tokens.push(keyword === 'AND' || keyword === 'OR' || keyword === 'NOT' ? { type: keyword, at } : { type: 'word', text: word, at });
    }
  }
  tokens.push({ type: 'EOF', at: text.length });
  return tokens;
}
