import * as v from 'valibot';
import { FilenameSchema } from './filename.ts';
import {
  BooleanSchema,
  ConcreteMimetypeSchema,
  DialogContainerSchema,
  ExtensionListSchema,
  ExtensionSchema,
  LanguageSchema,
  MimetypeListSchema,
  MimetypeSchema,
  NonEmptyStringSchema,
  PositiveIntSchema,
  ServiceIdSchema,
  ServiceListSchema,
  StoragePathSchema,
  StoreAccessSchema,
  StoreLocationSchema,
  compact,
} from './option-values.ts';
import { bothOrNeither, notBoth, optionRules, type OptionRule } from './option-rules.ts';

/*
 * Options of the verbs, under filepicker v2's names (notes/pickers-landscape.md §c.2), so v2 code runs
 * unchanged. Each option set is declared once, as its schema: the type a developer writes
 * (`PickOptions`) is the schema's input, the normalised type the rest of fs-picker works with
 * (`ParsedPickOptions`) its output: singular/plural pairs merged into arrays, service ids upper-cased,
 * extensions given their dot. Unknown keys are errors: a typo must not be ignored.
 * Parse with `parseOptions(verb, schema, input)` from validate.ts for messages that name the option.
 */

/** `plural`, else `[singular]`, else undefined: v2's `normalize(singular, plural)`. */
function merged<T>(plural: T[] | undefined, singular: T | undefined): T[] | undefined {
  return plural ?? (singular === undefined ? undefined : [singular]);
}

/** Options shared by every verb that opens the dialog (pick and exportFile). */
const dialogEntries = {
  /** The services to offer, in this order: one id or an array (any case). Default: every service of the app. */
  services: v.optional(ServiceListSchema),
  /** v2's one-service form of `services`. Give one or the other. */
  service: v.optional(ServiceIdSchema),
  /** The service the dialog opens on. It must be among `services` when those are given. */
  openTo: v.optional(ServiceIdSchema),
  /** The dialog's language, e.g. "en", "de" or "pt-BR". Default: the browser's. */
  language: v.optional(LanguageSchema),
  /** Where the dialog opens: `'modal'` (default), `'window'` (a popup) or the id of an element on the page. */
  container: v.optional(DialogContainerSchema),
  /** A security policy (base64 JSON) signed by the app's server; give it with `signature`. */
  policy: v.optional(NonEmptyStringSchema),
  /** Hex HMAC-SHA256 of `policy` with the app secret; give it with `policy`. */
  signature: v.optional(NonEmptyStringSchema),
};

type DialogObject = v.StrictObjectSchema<typeof dialogEntries, undefined>;
type DialogValues = v.InferOutput<DialogObject>;

/** Options shared by every verb that opens the dialog (pick and exportFile). */
export type DialogOptions = v.InferInput<DialogObject>;
/** Dialog options after parsing: `service` merged into `services`. */
export type ParsedDialogOptions = Omit<DialogValues, 'service'>;

const openToOffered: OptionRule<DialogValues> = (options) => {
  const offered = merged(options.services, options.service);
  if (options.openTo === undefined || offered === undefined || offered.includes(options.openTo)) return undefined;
  return {
    field: 'openTo',
    message: `"openTo" is "${options.openTo}", which is not one of the services offered (${offered.join(', ')})`,
  };
};

const dialogRules: OptionRule<DialogValues>[] = [
  notBoth<DialogValues>(['service'], ['services']),
  openToOffered,
  bothOrNeither<DialogValues>('policy', 'signature'),
];

const PickObject = v.strictObject({
  ...dialogEntries,
  /** Only files of this MIME type can be picked, e.g. "image/*". Not together with an extension filter. */
  mimetype: v.optional(MimetypeSchema),
  /** Only files of these MIME types can be picked. Default `['*\/*']`. Not together with an extension filter. */
  mimetypes: v.optional(MimetypeListSchema),
  /** Only files with this extension can be picked, e.g. ".pdf". Not together with a MIME type filter. */
  extension: v.optional(ExtensionSchema),
  /** Only files with these extensions can be picked. Not together with a MIME type filter. */
  extensions: v.optional(ExtensionListSchema),
  /** The largest file that can be picked, in bytes. */
  maxSize: v.optional(PositiveIntSchema),
  /** The most files one pick may return (pickMultiple). */
  maxFiles: v.optional(PositiveIntSchema),
  /** The fewest files one pick may return (pickMultiple). */
  minFiles: v.optional(PositiveIntSchema),
  /** Whether several files may be chosen; `pickMultiple` implies it. */
  multiple: v.optional(BooleanSchema),
  /** Whether whole folders may be chosen (their files are returned). */
  folders: v.optional(BooleanSchema),
});

export const PickOptionsSchema = v.pipe(
  PickObject,
  optionRules<v.InferOutput<typeof PickObject>>(
    notBoth(['mimetype', 'mimetypes'], ['extension', 'extensions']),
    notBoth(['mimetype'], ['mimetypes']),
    notBoth(['extension'], ['extensions']),
    ...dialogRules,
    (options) =>
      options.minFiles !== undefined && options.maxFiles !== undefined && options.minFiles > options.maxFiles
        ? { field: 'minFiles', message: `"minFiles" (${options.minFiles}) is larger than "maxFiles" (${options.maxFiles})` }
        : undefined,
  ),
  v.transform(({ service, services, mimetype, mimetypes, extension, extensions, ...rest }) => {
    const extensionList = merged(extensions, extension);
    return compact({
      ...rest,
      services: merged(services, service),
      /** Lower case, with their dot: `['.pdf']`. */
      extensions: extensionList,
      // v2 filters on `*/*` when no filter is given.
      mimetypes: extensionList ? undefined : (merged(mimetypes, mimetype) ?? ['*/*']),
    });
  }),
);

/** Options of `pick`, `pickMultiple`, `pickAndStore` (its first argument) and the `<fs-picker>` element. */
export type PickOptions = v.InferInput<typeof PickOptionsSchema>;
/** Pick options after parsing: `mimetypes` is set (default `['*\/*']`) unless `extensions` is. */
export type ParsedPickOptions = v.InferOutput<typeof PickOptionsSchema>;

const ExportFileObject = v.strictObject({
  ...dialogEntries,
  /** The MIME type of the file being saved; with a Blob as input it defaults to the Blob's. Not with `extension`. */
  mimetype: v.optional(MimetypeSchema),
  /** The extension of the file being saved, e.g. ".pdf". Not with `mimetype`. */
  extension: v.optional(ExtensionSchema),
  /** The file name offered in the save dialog; with a Blob as input it defaults to the Blob's. */
  suggestedFilename: v.optional(FilenameSchema),
});

export const ExportFileOptionsSchema = v.pipe(
  ExportFileObject,
  optionRules<v.InferOutput<typeof ExportFileObject>>(notBoth(['mimetype'], ['extension']), ...dialogRules),
  v.transform(({ service, services, ...rest }) => compact({ ...rest, services: merged(services, service) })),
);

/** Options of `exportFile`, which saves a file into a service (Alfresco) chosen by the user. */
export type ExportFileOptions = v.InferInput<typeof ExportFileOptionsSchema>;
export type ParsedExportFileOptions = v.InferOutput<typeof ExportFileOptionsSchema>;

/** Where a stored copy goes: `store`/`storeUrl` options and the storage half of the others. */
const storageEntries = {
  /** `'S3'` or `'local'` (the companion's own disk); any case. Default: the app's configured storage. */
  location: v.optional(StoreLocationSchema),
  /** The folder or key prefix in the storage, e.g. "uploads/". */
  path: v.optional(StoragePathSchema),
  /** The bucket (S3) to store in. Default: the app's configured bucket. */
  container: v.optional(NonEmptyStringSchema),
  /** `'public'` or `'private'`. The companion's default is `'private'`, as in v2. */
  access: v.optional(StoreAccessSchema),
  /** The S3 region of `container`, when it differs from the app's configured one. */
  storeRegion: v.optional(NonEmptyStringSchema),
};

export const StoreOptionsSchema = v.pipe(
  v.strictObject({
    ...storageEntries,
    /** The stored file's name. Default: the input's. */
    filename: v.optional(FilenameSchema),
    /** The stored file's MIME type. Default: detected from the content. */
    mimetype: v.optional(ConcreteMimetypeSchema),
    /** Whether string input is base64 to decode before storing. */
    base64decode: v.optional(BooleanSchema),
  }),
  v.transform((options) => compact(options)),
);

/** Options of `store` and `storeUrl`. */
export type StoreOptions = v.InferInput<typeof StoreOptionsSchema>;
export type ParsedStoreOptions = v.InferOutput<typeof StoreOptionsSchema>;

/** The store options of `pickAndStore` and `convert` (their second/third argument). */
export const StoreToObject = v.strictObject({
  ...storageEntries,
  /** v2's other name for `container`. Give one or the other. */
  storeContainer: v.optional(NonEmptyStringSchema),
});

/** `container` or v2's `storeContainer`, not both; for every store-to option set (pickAndStore, convert). */
export const storeContainerRule: OptionRule<{ container?: string | undefined; storeContainer?: string | undefined }> = notBoth(['container'], ['storeContainer']);

/** Store-to options after parsing: `storeContainer` becomes `container`. */
export function withContainer<T extends { container?: string | undefined; storeContainer?: string | undefined }>({ storeContainer, container, ...rest }: T) {
  return compact({ ...rest, container: container ?? storeContainer });
}

export const StoreToOptionsSchema = v.pipe(StoreToObject, optionRules<v.InferOutput<typeof StoreToObject>>(storeContainerRule), v.transform(withContainer));

export type StoreToOptions = v.InferInput<typeof StoreToOptionsSchema>;
export type ParsedStoreToOptions = v.InferOutput<typeof StoreToOptionsSchema>;

export * from './convert-options.ts';
