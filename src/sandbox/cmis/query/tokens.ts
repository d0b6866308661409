import { CmisError } from '../cmis-error.ts';

/**
 * The tokens of CMIS SQL (CMIS 1.1 §2.1.14.2). A string literal keeps which characters were escaped:
 * `\'` and `\\` anywhere, `\%` and `\_` too, which only a LIKE pattern tells apart from its wildcards
 * (§2.1.14.2.4.5 "Escaping").
 */
export type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; chars: Array<{ char: string; escaped: boolean }>; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'symbol'; text: string; at: number }
  | { kind: 'end'; at: number };

const SYMBOLS = ['<>', '<=', '>=', '=', '<', '>', '(', ')', ',', '*'];
// Identifiers as CMIS names properties and types: cmis:name, cm:title, d.cmis:name, D:cm:content.
const WORD = /[A-Za-z_][A-Za-z0-9_:.-]*/y;
const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;

export function tokenize(statement: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < statement.length) {
    const char = statement[at]!;
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    if (char === "'") {
      const { token, next } = stringAt(statement, at);
      tokens.push(token);
      at = next;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => statement.startsWith(candidate, at));
    const number = /[\d.+-]/.test(char) ? matchAt(NUMBER, statement, at) : undefined;
    if (number !== undefined) {
      tokens.push({ kind: 'number', value: Number(number), at });
      at += number.length;
    } else if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol, at });
      at += symbol.length;
    } else {
      const word = matchAt(WORD, statement, at);
      if (word === undefined) throw new CmisError('invalidArgument', `Unexpected character ${JSON.stringify(char)} at ${at} in the query`);
      tokens.push({ kind: 'word', text: word, at });
      at += word.length;
    }
  }
  tokens.push({ kind: 'end', at });
  return tokens;
}

function stringAt(statement: string, start: number): { token: Token; next: number } {
  const chars: Array<{ char: string; escaped: boolean }> = [];
  for (let at = start + 1; at < statement.length; at += 1) {
    const char = statement[at]!;
    if (char === "'") return { token: { kind: 'string', chars, at: start }, next: at + 1 };
    if (char !== '\\') {
      chars.push({ char, escaped: false });
      continue;
    }
    const escaped = statement[at + 1];
    if (escaped === undefined || !"'\\%_".includes(escaped)) throw new CmisError('invalidArgument', `Only \\', \\\\, \\% and \\_ may be escaped in a string (at ${at})`);
    chars.push({ char: escaped, escaped: true });
    at += 1;
  }
  throw new CmisError('invalidArgument', `The string that starts at ${start} in the query is not closed`);
}

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}
