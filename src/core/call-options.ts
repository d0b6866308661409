import type { FsBlob } from '../protocol/blob.ts';
import { ExportFileOptionsSchema, PickOptionsSchema, type ExportFileOptions, type PickOptions } from '../protocol/options.ts';
import { parseOptions } from '../protocol/validate.ts';
import type { ConfigOverrides } from './picker-config.ts';

/*
 * The options of one pick() or save() call, validated with the protocol's schemas and turned into config
 * overrides. Its own module so the schemas load with the first call rather than with the page.
 */

/** `pick()`'s v2 options as config overrides; throws FS_ERR_INVALID_OPTION naming a bad option. */
export function pickOverrides(options: PickOptions | undefined): ConfigOverrides {
  const parsed = parseOptions('pick', PickOptionsSchema, options);
  const accept = parsed.extensions ?? parsed.mimetypes?.filter((type) => type !== '*/*');
  return dropUndefined({
    mode: 'pick' as const,
    accept,
    multiple: parsed.multiple ?? (parsed.maxFiles !== undefined && parsed.maxFiles > 1 ? true : undefined),
    maxFiles: parsed.maxFiles,
    minFiles: parsed.minFiles,
    maxSize: parsed.maxSize,
    folders: parsed.folders,
    services: parsed.services,
    openTo: parsed.openTo,
  });
}

/** `save()`'s v2 exportFile options as config overrides; the mimetype comes from the input when not given. */
export function exportOverrides(input: FsBlob | string | Blob, options: ExportFileOptions | undefined): ConfigOverrides {
  const parsed = parseOptions('exportFile', ExportFileOptionsSchema, options);
  const inputName = typeof input === 'string' ? nameFromUrl(input) : input instanceof Blob ? (input instanceof File ? input.name : '') : input.filename;
  const inputType = typeof input === 'string' ? '' : input instanceof Blob ? input.type : input.mimetype;
  let suggestedFilename = parsed.suggestedFilename ?? inputName;
  if (parsed.extension) suggestedFilename = suggestedFilename.replace(/\.[^./]*$/, '') + parsed.extension;
  return dropUndefined({
    mode: 'export' as const,
    services: ['ALFRESCO' as const],
    openTo: 'ALFRESCO',
    suggestedFilename,
    // v2 samples pass a pattern (`*/*`); the saved file's type then comes from the input.
    exportMimetype: parsed.mimetype && !parsed.mimetype.includes('*') ? parsed.mimetype : inputType,
  });
}

function nameFromUrl(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  } catch {
    return '';
  }
}

function dropUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
