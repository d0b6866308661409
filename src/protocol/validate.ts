import * as v from 'valibot';
import { FsError } from './errors.ts';

/*
 * Turns the first valibot issue into one sentence a developer can act on, naming the verb and the option:
 *   pick: unknown option "maxsize" (did you mean "maxSize"?)
 *   pick: option "maxFiles" must be a positive integer, got "3"
 *   pick: give either "mimetype" or "extension", not both
 * Messages that start with "must" describe one value; others are whole sentences (see option-values.ts).
 */

/**
 * Validates and normalises the options of `verb`. `undefined` and `null` mean "no options", as in v2
 * (`options || {}`). Throws `FsError('FS_ERR_INVALID_OPTION')` whose `field` is the option at fault.
 */
export function parseOptions<const TSchema extends v.GenericSchema>(
  verb: string,
  schema: TSchema,
  input: unknown,
): v.InferOutput<TSchema> {
  // valibot takes an array for an object with index keys; say plainly what was wrong instead.
  if (Array.isArray(input)) {
    throw new FsError('FS_ERR_INVALID_OPTION', `${verb}: options must be an object, got ${describeValue(input)}`, { field: 'options' });
  }
  const result = v.safeParse(schema, input ?? {});
  if (result.success) return result.output;
  const [issue] = result.issues;
  throw issueToError(verb, schema, issue);
}

type Issue = v.InferIssue<v.GenericSchema>;
type PathItem = NonNullable<Issue['path']>[number];

function issueToError(verb: string, schema: v.GenericSchema, issue: Issue): FsError {
  const path = issue.path ?? [];
  const first = path[0];
  if (first === undefined) {
    return new FsError('FS_ERR_INVALID_OPTION', `${verb}: options must be an object, got ${describeValue(issue.input)}`, { field: 'options' });
  }
  const field = String(first.key);
  const name = pathName(path);
  // A strict object reports an unknown key as an issue that expects "never" at that key.
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    const suggestion = path.length === 1 ? suggestKey(name, knownKeys(schema)) : undefined;
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    return new FsError('FS_ERR_INVALID_OPTION', `${verb}: unknown option "${name}"${hint}`, { field });
  }
  const message = issue.message.startsWith('must')
    ? `${verb}: option "${name}" ${issue.message}, got ${describeValue(issue.input)}`
    : `${verb}: ${issue.message}`;
  return new FsError('FS_ERR_INVALID_OPTION', message, { field });
}

/** `crop[2]`, `services[1]`; an index is left out when a lone value was wrapped into an array. */
function pathName(path: readonly PathItem[]): string {
  let name = '';
  path.forEach((item, index) => {
    if (item.type === 'array') {
      if (Array.isArray(path[index - 1]?.value)) name += `[${String(item.key)}]`;
    } else {
      name += `${name === '' ? '' : '.'}${String(item.key)}`;
    }
  });
  return name;
}

function knownKeys(schema: v.GenericSchema): string[] {
  const entries = (schema as { entries?: Record<string, unknown> }).entries;
  return entries === undefined ? [] : Object.keys(entries);
}

/** The known key closest to `key`, ignoring case, `_` and `-`; only when it is plausibly a typo. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const squash = (text: string) => text.toLowerCase().replace(/[_-]/g, '');
  const target = squash(key);
  const limit = target.length <= 2 ? 0 : target.length <= 5 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(target, squash(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** A short, readable rendering of a bad value for an error message: `"3"`, `3.5`, `null`, `["a"]`. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'function':
      return 'a function';
    case 'symbol':
      return value.toString();
    case 'bigint':
      return `${value}n`;
    case 'undefined':
    case 'number':
    case 'boolean':
      return String(value);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // Circular structures cannot be shown; say what kind of thing it was.
  }
  if (json === undefined) return Array.isArray(value) ? 'an array' : 'an object';
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
