import { CmisError } from '../cmis-error.ts';
import { tokenize, type Token } from './tokens.ts';

/**
 * A parser for the part of CMIS SQL (CMIS 1.1 §2.1.14.2) a picker needs: one type in FROM (cmis:document
 * or cmis:folder, with an optional alias), a SELECT list or `*`, a WHERE of comparisons, LIKE, IN,
 * IS [NOT] NULL, IN_FOLDER and IN_TREE joined by AND, OR, NOT and parentheses, and ORDER BY. Everything
 * else (JOIN, CONTAINS, SCORE, ANY) is refused with invalidArgument, naming what was found.
 */

export type Literal = { kind: 'string'; value: string; chars: Array<{ char: string; escaped: boolean }> } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'timestamp'; value: Date };

export type Condition =
  | { kind: 'and' | 'or'; parts: Condition[] }
  | { kind: 'not'; part: Condition }
  | { kind: 'compare'; column: string; operator: '=' | '<>' | '<' | '>' | '<=' | '>='; literal: Literal }
  | { kind: 'like'; column: string; pattern: Literal & { kind: 'string' }; negated: boolean }
  | { kind: 'in'; column: string; literals: Literal[]; negated: boolean }
  | { kind: 'null'; column: string; negated: boolean }
  | { kind: 'inFolder' | 'inTree'; folderId: string };

export interface Query {
  /** undefined for `SELECT *`. */
  select: Array<{ queryName: string; alias: string }> | undefined;
  from: string;
  where: Condition | undefined;
  orderBy: Array<{ column: string; ascending: boolean }>;
}

const UNSUPPORTED = new Set(['JOIN', 'CONTAINS', 'SCORE', 'ANY', 'UPPER', 'LOWER', 'INNER', 'LEFT', 'OUTER']);
const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'LIKE', 'IN', 'IS', 'NULL', 'ORDER', 'BY', 'ASC', 'DESC', 'AS', 'IN_FOLDER', 'IN_TREE', 'TIMESTAMP', 'TRUE', 'FALSE', ...UNSUPPORTED]);

export function parseQuery(statement: string): Query {
  return new Parser(tokenize(statement)).query();
}

class Parser {
  #at = 0;
  #alias: string | undefined;

  constructor(private readonly tokens: Token[]) {}

  query(): Query {
    this.#keyword('SELECT');
    const select = this.#symbol('*') ? undefined : this.#list(() => this.#selected());
    this.#keyword('FROM');
    const from = this.#name('a type after FROM');
    if (this.#optionalKeyword('AS') || this.#isName()) this.#alias = this.#name('an alias');
    const where = this.#optionalKeyword('WHERE') ? this.#or() : undefined;
    const orderBy: Query['orderBy'] = [];
    if (this.#optionalKeyword('ORDER')) {
      this.#keyword('BY');
      orderBy.push(...this.#list(() => ({ column: this.#column(), ascending: this.#ascending() })));
    }
    const rest = this.#peek();
    if (rest.kind !== 'end') this.#fail(rest, 'the end of the query');
    return { select: select?.map(({ column, alias }) => ({ queryName: this.#unqualified(column), alias })), from, where, orderBy };
  }

  #ascending(): boolean {
    if (this.#optionalKeyword('DESC')) return false;
    this.#optionalKeyword('ASC');
    return true;
  }

  #selected(): { column: string; alias: string } {
    const column = this.#name('a property');
    const alias = this.#optionalKeyword('AS') ? this.#name('an alias') : column.slice(column.indexOf('.') + 1);
    return { column, alias };
  }

  #or(): Condition {
    const parts = [this.#and()];
    while (this.#optionalKeyword('OR')) parts.push(this.#and());
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  }

  #and(): Condition {
    const parts = [this.#not()];
    while (this.#optionalKeyword('AND')) parts.push(this.#not());
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  }

  #not(): Condition {
    if (this.#optionalKeyword('NOT')) return { kind: 'not', part: this.#not() };
    if (this.#symbol('(')) {
      const inner = this.#or();
      this.#expectSymbol(')');
      return inner;
    }
    for (const [word, kind] of [['IN_FOLDER', 'inFolder'], ['IN_TREE', 'inTree']] as const) {
      if (this.#optionalKeyword(word)) return { kind, folderId: this.#folderArgument() };
    }
    return this.#predicate();
  }

  #folderArgument(): string {
    this.#expectSymbol('(');
    // An optional qualifier first: IN_FOLDER(d, 'id').
    if (this.#isName()) {
      this.#qualifier(this.#name('a qualifier'));
      this.#expectSymbol(',');
    }
    const id = this.#literal();
    if (id.kind !== 'string') this.#fail(this.tokens[this.#at - 1]!, 'a folder id in quotes');
    this.#expectSymbol(')');
    return id.value;
  }

  #predicate(): Condition {
    const column = this.#column();
    const negated = this.#optionalKeyword('NOT');
    if (this.#optionalKeyword('LIKE')) {
      const pattern = this.#literal();
      if (pattern.kind !== 'string') this.#fail(this.tokens[this.#at - 1]!, 'a pattern in quotes after LIKE');
      return { kind: 'like', column, pattern, negated };
    }
    if (this.#optionalKeyword('IN')) {
      this.#expectSymbol('(');
      const literals = this.#list(() => this.#literal());
      this.#expectSymbol(')');
      return { kind: 'in', column, literals, negated };
    }
    if (negated) this.#fail(this.#peek(), 'LIKE or IN after NOT');
    if (this.#optionalKeyword('IS')) {
      const not = this.#optionalKeyword('NOT');
      this.#keyword('NULL');
      return { kind: 'null', column, negated: not };
    }
    const token = this.#peek();
    const operator = token.kind === 'symbol' && ['=', '<>', '<', '>', '<=', '>='].includes(token.text) ? (token.text as '=') : this.#fail(token, 'a comparison, LIKE, IN or IS');
    this.#at += 1;
    return { kind: 'compare', column, operator, literal: this.#literal() };
  }

  #literal(): Literal {
    const token = this.#next();
    if (token.kind === 'string') return { kind: 'string', value: token.chars.map(({ char }) => char).join(''), chars: token.chars };
    if (token.kind === 'number') return { kind: 'number', value: token.value };
    if (token.kind === 'word' && /^(TRUE|FALSE)$/i.test(token.text)) return { kind: 'boolean', value: token.text.toUpperCase() === 'TRUE' };
    if (token.kind === 'word' && token.text.toUpperCase() === 'TIMESTAMP') {
      const text = this.#next();
      const time = text.kind === 'string' ? Date.parse(text.chars.map(({ char }) => char).join('')) : NaN;
      if (Number.isNaN(time)) this.#fail(text, "a time in quotes after TIMESTAMP, e.g. TIMESTAMP '2011-02-15T20:19:00.000Z'");
      return { kind: 'timestamp', value: new Date(time) };
    }
    return this.#fail(token, 'a string, a number, TRUE, FALSE or TIMESTAMP');
  }

  #column(): string {
    return this.#unqualified(this.#name('a property'));
  }

  /** `d.cmis:name` → `cmis:name` when `d` is the FROM alias (or the type itself). */
  #unqualified(column: string): string {
    const dot = column.indexOf('.');
    if (dot < 0) return column;
    this.#qualifier(column.slice(0, dot));
    return column.slice(dot + 1);
  }

  #qualifier(qualifier: string): void {
    // Aliases come after the SELECT list that uses them: checked where known.
    if (this.#alias !== undefined && qualifier !== this.#alias) throw new CmisError('invalidArgument', `Unknown qualifier ${qualifier}: the query has one type, ${this.#alias}`);
  }

  #list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.#symbol(',')) items.push(item());
    return items;
  }

  #isName(): boolean {
    const token = this.#peek();
    return token.kind === 'word' && !RESERVED.has(token.text.toUpperCase());
  }

  #name(what: string): string {
    const token = this.#peek();
    if (!this.#isName()) return this.#fail(token, what);
    this.#at += 1;
    return (token as { text: string }).text;
  }

  #keyword(word: string): void {
    if (!this.#optionalKeyword(word)) this.#fail(this.#peek(), word);
  }

  #optionalKeyword(word: string): boolean {
    const token = this.#peek();
    if (token.kind !== 'word' || token.text.toUpperCase() !== word) return false;
    this.#at += 1;
    return true;
  }

  #symbol(text: string): boolean {
    const token = this.#peek();
    if (token.kind !== 'symbol' || token.text !== text) return false;
    this.#at += 1;
    return true;
  }

  #expectSymbol(text: string): void {
    if (!this.#symbol(text)) this.#fail(this.#peek(), `"${text}"`);
  }

  #peek(): Token {
    return this.tokens[this.#at]!;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#at += 1;
    return token;
  }

  #fail(token: Token, expected: string): never {
    const found = token.kind === 'end' ? 'the end of the query' : token.kind === 'string' ? 'a string' : token.kind === 'number' ? String(token.value) : token.text;
    if (token.kind === 'word' && UNSUPPORTED.has(token.text.toUpperCase())) {
      throw new CmisError('invalidArgument', `${token.text.toUpperCase()} is not supported by this repository's query (at ${token.at})`);
    }
    throw new CmisError('invalidArgument', `Expected ${expected} at ${token.at} in the query, found ${found}`);
  }
}
