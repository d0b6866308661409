/**
 * Type-ahead for lists: letters typed in quick succession build a prefix, and the list jumps to the
 * next name that starts with it. Typing one letter again and again cycles through the names that start
 * with that letter.
 */

/** The index of the first name after `from` (wrapping) that starts with `prefix`, or -1. */
export function findByPrefix(names: readonly string[], prefix: string, from: number): number {
  if (!prefix || names.length === 0) return -1;
  const wanted = fold(prefix);
  for (let step = 0; step < names.length; step++) {
    const index = (from + step + names.length) % names.length;
    if (fold(names[index] ?? '').startsWith(wanted)) return index;
  }
  return -1;
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

export interface TypeAhead {
  /**
   * A typed character at time `now` (ms) with the list at `active`: the index to move to, or -1.
   * A new prefix searches from the item after `active`; a longer one from `active` itself.
   */
  type(character: string, names: readonly string[], active: number, now: number): number;
  /** Whether a prefix is being typed (so Space adds to it rather than toggling the selection). */
  typing(now: number): boolean;
  reset(): void;
}

export function createTypeAhead(timeout = 700): TypeAhead {
  let prefix = '';
  let last = -Infinity;
  return {
    type(character, names, active, now) {
      const fresh = now - last > timeout;
      last = now;
      prefix = fresh ? character : prefix + character;
      // "aaa" cycles through the names starting with "a".
      const repeated = prefix.length > 1 && [...prefix].every((c) => c === prefix[0]);
      if (fresh || repeated) {
        const search = repeated ? character : prefix;
        return findByPrefix(names, search, active + 1);
      }
      return findByPrefix(names, prefix, active);
    },
    typing(now) {
      return prefix !== '' && now - last <= timeout;
    },
    reset() {
      prefix = '';
      last = -Infinity;
    },
  };
}
