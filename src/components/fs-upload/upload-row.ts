import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { formatBytes } from '../../core/format.ts';
import type { UploadItem } from '../../core/upload-queue.ts';
import type { FsBlob } from '../../protocol/blob.ts';
import { activeLocale } from '../../locales/localization.ts';

/** What a file's buttons do, by the file's id. */
export interface RowActions {
  cancel(id: number): void;
  retry(id: number): void;
  remove(id: number): void;
}

/** One file's row: name, size, progress, status, and Cancel (while active), Retry (after a failure or cancel) or Remove. */
export function renderRow(item: UploadItem<File, FsBlob>, actions: RowActions) {
  const active = item.status === 'queued' || item.status === 'uploading';
  const percent = item.size === 0 ? 0 : Math.min(99, Math.round((item.sent / item.size) * 100));
  const status = {
    queued: msg('Waiting'),
    uploading: msg(str`${percent}%`),
    done: msg('Uploaded'),
    failed: msg(str`Failed: ${item.error ?? ''}`),
    cancelled: msg('Cancelled'),
  }[item.status];
  return html`<li part="file" class="file" data-status=${item.status} data-id=${item.id}>
      <span class="name" title=${item.name}>${item.name}</span>
      <span class="muted">${formatBytes(item.size, activeLocale())}</span>
      ${item.status === 'failed' || item.status === 'cancelled'
        ? nothing
        : html`<progress part="file-progress" aria-label=${item.name} max=${Math.max(1, item.size)} value=${item.size === 0 ? (item.status === 'done' ? 1 : 0) : item.sent}></progress>`}
      <span class="status">${status}</span>
      <span class="buttons">
        ${active
          ? html`<button type="button" data-action="cancel" aria-label=${msg(str`Cancel ${item.name}`)} @click=${() => actions.cancel(item.id)}>${msg('Cancel')}</button>`
          : nothing}
        ${item.status === 'failed' || item.status === 'cancelled'
          ? html`<button type="button" data-action="retry" aria-label=${msg(str`Retry ${item.name}`)} @click=${() => actions.retry(item.id)}>${msg('Retry')}</button>`
          : nothing}
        ${active
          ? nothing
          : html`<button type="button" data-action="remove" aria-label=${msg(str`Remove ${item.name}`)} @click=${() => actions.remove(item.id)}>${msg('Remove')}</button>`}
      </span>
    </li>`;
}
