import type { FsBlob } from '../protocol/blob.ts';
import { ExportFileOptionsSchema, PickOptionsSchema, type ParsedExportFileOptions, type ParsedPickOptions } from '../protocol/options.ts';
import { FsError } from '../protocol/errors.ts';
import { isHttpUrl } from '../protocol/urls.ts';
import { describeValue, parseOptions } from '../protocol/validate.ts';
import { nameInUrl } from './filename.ts';
import type { ConfigOverrides } from './picker-config.ts';

/*
 * One pick() or save() call. Its options are parsed once, where the call comes in (the element's
 * pick()/save(), or the promise API's verb, which names itself in the errors), and the parsed options are
 * then turned into config overrides here. Its own module so the schemas load with the first call rather
 * than with the page.
 */

/**
 * What can be saved into Alfresco: a Blob record (a picked or stored file), a URL (a companion file link,
 * or any http(s) URL the companion fetches), or the page's own bytes (a Blob or File).
 */
export type SaveInput = FsBlob | string | Blob;

/** A pick, ready to run: what it sets over the picker's attributes while it runs. */
export interface PickCall {
  kind: 'pick';
  overrides: ConfigOverrides;
}

/** A save, ready to run: its overrides, and what it saves. */
export interface SaveCall {
  kind: 'export';
  overrides: ConfigOverrides;
  input: SaveInput;
}

export type PickerCall = PickCall | SaveCall;

/** What a call resolves with: the picked Blob records, or the saved file's. */
export type CallResult<C extends PickerCall> = C extends SaveCall ? FsBlob : FsBlob[];

/** `verb`'s pick options, checked and normalised; throws FS_ERR_INVALID_OPTION naming a bad option. */
export function parsePickOptions(verb: string, options: unknown): ParsedPickOptions {
  return parseOptions(verb, PickOptionsSchema, options);
}

/** `verb`'s exportFile options, checked and normalised; throws FS_ERR_INVALID_OPTION naming a bad option. */
export function parseExportOptions(verb: string, options: unknown): ParsedExportFileOptions {
  return parseOptions(verb, ExportFileOptionsSchema, options);
}

/** Refuses what cannot be saved (`verb` names the call in the error): an empty input, a non-http(s) URL, anything else. */
export function checkSaveInput(verb: string, input: unknown): void {
  const fail = (message: string) => new FsError('FS_ERR_INVALID_OPTION', `${verb}: ${message}`, { field: 'input' });
  if (typeof input === 'string') {
    const text = input.trim();
    if (text === '') throw fail('give the file to save: a Blob, a companion file URL or an http(s) URL (got an empty string)');
    if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !isHttpUrl(text)) throw fail(`a URL to save must be http or https, got ${describeValue(input)}`);
    return;
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) return;
  if (typeof input === 'object' && input !== null && (typeof (input as FsBlob).url === 'string' || typeof (input as FsBlob).handle === 'string')) return;
  throw fail(`give the file to save: a Blob, a companion file URL or an http(s) URL (got ${describeValue(input)})`);
}

/** A pick with parsed v2 pick options. */
export function pickCall(options: ParsedPickOptions): PickCall {
  const accept = options.extensions ?? options.mimetypes?.filter((type) => type !== '*/*');
  const overrides = dropUndefined({
    mode: 'pick' as const,
    accept,
    multiple: options.multiple ?? (options.maxFiles !== undefined && options.maxFiles > 1 ? true : undefined),
    maxFiles: options.maxFiles,
    minFiles: options.minFiles,
    maxSize: options.maxSize,
    folders: options.folders,
    services: options.services,
    openTo: options.openTo,
  });
  return { kind: 'pick', overrides };
}

/** A save of `input` with parsed exportFile options; the name and type come from the input when not given. */
export function saveCall(input: SaveInput, options: ParsedExportFileOptions): SaveCall {
  const inputName = typeof input === 'string' ? (nameInUrl(input) ?? '') : input instanceof Blob ? (input instanceof File ? input.name : '') : input.filename;
  const inputType = typeof input === 'string' ? '' : input instanceof Blob ? input.type : input.mimetype;
  let suggestedFilename = options.suggestedFilename ?? inputName;
  if (options.extension) suggestedFilename = suggestedFilename.replace(/\.[^./]*$/, '') + options.extension;
  const overrides = dropUndefined({
    mode: 'export' as const,
    // Only repositories take a saved file; the picker keeps those among the services named (or all).
    services: options.services,
    openTo: options.openTo,
    suggestedFilename,
    // v2 samples pass a pattern (`*/*`); the saved file's type then comes from the input.
    exportMimetype: options.mimetype && !options.mimetype.includes('*') ? options.mimetype : inputType,
  });
  return { kind: 'export', overrides, input };
}

function dropUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
