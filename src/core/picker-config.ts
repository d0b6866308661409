import { DEFAULT_MAX_FILES } from '../protocol/pick.ts';
import { isRepository, REPOSITORY_SERVICES, SERVICE_IDS, type ServiceId } from '../protocol/services.ts';
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
    services: mode === 'export' ? repositoriesAmong(services) : services,
    folders: override.folders ?? attributes.folders,
    suggestedFilename: override.suggestedFilename ?? '',
    exportMimetype: override.exportMimetype ?? '',
  };
}

/** Only repositories can take an exported file: those named, or every one when none is. */
function repositoriesAmong(services: ServiceId[]): ServiceId[] {
  const repositories = services.filter(isRepository);
  return repositories.length > 0 ? repositories : [...REPOSITORY_SERVICES];
}
