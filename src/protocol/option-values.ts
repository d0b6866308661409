import * as v from 'valibot';
import { CONCRETE_MIMETYPE_PATTERN, LANGUAGE_PATTERN, listChoices, MIMETYPE_PATTERN, toExtension, toServiceId } from './option-patterns.ts';
import { SERVICE_IDS, type ServiceId } from './services.ts';

export { listChoices };

/*
 * Building blocks for the option schemas in options.ts.
 *
 * Message convention, relied on by validate.ts: a message that starts with "must" describes one option's
 * value and is printed as `<verb>: option "<name>" <message>, got <value>`; any other message is a whole
 * sentence about several options and is printed as `<verb>: <message>`.
 */

/** `T` with every key that may hold `undefined` made optional (and never `undefined` when present). */
export type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> };

/** Drops keys whose value is `undefined`, so parsed options hold only what was given. */
export function compact<T extends object>(value: T): Compact<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Compact<T>;
}

/**
 * Types a schema's input as the documented one: the values a developer should write (`"ALFRESCO"`, a
 * list), where the check itself is more forgiving (any case, a lone value). The output is unchanged.
 */
export function documented<TInput>() {
  return <S extends v.GenericSchema>(schema: S) => schema as unknown as v.GenericSchema<TInput, v.InferOutput<S>, v.InferIssue<S>>;
}

/**
 * A value that is accepted after normalising (trim, case, aliases). `fn` returns `undefined` for a value
 * it rejects, so checking and normalising cannot drift apart.
 */
export function normalize<TIn, TOut>(fn: (input: TIn) => TOut | undefined, message: string) {
  return v.rawTransform<TIn, TOut>(({ dataset, addIssue, NEVER }) => {
    const output = fn(dataset.value);
    if (output === undefined) {
      addIssue({ message });
      return NEVER;
    }
    return output;
  });
}

/** One of a fixed set of strings, compared exactly. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return v.picklist(values, `must be ${listChoices(values)}`);
}

/** A single value or an array of them; the output is always an array (v2 wraps a lone value too). */
export function oneOrMany<TItem extends v.GenericSchema<string>>(item: TItem, typeMessage: string) {
  return documented<v.InferInput<TItem> | v.InferInput<TItem>[]>()(
    v.pipe(
      v.union([v.string(typeMessage), v.array(v.unknown(), typeMessage)], typeMessage),
      v.transform((value): unknown[] => (Array.isArray(value) ? value : [value])),
      v.array(item, typeMessage),
    ),
  );
}

export const BooleanSchema = v.boolean('must be true or false');

export const NonEmptyStringSchema = v.pipe(v.string('must be a non-empty string'), v.nonEmpty('must be a non-empty string'));

export const PositiveIntSchema = v.pipe(
  v.number('must be a positive integer'),
  v.integer('must be a positive integer'),
  v.minValue(1, 'must be a positive integer'),
);

export function intBetween(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}

export function numberBetween(min: number, max: number) {
  const message = `must be a number from ${min} to ${max}`;
  return v.pipe(v.number(message), v.minValue(min, message), v.maxValue(max, message));
}

const SERVICE_MESSAGE = `must be ${listChoices(SERVICE_IDS)}`;

/** A service id; v2 strips spaces and we also accept any case ("alfresco"). */
export const ServiceIdSchema = documented<ServiceId>()(
  v.pipe(
    v.string(SERVICE_MESSAGE),
    normalize(toServiceId, SERVICE_MESSAGE),
  ),
);

export const ServiceListSchema = oneOrMany(
  ServiceIdSchema,
  `must be a service id or an array of them (${listChoices(SERVICE_IDS)})`,
);

const MIMETYPE_MESSAGE = 'must be a MIME type such as "image/*", "application/pdf" or "*/*"';
const CONCRETE_MIMETYPE_MESSAGE = 'must be a MIME type without wildcards, such as "image/png"';

/** A MIME type filter; wildcards allowed. Lower-cased, since MIME types are case-insensitive. */
export const MimetypeSchema = v.pipe(
  v.string(MIMETYPE_MESSAGE),
  normalize((value: string) => (MIMETYPE_PATTERN.test(value.trim()) ? value.trim().toLowerCase() : undefined), MIMETYPE_MESSAGE),
);

/** `value` as the MIME type of one actual file (trimmed, lower case), or undefined when it is not one. */
export function concreteMimetype(value: string): string | undefined {
  return CONCRETE_MIMETYPE_PATTERN.test(value.trim()) ? value.trim().toLowerCase() : undefined;
}

/** The MIME type of one actual file, so no wildcards. */
export const ConcreteMimetypeSchema = v.pipe(v.string(CONCRETE_MIMETYPE_MESSAGE), normalize(concreteMimetype, CONCRETE_MIMETYPE_MESSAGE));

export const MimetypeListSchema = oneOrMany(MimetypeSchema, `${MIMETYPE_MESSAGE}, or an array of them`);

const EXTENSION_MESSAGE = 'must be a file extension such as ".pdf" or "pdf"';

/** A file extension, with or without its dot; normalised to ".pdf" (lower case) for matching. */
export const ExtensionSchema = v.pipe(
  v.string(EXTENSION_MESSAGE),
  normalize(toExtension, EXTENSION_MESSAGE),
);

export const ExtensionListSchema = oneOrMany(ExtensionSchema, `${EXTENSION_MESSAGE}, or an array of them`);

const LANGUAGE_MESSAGE = 'must be a language code such as "en", "de" or "pt-BR"';

/** A BCP 47-like language tag; v2 also wrote "pt_BR". */
export const LanguageSchema = v.pipe(v.string(LANGUAGE_MESSAGE), v.regex(LANGUAGE_PATTERN, LANGUAGE_MESSAGE));

const CONTAINER_MESSAGE = 'must be "modal", "window" or the id of an element on the page';

/** `'modal'`, `'window'` or the id of an element to render the picker into. */
export type DialogContainer = 'modal' | 'window' | (string & {});

/** Where the picker opens: v2's 'modal' | 'window' | the id of an element to render into. */
export const DialogContainerSchema = documented<DialogContainer>()(v.pipe(v.string(CONTAINER_MESSAGE), v.regex(/^[^\s]+$/, CONTAINER_MESSAGE)));

export const STORE_LOCATIONS = ['S3', 'local'] as const;
export type StoreLocation = (typeof STORE_LOCATIONS)[number];
const LOCATION_MESSAGE = `must be ${listChoices(STORE_LOCATIONS)} (the companion stores to S3 or to its own disk)`;

/** A storage location, any case ("s3" is common in v3 code). */
export const StoreLocationSchema = documented<StoreLocation | Lowercase<StoreLocation>>()(
  v.pipe(
    v.string(LOCATION_MESSAGE),
    normalize(
      (value: string) => STORE_LOCATIONS.find((location) => location.toLowerCase() === value.trim().toLowerCase()),
      LOCATION_MESSAGE,
    ),
  ),
);

export const STORE_ACCESS = ['public', 'private'] as const;
export type StoreAccess = (typeof STORE_ACCESS)[number];
export const StoreAccessSchema = oneOf(STORE_ACCESS);

const PATH_MESSAGE = 'must be a storage path such as "uploads/" without ".." segments';

/** A path inside a storage location; `..` is refused here so no verb can climb out of its folder. */
export const StoragePathSchema = v.pipe(
  v.string(PATH_MESSAGE),
  v.check((value) => value.length > 0 && !value.split(/[\\/]/).includes('..'), PATH_MESSAGE),
);

