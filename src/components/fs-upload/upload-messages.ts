import { msg, str } from '@lit/localize';
import type { Rejection } from '../../core/file-checks.ts';
import { formatBytes } from '../../core/format.ts';
import type { PickerConfig } from '../../core/picker-state.ts';
import type { UploadTotals } from '../../core/upload-queue.ts';
import { activeLocale } from '../../locales/localization.ts';

/** The line under the file button: accepted types, size and count limits ('' when there are none). */
export function limitsText(config: PickerConfig | undefined): string {
  const parts: string[] = [];
  if (config && config.accept.length > 0) parts.push(msg(str`Accepted: ${config.accept.join(', ')}.`));
  if (config && config.maxSize > 0) parts.push(msg(str`Up to ${formatBytes(config.maxSize, activeLocale())} each.`));
  if (config?.multiple && config.maxFiles > 1) parts.push(msg(str`At most ${config.maxFiles} files.`));
  return parts.join(' ');
}

/** Why a file was not added, after its name in the list of refusals. */
export function rejectionReason({ kind, file }: Rejection<File>, config: PickerConfig | undefined): string {
  const locale = activeLocale();
  switch (kind) {
    case 'accept':
      return msg(str`not an accepted type (accepted: ${config?.accept.join(', ') ?? ''})`);
    case 'maxSize':
      return msg(str`larger than ${formatBytes(config?.maxSize ?? 0, locale)} (it is ${formatBytes(file.size, locale)})`);
    case 'maxFiles': {
      const max = config?.multiple ? (config.maxFiles ?? 1) : 1;
      return max === 1 ? msg('only 1 file can be chosen') : msg(str`at most ${max} files can be chosen`);
    }
    default:
      return msg('it cannot be uploaded');
  }
}

/** Announced when files come in: how many were added, and which (or how many) were not. */
export function addedMessage(added: number, rejected: readonly Rejection<File>[]): string {
  const parts = [added === 1 ? msg('1 file added.') : msg(str`${added} files added.`)];
  if (rejected.length > 0) parts.push(rejected.length === 1 ? msg(str`${rejected[0]!.file.name} was not added.`) : msg(str`${rejected.length} files were not added.`));
  return parts.join(' ');
}

/** Announced once every upload has ended: how many finished, and how many failed. */
export function settledMessage(sum: UploadTotals): string {
  const done = sum.done === 1 ? msg('1 file uploaded.') : msg(str`${sum.done} files uploaded.`);
  return sum.failed > 0 ? `${done} ${sum.failed === 1 ? msg('1 failed.') : msg(str`${sum.failed} failed.`)}` : done;
}

/** Announced when Retry would go over `max-files`. */
export function retryRefusal(maxFiles: number): string {
  return maxFiles === 1 ? msg('Only 1 file can be chosen; remove the other first.') : msg(str`At most ${maxFiles} files can be chosen; remove one first.`);
}

/** Why "Use N files" cannot be pressed yet; undefined when it can. */
export function useBlocker(sum: UploadTotals, config: PickerConfig | undefined): string | undefined {
  const minFiles = Math.max(1, config?.minFiles ?? 1);
  if (sum.active > 0) return msg('Wait for the uploads to finish.');
  if (sum.done < minFiles) return minFiles === 1 ? msg('Upload a file first.') : msg(str`Choose at least ${minFiles} files`);
  return undefined;
}
