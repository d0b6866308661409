import * as v from 'valibot';
import { describeValue, FsError } from 'fs-picker/protocol';

/*
 * One error code per fault, for every body and query the companion reads:
 *   - the body is not JSON (or not UTF-8), or is not the object the call takes (an array, a number,
 *     nothing at all)                                → 400 FS_ERR_INVALID_REQUEST, `field` = "body"
 *   - a field has a bad value, a required field is missing, or a field is not known
 *                                                     → 400 FS_ERR_INVALID_OPTION, `field` = its dot path
 *                                                       ("accept.0"), and a message that names it. A value
 *                                                       that may take several shapes (a union: export's
 *                                                       `source`) is named as a whole: which shape was
 *                                                       meant is not known, so `field` stops there.
 *   - the body is larger than the limit               → 413 FS_ERR_TOO_LARGE, a message naming the limit
 *                                                       (see body.ts)
 * Messages read `verb: "field" must be …` when the caller names its verb, `"field" must be …` otherwise.
 */

type Issue = v.BaseIssue<unknown>;

/** Checks `input` against `schema`; the first problem becomes the FsError of the rule above. */
export function checkInput<S extends v.GenericSchema>(schema: S, input: unknown, verb?: string): v.InferOutput<S> {
  return checkWith(schema, input, (problem) => problemError(problem, verb));
}

/** What is wrong with an input: the field at fault (none for the input as a whole) and why. */
export interface Problem {
  /** The dot path of the field at fault (`source.url`, `accept.2`); undefined for the input as a whole. */
  field: string | undefined;
  /** The field as an error's `field` names it: the dot path, stopping at a union (`source`). */
  name: string | undefined;
  /** The field is not one the schema knows. */
  unknown: boolean;
  /** The end of a sentence that starts with the field's name: "must be …", "is required". */
  detail: string;
  /** The value at fault. */
  input: unknown;
}

/**
 * Checks `input` against `schema`, with the first problem described as above but turned into an error
 * by `toError`: for inputs whose fault has its own code (a signed security policy is FS_ERR_POLICY).
 */
export function checkWith<S extends v.GenericSchema>(schema: S, input: unknown, toError: (problem: Problem) => FsError): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw toError(problemOf(schema, result.issues[0]));
}

/** Like `checkInput`, but reports every field at fault at once (the portal's forms mark each). */
export function checkFields<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return result.output;
  const fields: Record<string, string> = {};
  for (const issue of result.issues) {
    const problem = problemOf(schema, issue);
    if (problem.field === undefined) throw problemError(problem);
    fields[problem.field] ??= problem.detail;
  }
  throw new FieldsError(fields);
}

/** A failure naming several fields: `field` is the first, `fields` has a message for each. */
export class FieldsError extends FsError {
  constructor(readonly fields: Record<string, string>) {
    const entries = Object.entries(fields);
    super('FS_ERR_INVALID_OPTION', entries.map(([field, message]) => `"${field}" ${message}`).join('; '), { field: entries[0]?.[0] ?? '' });
  }

  override toBody() {
    return { ...super.toBody(), fields: this.fields };
  }
}

function problemError({ field, name, detail, input }: Problem, verb?: string): FsError {
  const prefix = verb === undefined ? '' : `${verb}: `;
  if (field === undefined) return new FsError('FS_ERR_INVALID_REQUEST', `${prefix}the request must be a JSON object, got ${input === undefined ? 'nothing' : describeValue(input)}.`, { field: 'body' });
  return new FsError('FS_ERR_INVALID_OPTION', `${prefix}"${field}" ${detail}.`, { field: name ?? field });
}

function problemOf(schema: v.GenericSchema, issue: Issue): Problem {
  // A strict object reports an unknown key as an issue that expects "never" at that key.
  const unknown = issue.type === 'strict_object' && issue.expected === 'never';
  const field = v.getDotPath(issue) ?? undefined;
  return { field, name: field === undefined ? undefined : nameOf(schema, issue), unknown, detail: unknown ? 'is not a known field' : describeIssue(issue), input: issue.input };
}

/** What valibot's schema objects hold that the walk below follows. */
interface Walkable {
  type: string;
  kind?: string;
  wrapped?: Walkable;
  entries?: Record<string, Walkable>;
  item?: Walkable;
  pipe?: readonly Walkable[];
}

/** The issue's dot path, cut at the first value that may take several shapes. */
function nameOf(schema: v.GenericSchema, issue: Issue): string {
  const keys: string[] = [];
  let current: Walkable | undefined = schema;
  for (const item of issue.path ?? []) {
    const shapes: Walkable[] = current === undefined ? [] : shapesOf(current);
    if (keys.length > 0 && shapes.some((shape) => shape.type === 'union' || shape.type === 'variant')) break;
    keys.push(String(item.key));
    current = shapes.map((shape) => (typeof item.key === 'number' ? shape.item : shape.entries?.[String(item.key)])).find((next) => next !== undefined);
  }
  return keys.join('.');
}

/** A schema and the schemas it wraps (optional, nullable) or pipes into. */
function shapesOf(schema: Walkable): Walkable[] {
  const pieces = [schema, ...(schema.pipe ?? []).slice(1).filter((item) => item.kind === 'schema')];
  return pieces.flatMap((piece) => {
    const chain: Walkable[] = [];
    for (let at: Walkable | undefined = piece; at !== undefined; at = at.wrapped) chain.push(at);
    return chain;
  });
}

/** What is wrong with one field, as the end of a sentence that starts with its name. */
function describeIssue(issue: Issue): string {
  if (issue.kind === 'schema' && issue.input === undefined) return 'is required';
  // valibot's own messages ("Invalid type: …") become a "must"; ours are kept as written.
  if (issue.kind === 'schema' && issue.message.startsWith('Invalid ')) return `must be ${issue.expected}, got ${describeValue(issue.input)}`;
  return issue.message;
}
