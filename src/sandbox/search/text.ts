import type { RepoNode } from '../repository/node.ts';

/**
 * Text matching the way an index does it for cm:name, cm:title and cm:description: the text is cut into
 * lower-case words (runs of letters and digits), and a term is a phrase of words that must appear one
 * after the other; `*` and `?` are wildcards inside a word. So "budget" finds "budget.xls" but not
 * "budgets.xls", and "budget*" finds both.
 */
export type Phrase = ReadonlyArray<string | RegExp>;

const WORD = /[\p{L}\p{N}]+/gu;
const PATTERN_WORD = /[\p{L}\p{N}*?]+/gu;

export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** The phrase a search term stands for; empty when the term has no letters, digits or wildcards. */
export function phraseOf(term: string): Phrase {
  return (term.toLowerCase().match(PATTERN_WORD) ?? []).map((word) => (/[*?]/.test(word) ? globToRegExp(word) : word));
}

export function matchesPhrase(words: readonly string[], phrase: Phrase): boolean {
  if (phrase.length === 0) return false;
  for (let start = 0; start + phrase.length <= words.length; start++) {
    let index = 0;
    while (index < phrase.length && wordMatches(words[start + index]!, phrase[index]!)) index++;
    if (index === phrase.length) return true;
  }
  return false;
}

/** A whole-value pattern with `*` and `?`, case-insensitive: for mimetypes like `image/*`. */
export function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'isu');
}

export type TextField = 'cm:name' | 'cm:title' | 'cm:description';

// Words per node and field, recomputed only when the text changes: a search over 10,000 names cuts each once.
const cache = new WeakMap<RepoNode, Map<TextField, { text: string; words: string[] }>>();

export function fieldWords(node: RepoNode, field: TextField): string[] {
  const raw = field === 'cm:name' ? node.name : node.properties[field];
  const text = typeof raw === 'string' ? raw : '';
  if (text === '') return [];
  let fields = cache.get(node);
  if (!fields) cache.set(node, (fields = new Map<TextField, { text: string; words: string[] }>()));
  const cached = fields.get(field);
  if (cached?.text === text) return cached.words;
  const words = wordsOf(text);
  fields.set(field, { text, words });
  return words;
}

/** What the Queries API looks at, and what a plain word in AFTS matches here: name, title and description. */
export function matchesNameTitleOrDescription(node: RepoNode, phrase: Phrase): boolean {
  return matchesPhrase(fieldWords(node, 'cm:name'), phrase) || matchesPhrase(fieldWords(node, 'cm:title'), phrase) || matchesPhrase(fieldWords(node, 'cm:description'), phrase);
}

function wordMatches(word: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? word === pattern : pattern.test(word);
}
