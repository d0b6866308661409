import { FsError } from 'fs-picker/protocol';
import type { Provider } from './provider.ts';

/** An item id from a request, refused with a 400 naming the field when the source could not have made it. */
export function itemIdOf(provider: Provider, value: string, field: string): string {
  if (!provider.isItemId(value)) throw new FsError('FS_ERR_INVALID_OPTION', `${field}: must be an id of a ${provider.name} item`, { field });
  return value;
}
