import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { totals, type UploadQueue } from '../../core/upload-queue.ts';
import type { FsBlob } from '../../protocol/blob.ts';

/** What the footer shows and does. */
export interface FooterView {
  multiple: boolean;
  queue: UploadQueue<File, FsBlob>;
  /** Why "Use N files" cannot be pressed yet (see `useBlocker`); undefined when it can. */
  blocker: string | undefined;
  use(): void;
}

/** With `multiple`, once there are files: "Use N files", and why it cannot be pressed yet. */
export function renderFooter(view: FooterView) {
  const { queue, blocker } = view;
  if (!view.multiple) return nothing;
  const sum = totals(queue);
  if (sum.files === 0 && queue.items.length === 0) return nothing;
  return html`<div class="footer">
      ${blocker ? html`<p id="use-reason" class="muted">${blocker}</p>` : nothing}
      <button
        part="use-button"
        class="primary"
        type="button"
        aria-disabled=${blocker ? 'true' : 'false'}
        aria-describedby=${blocker ? 'use-reason' : nothing}
        @click=${() => view.use()}
      >
        ${sum.done === 1 ? msg('Use 1 file') : msg(str`Use ${sum.done} files`)}
      </button>
    </div>`;
}
