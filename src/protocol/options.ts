import * as v from 'valibot';
import type { ServiceId } from './services.ts';
import {
  BooleanSchema,
  ConcreteMimetypeSchema,
  DialogContainerSchema,
  ExtensionListSchema,
  ExtensionSchema,
  FilenameSchema,
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
  type StoreAccess,
  type StoreLocation,
} from './option-values.ts';
import { bothOrNeither, notBoth, optionRules, type OptionRule } from './option-rules.ts';

/*
 * Options of the verbs, under filepicker v2's names (notes/pickers-landscape.md §c.2), so v2 code runs
 * unchanged. Each verb has the input type a developer writes (`PickOptions`) and the normalised type the
 * rest of fs-picker works with (`ParsedPickOptions`): singular/plural pairs merged into arrays, service
 * ids upper-cased, extensions given their dot. Unknown keys are errors: a typo must not be ignored.
 * Parse with `parseOptions(verb, schema, input)` from validate.ts for messages that name the option.
 */

/** `'modal'`, `'window'` or the id of an element to render the picker into. */
export type DialogContainer = 'modal' | 'window' | (string & {});

/** Options shared by every verb that opens the dialog (pick and exportFile). */
export interface DialogOptions {
  /** The services to offer, in this order: one id or an array (any case). Default: every service of the app. */
  services?: ServiceId | ServiceId[];
  /** v2's one-service form of `services`. Give one or the other. */
  service?: ServiceId;
  /** The service the dialog opens on. It must be among `services` when those are given. */
  openTo?: ServiceId;
  /** The dialog's language, e.g. "en", "de" or "pt-BR". Default: the browser's. */
  language?: string;
  /** Where the dialog opens: `'modal'` (default), `'window'` (a popup) or the id of an element on the page. */
  container?: DialogContainer;
  /** A security policy (base64 JSON) signed by the app's server; give it with `signature`. */
  policy?: string;
  /** Hex HMAC-SHA256 of `policy` with the app secret; give it with `policy`. */
  signature?: string;
}

/** Dialog options after parsing. */
export interface ParsedDialogOptions {
  services?: ServiceId[];
  openTo?: ServiceId;
  language?: string;
  container?: DialogContainer;
  policy?: string;
  signature?: string;
}

/** Options of `pick`, `pickMultiple`, `pickAndStore` (its first argument) and the `<fs-picker>` element. */
export interface PickOptions extends DialogOptions {
  /** Only files of this MIME type can be picked, e.g. "image/*". Not together with an extension filter. */
  mimetype?: string;
  /** Only files of these MIME types can be picked. Default `['*\/*']`. Not together with an extension filter. */
  mimetypes?: string | string[];
  /** Only files with this extension can be picked, e.g. ".pdf". Not together with a MIME type filter. */
  extension?: string;
  /** Only files with these extensions can be picked. Not together with a MIME type filter. */
  extensions?: string | string[];
  /** The largest file that can be picked, in bytes. */
  maxSize?: number;
  /** The most files one pick may return (pickMultiple). */
  maxFiles?: number;
  /** The fewest files one pick may return (pickMultiple). */
  minFiles?: number;
  /** Whether several files may be chosen; `pickMultiple` implies it. */
  multiple?: boolean;
  /** Whether whole folders may be chosen (their files are returned). */
  folders?: boolean;
}

/** Pick options after parsing: `mimetypes` is set (default `['*\/*']`) unless `extensions` is. */
export interface ParsedPickOptions extends ParsedDialogOptions {
  mimetypes?: string[];
  /** Lower case, with their dot: `['.pdf']`. */
  extensions?: string[];
  maxSize?: number;
  maxFiles?: number;
  minFiles?: number;
  multiple?: boolean;
  folders?: boolean;
}

/** Options of `exportFile`, which saves a file into a service (Alfresco) chosen by the user. */
export interface ExportFileOptions extends DialogOptions {
  /** The MIME type of the file being saved; with a Blob as input it defaults to the Blob's. Not with `extension`. */
  mimetype?: string;
  /** The extension of the file being saved, e.g. ".pdf". Not with `mimetype`. */
  extension?: string;
  /** The file name offered in the save dialog; with a Blob as input it defaults to the Blob's. */
  suggestedFilename?: string;
}

export interface ParsedExportFileOptions extends ParsedDialogOptions {
  mimetype?: string;
  extension?: string;
  suggestedFilename?: string;
}

/** Where a stored copy goes: `store`/`storeUrl` options and the storage half of the others. */
interface StorageTarget {
  /** `'S3'` or `'local'` (the companion's own disk); any case. Default: the app's configured storage. */
  location?: StoreLocation | Lowercase<StoreLocation>;
  /** The folder or key prefix in the storage, e.g. "uploads/". */
  path?: string;
  /** The bucket (S3) to store in. Default: the app's configured bucket. */
  container?: string;
  /** `'public'` or `'private'`. The companion's default is `'private'`, as in v2. */
  access?: StoreAccess;
  /** The S3 region of `container`, when it differs from the app's configured one. */
  storeRegion?: string;
}

interface ParsedStorageTarget {
  location?: StoreLocation;
  path?: string;
  container?: string;
  access?: StoreAccess;
  storeRegion?: string;
}

/** Options of `store` and `storeUrl`. */
export interface StoreOptions extends StorageTarget {
  /** The stored file's name. Default: the input's. */
  filename?: string;
  /** The stored file's MIME type. Default: detected from the content. */
  mimetype?: string;
  /** Whether string input is base64 to decode before storing. */
  base64decode?: boolean;
}

export interface ParsedStoreOptions extends ParsedStorageTarget {
  filename?: string;
  mimetype?: string;
  base64decode?: boolean;
}

/** The store options of `pickAndStore` and `convert` (their second/third argument). */
export interface StoreToOptions extends StorageTarget {
  /** v2's other name for `container`. Give one or the other. */
  storeContainer?: string;
}

/** Store-to options after parsing: `storeContainer` becomes `container`. */
export type ParsedStoreToOptions = ParsedStorageTarget;

/** `plural`, else `[singular]`, else undefined: v2's `normalize(singular, plural)`. */
function merged<T>(plural: T[] | undefined, singular: T | undefined): T[] | undefined {
  return plural ?? (singular === undefined ? undefined : [singular]);
}

const dialogEntries = {
  services: v.optional(ServiceListSchema),
  service: v.optional(ServiceIdSchema),
  openTo: v.optional(ServiceIdSchema),
  language: v.optional(LanguageSchema),
  container: v.optional(DialogContainerSchema),
  policy: v.optional(NonEmptyStringSchema),
  signature: v.optional(NonEmptyStringSchema),
};

type DialogValues = {
  services?: ServiceId[] | undefined;
  service?: ServiceId | undefined;
  openTo?: ServiceId | undefined;
  policy?: string | undefined;
  signature?: string | undefined;
};

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
  mimetype: v.optional(MimetypeSchema),
  mimetypes: v.optional(MimetypeListSchema),
  extension: v.optional(ExtensionSchema),
  extensions: v.optional(ExtensionListSchema),
  maxSize: v.optional(PositiveIntSchema),
  maxFiles: v.optional(PositiveIntSchema),
  minFiles: v.optional(PositiveIntSchema),
  multiple: v.optional(BooleanSchema),
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
  v.transform(({ service, services, mimetype, mimetypes, extension, extensions, ...rest }): ParsedPickOptions => {
    const extensionList = merged(extensions, extension);
    return compact({
      ...rest,
      services: merged(services, service),
      extensions: extensionList,
      // v2 filters on `*/*` when no filter is given.
      mimetypes: extensionList ? undefined : (merged(mimetypes, mimetype) ?? ['*/*']),
    });
  }),
);

const ExportFileObject = v.strictObject({
  ...dialogEntries,
  mimetype: v.optional(MimetypeSchema),
  extension: v.optional(ExtensionSchema),
  suggestedFilename: v.optional(FilenameSchema),
});

export const ExportFileOptionsSchema = v.pipe(
  ExportFileObject,
  optionRules<v.InferOutput<typeof ExportFileObject>>(notBoth(['mimetype'], ['extension']), ...dialogRules),
  v.transform(({ service, services, ...rest }): ParsedExportFileOptions =>
    compact({ ...rest, services: merged(services, service) }),
  ),
);

const storageEntries = {
  location: v.optional(StoreLocationSchema),
  path: v.optional(StoragePathSchema),
  container: v.optional(NonEmptyStringSchema),
  access: v.optional(StoreAccessSchema),
  storeRegion: v.optional(NonEmptyStringSchema),
};

export const StoreOptionsSchema = v.pipe(
  v.strictObject({
    ...storageEntries,
    filename: v.optional(FilenameSchema),
    mimetype: v.optional(ConcreteMimetypeSchema),
    base64decode: v.optional(BooleanSchema),
  }),
  v.transform((options): ParsedStoreOptions => compact(options)),
);

const StoreToObject = v.strictObject({ ...storageEntries, storeContainer: v.optional(NonEmptyStringSchema) });

export const StoreToOptionsSchema = v.pipe(
  StoreToObject,
  optionRules<v.InferOutput<typeof StoreToObject>>(notBoth(['container'], ['storeContainer'])),
  v.transform(({ storeContainer, container, ...rest }): ParsedStoreToOptions =>
    compact({ ...rest, container: container ?? storeContainer }),
  ),
);

export * from './convert-options.ts';
