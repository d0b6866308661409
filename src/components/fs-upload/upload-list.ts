import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { formatBytes } from '../../core/format.ts';
import { totals, type UploadQueue } from '../../core/upload-queue.ts';
import type { FsBlob } from '../../protocol/blob.ts';
import { activeLocale } from '../../locales/localization.ts';
import { renderRow, type RowActions } from './upload-row.ts';

/** What the uploads section shows and does. */
export interface UploadListView extends RowActions {
  queue: UploadQueue<File, FsBlob>;
  cancelAll(): void;
}

/** The uploads: total progress with counts and Cancel all, then one row per file (nothing while empty). */
export function renderUploads(view: UploadListView) {
  const { queue } = view;
  if (queue.items.length === 0) return nothing;
  const sum = totals(queue);
  const locale = activeLocale();
  return html`<section part="uploads" aria-labelledby="uploads-title">
      <h3 id="uploads-title" class="visually-hidden">${msg('Uploads')}</h3>
      <div class="total">
        <progress part="total-progress" aria-label=${msg('All uploads')} max=${Math.max(1, sum.bytes)} value=${sum.bytes === 0 ? (sum.active ? 0 : 1) : sum.sent}></progress>
        <span class="muted">
          ${msg(str`${sum.done} of ${sum.files} files, ${formatBytes(sum.sent, locale)} of ${formatBytes(sum.bytes, locale)}`)}
        </span>
        ${sum.active > 0 ? html`<button type="button" data-action="cancel-all" @click=${() => view.cancelAll()}>${msg('Cancel all')}</button>` : nothing}
      </div>
      <ul class="files">
        ${queue.items.map((item) => renderRow(item, view))}
      </ul>
    </section>`;
}
