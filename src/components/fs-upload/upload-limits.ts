import type { FileLimits } from '../../core/file-checks.ts';
import type { PickerConfig } from '../../core/picker-state.ts';

/** The picker's rules for local files; without `multiple` only one file may be chosen. */
export function fileLimits(config: PickerConfig | undefined): FileLimits {
  const multiple = config?.multiple ?? false;
  return { accept: config?.accept ?? [], maxSize: config?.maxSize ?? 0, maxFiles: multiple ? Math.max(1, config?.maxFiles ?? 1) : 1 };
}
