import { html, nothing, svg } from 'lit';
import { msg } from '@lit/localize';
import type { FileIntake } from './file-intake.ts';

const uploadIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 16V4M7 9l5-5 5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"/></svg>`;

/** What the drop zone shows and does. */
export interface DropZoneView {
  multiple: boolean;
  /** The file input's `accept`: MIME patterns and extensions. */
  accept: readonly string[];
  /** The limits line under the button (see `limitsText`). */
  limits: string;
  /** Where its drag, drop, button and input events go. */
  intake: FileIntake;
}

/** The drop zone: icon, hint, the file button with its hidden input, and the limits. */
export function renderDropZone(view: DropZoneView) {
  const { multiple, intake } = view;
  return html`<div
      part="drop-zone"
      class=${intake.over ? 'drop over' : 'drop'}
      @dragenter=${intake.dragOver}
      @dragover=${intake.dragOver}
      @dragleave=${intake.dragLeave}
      @drop=${intake.drop}
    >
      ${uploadIcon}
      <p>${multiple ? msg('Drop files here, paste them, or') : msg('Drop a file here, paste it, or')}</p>
      <button part="choose-button" class="primary" type="button" aria-describedby="limits" @click=${intake.choose}>
        ${multiple ? msg('Choose files') : msg('Choose a file')}
      </button>
      <input
        type="file"
        hidden
        tabindex="-1"
        aria-hidden="true"
        ?multiple=${multiple}
        accept=${view.accept.join(',') || nothing}
        @change=${intake.chosen}
      />
      <p id="limits" class="limits">${view.limits}</p>
    </div>`;
}
