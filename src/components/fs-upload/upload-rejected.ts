import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import type { Rejection } from '../../core/file-checks.ts';
import type { PickerConfig } from '../../core/picker-state.ts';
import { rejectionReason } from './upload-messages.ts';

/** The files that were not added, each named with the reason (an alert, so it is heard at once). */
export function renderRejected(rejected: readonly Rejection<File>[], config: PickerConfig | undefined) {
  if (rejected.length === 0) return nothing;
  return html`<div part="rejected" class="rejected" role="alert">
      <p>${rejected.length === 1 ? msg('This file was not added:') : msg('These files were not added:')}</p>
      <ul>
        ${rejected.map((rejection) => html`<li><strong>${rejection.file.name}</strong>: ${rejectionReason(rejection, config)}</li>`)}
      </ul>
    </div>`;
}
