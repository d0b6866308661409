/**
 * The official Alfresco REST API definitions (Swagger 2.0, ../shared/alfresco-spec/, see its PROVENANCE.md) as
 * response validators for conformance tests.
 *
 * How the Swagger 2.0 definitions become JSON Schemas ajv 8 compiles (draft-07 mode):
 * - Each spec file's `definitions` become one ajv schema with the `$id` `alfresco-spec:<file>`, and every
 *   `#/definitions/X` reference becomes `alfresco-spec:<file>#/definitions/X`, so response schemas (a `$ref`
 *   or an inline `type: array` of `$ref`s) compile on their own. References never cross files.
 * - Swagger/OpenAPI-only keywords are dropped: `discriminator` (Swagger's is a property name, not OAS 3's
 *   object, and ajv would need its own option), `example`, `xml`, `externalDocs` and every `x-*` extension.
 *   `readOnly` and `description`/`default` stay (annotations; ajv ignores them and `useDefaults` is off).
 * - A schema with `$ref` keeps only the `$ref`: in Swagger 2.0 (JSON Reference) siblings of `$ref` are
 *   ignored, while ajv 8 would apply them.
 * - ajv's `strictTypes` lint is off: `Definition` has `properties` without `type: object`, which is valid
 *   JSON Schema (it then constrains objects only); adding the type would be stricter than the spec.
 * - Draft-04 `exclusiveMinimum/Maximum: true` become draft-07 numbers (the copied files do not use them).
 * - Nothing is made stricter than the spec: objects accept extra properties unless the spec says
 *   `additionalProperties` (it never says `false` in these files); `required`, `type`, `enum`, `pattern`
 *   and `format` are enforced.
 * - `pattern`s are compiled without the `u` flag (`unicodeRegExp: false`): the Node name pattern is a Java
 *   regex with identity escapes (`\"`, `\<`, `\:`) that a Unicode-mode JS RegExp rejects; without the flag
 *   JS reads it exactly as Java does.
 * - Formats (ajv has none built in; ajv-formats is not a dependency and is not needed): `int32` (integer in
 *   the 32-bit range), `int64` (integer), `float`/`double` (any number), `byte`/`binary`/`password` (no
 *   check) and `date-time`. Alfresco writes `2011-02-15T20:19:00.007+0000`, an ISO 8601 offset without a
 *   colon that RFC 3339 (JSON Schema's `date-time`) does not allow; it is what every Alfresco server sends
 *   and what js-api parses, so `date-time` here is RFC 3339 plus `±hhmm` offsets: a calendar date, `T`, a
 *   time with optional fraction, and `Z`, `±hh:mm` or `±hhmm`. Missing offsets, date-only values or
 *   impossible dates fail. `ALFRESCO_DATE_TIME` is the stricter form the sandbox promises, for tests.
 *
 * Picking the schema for a status: the operation's own response for that status. Alfresco documents its
 * 4xx answers in prose only (a response without `schema`): such a response may have no body (Swagger 2.0:
 * none is described), and a body it has must be the operation's `default` response, `Error` in every
 * operation, which is what Alfresco sends. A status ≥ 400 the operation does not list is checked against
 * `default` too. A 2xx/3xx without a schema (204, 202, 304) must have no body; a 2xx/3xx the operation
 * does not list is itself an error. `type: file` responses (and 206) are binary: no JSON to check.
 * With `fields`, the API leaves out unrequested properties, `required` ones too: see ValidateOptions.
 */
import { AssertionError } from 'node:assert';
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/** The spec files this helper loads (their names in ../shared/alfresco-spec/ without `.yaml`). */
export const SPEC_FILES = ['alfresco-core', 'alfresco-auth', 'alfresco-search', 'alfresco-discovery'] as const;
export type SpecFile = (typeof SPEC_FILES)[number];

export const SPEC_DIR = new URL('../../../shared/alfresco-spec/', import.meta.url);

/** The exact date form Alfresco (and the sandbox) write: milliseconds and a `+hhmm` offset. */
export const ALFRESCO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/;

export interface SpecError {
  /** JSON Pointer into the response body ('' is the body itself). */
  path: string;
  message: string;
  /** Where in the spec the failing rule is, e.g. `alfresco-core.yaml#/definitions/Node/required`. */
  schemaPath?: string;
}

export interface SpecOperation {
  operationId: string;
  file: SpecFile;
  method: string;
  /** The path template with the file's basePath, e.g. /alfresco/api/-default-/public/alfresco/versions/1/nodes/{nodeId}. */
  path: string;
  /** Status (or `default`) to its JSON Schema; `null` when the response declares no body schema, 'file' for binaries. */
  responses: Record<string, object | null | 'file'>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const DROPPED = new Set(['discriminator', 'example', 'xml', 'externalDocs']);
/** Keywords whose value is a map of name → schema: the names are data, not keywords. */
const SCHEMA_MAPS = new Set(['properties', 'definitions', 'patternProperties']);
/** Keywords whose value is data, not a schema. */
const DATA = new Set(['enum', 'default', 'required', 'const', 'examples']);

/** One Swagger 2.0 schema as a draft-07 JSON Schema ajv can compile (see the file comment). */
export function toJsonSchema(schema: Json, file: SpecFile): Json {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, file));
  if (schema === null || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') return { $ref: refOf(schema.$ref, file) };
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub, file)]));
    } else if (DATA.has(key)) {
      out[key] = value;
    } else {
      out[key] = toJsonSchema(value, file);
    }
  }
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else if (out[flag] === false) {
      delete out[flag];
    }
  }
  return out;
}

function refOf(ref: string, file: SpecFile): string {
  if (!ref.startsWith('#/definitions/')) throw new Error(`${file}: unsupported reference ${ref} (only #/definitions/… are used)`);
  return `alfresco-spec:${file}${ref}`;
}

// RFC 3339 date-time, plus Alfresco's ±hhmm offset.
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[Zz]|[+-](\d\d):?(\d\d))$/;

export function isSpecDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [offsetHours, offsetMinutes] = [Number(match[7] ?? 0), Number(match[8] ?? 0)];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 60 && offsetHours <= 23 && offsetMinutes <= 59;
}

interface Loaded {
  ajv: Ajv;
  operations: Map<string, SpecOperation>;
  routes: Array<{ operation: SpecOperation; pattern: RegExp; literals: number }>;
}

let loaded: Loaded | undefined;

/** Each converted schema object → where it is in the spec file, to name the failing rule in errors. */
const locations = new WeakMap<object, string>();

function recordLocations(schema: Json, pointer: string): void {
  if (schema === null || typeof schema !== 'object') return;
  if (!Array.isArray(schema)) locations.set(schema, pointer);
  for (const [key, value] of Object.entries(schema)) {
    if (DATA.has(key)) continue;
    recordLocations(value, `${pointer}/${key}`);
  }
}

function load(): Loaded {
  if (loaded) return loaded;
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, unicodeRegExp: false, allowUnionTypes: true, validateFormats: true, verbose: true });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  for (const name of ['byte', 'binary', 'password']) ajv.addFormat(name, true);
  ajv.addFormat('date', /^\d{4}-\d\d-\d\d$/);
  ajv.addFormat('date-time', { type: 'string', validate: isSpecDateTime });

  const operations = new Map<string, SpecOperation>();
  const routes: Loaded['routes'] = [];
  for (const file of SPEC_FILES) {
    const doc = parse(readFileSync(new URL(`${file}.yaml`, SPEC_DIR), 'utf8')) as {
      basePath: string;
      definitions: Record<string, Json>;
      paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, { schema?: Json }> }>>;
    };
    const definitions = toJsonSchema(doc.definitions, file);
    recordLocations(definitions, `${file}.yaml#/definitions`);
    ajv.addSchema({ $id: `alfresco-spec:${file}`, definitions });
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!op || typeof op !== 'object' || !op.operationId) continue;
        if (operations.has(op.operationId)) throw new Error(`operationId ${op.operationId} is in more than one spec file`);
        const responses: SpecOperation['responses'] = {};
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          const schema = response.schema;
          if (schema === undefined) {
            responses[status] = null;
          } else if (schema !== null && typeof schema === 'object' && !Array.isArray(schema) && schema.type === 'file') {
            responses[status] = 'file';
          } else {
            const converted = toJsonSchema(schema, file);
            recordLocations(converted, `${file}.yaml#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}/schema`);
            responses[status] = converted as object;
          }
        }
        const operation: SpecOperation = { operationId: op.operationId, file, method: method.toUpperCase(), path: `${doc.basePath}${template}`, responses };
        operations.set(op.operationId, operation);
        const segments = operation.path.split('/');
        const pattern = new RegExp(`^${segments.map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : escapeRegExp(segment))).join('/')}$`);
        routes.push({ operation, pattern, literals: segments.filter((segment) => !segment.startsWith('{')).length });
      }
    }
  }
  // The most literal template wins (…/tickets/-me- over a hypothetical …/tickets/{id}).
  routes.sort((a, b) => b.literals - a.literals);
  loaded = { ajv, operations, routes };
  return loaded;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The operation with this id in the loaded spec files; throws for an unknown id (a typo in a test). */
export function specOperation(operationId: string): SpecOperation {
  const operation = load().operations.get(operationId);
  if (!operation) throw new Error(`No operation "${operationId}" in ${SPEC_FILES.join(', ')}`);
  return operation;
}

/** Which documented operation a request is, by method and URL path (the query is ignored). */
export function findOperation(method: string, url: string | URL): SpecOperation | undefined {
  const path = decodeURI(new URL(url, 'http://localhost').pathname);
  const upper = method.toUpperCase();
  return load().routes.find(({ operation, pattern }) => operation.method === upper && pattern.test(path))?.operation;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: object): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = load().ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || body === '' || (body instanceof Uint8Array && body.length === 0);
}

export interface ValidateOptions {
  /**
   * The request's `fields` (and `include`): the API then returns only those properties of each entity,
   * so `required` properties of an `entry` (or `list.source`) that were not asked for may be missing.
   * Everything else (envelopes, types, formats) is still enforced.
   */
  fields?: readonly string[];
  include?: readonly string[];
}

/**
 * Checks a response body (parsed JSON; `undefined` for none) against what the spec says `operationId`
 * answers with `status`. Returns readable errors; an empty list means the body conforms.
 */
export function validateResponse(operationId: string, status: number, body: unknown, options: ValidateOptions = {}): SpecError[] {
  const operation = specOperation(operationId);
  const own = operation.responses[String(status)];
  const fallback = status >= 400 ? operation.responses.default : undefined;
  if (own === undefined && fallback === undefined) {
    return [{ path: '', message: `status ${status} is not a documented response of ${operationId} (documented: ${Object.keys(operation.responses).join(', ')})` }];
  }
  // A file's bytes (or, 206, a range of them) are not JSON.
  if (own === 'file' || (status === 206 && operation.responses['200'] === 'file')) return [];
  if (own === null && isEmptyBody(body)) return [];
  const schema = own ?? fallback;
  if (schema === null || schema === undefined || schema === 'file') {
    return [{ path: '', message: `${operationId} documents no body for status ${status}, but one was sent: ${preview(body)}` }];
  }
  const key = `${operationId} ${own ? status : 'default'}`;
  const validate = validatorFor(key, schema);
  if (validate(body)) return [];
  const requested = options.fields && options.fields.length > 0 ? new Set([...options.fields, ...(options.include ?? [])]) : undefined;
  return (validate.errors ?? [])
    .filter((error) => !(requested && error.keyword === 'required' && /(?:^|\/)(?:entry|source)$/.test(error.instancePath) && !requested.has(String((error.params as { missingProperty?: unknown }).missingProperty))))
    .map((error) => describe(error, body, key));
}

/**
 * Checks a body against a named definition, for answers the spec describes only in prose (e.g. createNode
 * with a list body answers with a `NodePaging`-like list, while its 201 schema is `NodeEntry`).
 */
export function validateDefinition(definition: string, body: unknown, file: SpecFile = 'alfresco-core'): SpecError[] {
  load();
  const key = `${file}#/definitions/${definition}`;
  if (!load().ajv.getSchema(`alfresco-spec:${key}`)) throw new Error(`No definition ${definition} in ${file}.yaml`);
  const validate = validatorFor(key, { $ref: `alfresco-spec:${key}` });
  if (validate(body)) return [];
  return (validate.errors ?? []).map((error) => describe(error, body, key));
}

/** Throws an AssertionError listing every way `body` departs from the spec. */
export function assertConforms(operationId: string, status: number, body: unknown, context = '', options: ValidateOptions = {}): void {
  const errors = validateResponse(operationId, status, body, options);
  if (errors.length === 0) return;
  throw new AssertionError({ message: formatSpecErrors(operationId, status, errors, context) });
}

export function formatSpecErrors(operationId: string, status: number, errors: readonly SpecError[], context = ''): string {
  const lines = errors.slice(0, 20).map((error) => `  ${error.path || '(body)'}: ${error.message}${error.schemaPath ? `  [${error.schemaPath}]` : ''}`);
  if (errors.length > 20) lines.push(`  … and ${errors.length - 20} more`);
  return `${operationId} ${status}${context ? ` (${context})` : ''} does not conform to the Alfresco spec:\n${lines.join('\n')}`;
}

function describe(error: ErrorObject, body: unknown, key: string): SpecError {
  const params = error.params as Record<string, unknown>;
  const value = valueAt(body, error.instancePath);
  let message = error.message ?? error.keyword;
  switch (error.keyword) {
    case 'required':
      message = `missing required property "${String(params.missingProperty)}"`;
      break;
    case 'enum':
      message = `must be one of ${JSON.stringify(params.allowedValues)}, got ${preview(value)}`;
      break;
    case 'type':
    case 'format':
    case 'pattern':
    case 'minimum':
    case 'maximum':
      message = `${message}, got ${preview(value)}`;
      break;
  }
  const where = error.parentSchema ? locations.get(error.parentSchema) : undefined;
  return { path: error.instancePath, message, schemaPath: where ? `${where}/${error.keyword}` : `${key} ${error.schemaPath}` };
}

function valueAt(body: unknown, pointer: string): unknown {
  if (!pointer) return body;
  let here: unknown = body;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    here = here !== null && typeof here === 'object' ? (here as Record<string, unknown>)[key] : undefined;
  }
  return here;
}

function preview(value: unknown): string {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) as string | undefined) ?? typeof value;
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
