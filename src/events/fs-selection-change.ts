import type { BrowseItem } from '../protocol/browse.ts';

export interface FsSelectionChangeDetail {
  /** Every selected file and folder, in the order they were selected (across folders). */
  selection: BrowseItem[];
}

/** The person selected or deselected files or folders. */
export class FsSelectionChangeEvent extends Event {
  readonly detail: FsSelectionChangeDetail;

  constructor(detail: FsSelectionChangeDetail) {
    super('fs-selection-change', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-selection-change': FsSelectionChangeEvent;
  }
}
