import * as v from 'valibot';

/*
 * Rules between options (v2 throws when both a mimetype and an extension filter are given). Each rule
 * blames one option, so the error's `field` points at something the developer can delete or add.
 */

/** A broken rule: the option to blame and a whole-sentence message (see option-values.ts). */
export interface RuleViolation {
  field: string;
  message: string;
}

export type OptionRule<T> = (options: T) => RuleViolation | undefined;

/** Runs `rules` on an options object whose single values are already valid, reporting each violation. */
export function optionRules<T extends object>(...rules: OptionRule<T>[]) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    // Comparing options only makes sense once each one is valid on its own; those errors come first.
    if (!dataset.typed) return;
    const options = dataset.value;
    for (const rule of rules) {
      const violation = rule(options);
      if (violation === undefined) continue;
      const input = options as Record<string, unknown>;
      addIssue({
        message: violation.message,
        path: [{ type: 'object', origin: 'value', input, key: violation.field, value: input[violation.field] }],
      });
    }
  });
}

type Key<T> = keyof T & string;

function firstGiven<T>(options: T, keys: readonly Key<T>[]): Key<T> | undefined {
  return keys.find((key) => options[key] !== undefined);
}

/** Options from `first` and from `second` exclude each other; the one from `second` is blamed. */
export function notBoth<T>(first: readonly Key<T>[], second: readonly Key<T>[]): OptionRule<T> {
  return (options) => {
    const a = firstGiven(options, first);
    const b = firstGiven(options, second);
    return a !== undefined && b !== undefined ? { field: b, message: `give either "${a}" or "${b}", not both` } : undefined;
  };
}

/** Two options that only mean something together (a policy and its signature); the missing one is blamed. */
export function bothOrNeither<T>(a: Key<T>, b: Key<T>): OptionRule<T> {
  return (options) => {
    const hasA = options[a] !== undefined;
    const hasB = options[b] !== undefined;
    if (hasA === hasB) return undefined;
    return { field: hasA ? b : a, message: `give both "${a}" and "${b}", or neither (got only "${hasA ? a : b}")` };
  };
}
