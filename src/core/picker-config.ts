import type { FsBlob } from '../protocol/blob.ts';
import { DEFAULT_MAX_FILES } from '../protocol/pick.ts';
import { ExportFileOptionsSchema, PickOptionsSchema, type ExportFileOptions, type PickOptions } from '../protocol/options.ts';
import { SERVICE_IDS, type ServiceId } from '../protocol/services.ts';
import { parseOptions } from '../protocol/validate.ts';
import { defaultConfig, type PickerConfig } from './picker-state.ts';

/** `<fs-picker>`'s attributes that shape what it offers. */
export interface PickerAttributes {
  mode: 'pick' | 'export';
  services: string;
  accept: string;
  multiple: boolean;
  maxFiles: number | undefined;
  minFiles: number | undefined;
  maxSize: number | undefined;
  folders: boolean;
  openTo: string;
}

/** What one `pick()` or `save()` call sets for as long as it runs, over the attributes. */
export type ConfigOverrides = Partial<PickerConfig> & { openTo?: string };

const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const serviceList = (value: string): ServiceId[] => commaList(value.toUpperCase()).filter((id): id is ServiceId => (SERVICE_IDS as readonly string[]).includes(id));

const positive = (value: number | undefined): number | undefined => (value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined);

/** The picker's configuration: defaults, then attributes, then the running call's options. */
export function configFrom(attributes: PickerAttributes, overrides: ConfigOverrides): PickerConfig {
  const { openTo: _openTo, ...override } = overrides;
  const multiple = override.multiple ?? attributes.multiple;
  const mode = override.mode ?? (attributes.mode === 'export' ? 'export' : 'pick');
  const maxFiles = multiple ? (override.maxFiles ?? positive(attributes.maxFiles) ?? DEFAULT_MAX_FILES) : 1;
  const services = override.services ?? serviceList(attributes.services);
  return {
    ...defaultConfig(),
    mode,
    accept: override.accept ?? commaList(attributes.accept),
    multiple,
    maxFiles,
    minFiles: Math.min(override.minFiles ?? positive(attributes.minFiles) ?? 1, maxFiles),
    maxSize: override.maxSize ?? positive(attributes.maxSize) ?? 0,
    // Only Alfresco can take an exported file.
    services: mode === 'export' ? ['ALFRESCO'] : services,
    folders: override.folders ?? attributes.folders,
    suggestedFilename: override.suggestedFilename ?? '',
    exportMimetype: override.exportMimetype ?? '',
  };
}

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
    exportMimetype: parsed.mimetype ?? inputType,
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
