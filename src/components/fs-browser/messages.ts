import { msg, str } from '@lit/localize';
import { formatBytes } from '../../core/format.ts';
import type { PickerConfig } from '../../core/picker-state.ts';
import type { Refusal } from '../../core/selection.ts';
import { activeLocale } from '../../locales/localization.ts';
import type { Loaded } from './folder-loader.ts';

/** What an empty folder or search says (shown, and announced when it loads). */
export function emptyMessage(loaded: Loaded, accept: readonly string[]): string {
  if (loaded.kind === 'search') return msg(str`Nothing found for “${loaded.query}”.`);
  return accept.length > 0 ? msg(str`No files here match ${accept.join(', ')}.`) : msg('This folder is empty.');
}

/** Why a selection was refused, in the notice above the items. */
export function refusalMessage(refusal: Refusal, mode: PickerConfig['mode'] | undefined): string {
  const lang = activeLocale();
  switch (refusal.kind) {
    case 'max-files':
      return refusal.limit === 1 ? msg('You can choose only one file.') : msg(str`You can choose up to ${refusal.limit} files.`);
    case 'file-too-large':
      return msg(str`“${refusal.name}” is larger than the ${formatBytes(refusal.limit, lang)} limit.`);
    case 'total-too-large':
      return msg(str`Together these files are larger than the ${formatBytes(refusal.limit, lang)} limit.`);
    case 'not-selectable':
      return mode === 'export' ? msg('Choose a folder to save into; files cannot be chosen here.') : msg(str`“${refusal.name}” cannot be chosen.`);
  }
}
