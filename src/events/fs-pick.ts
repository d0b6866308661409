import type { FsBlob } from '../protocol/blob.ts';

export interface FsPickDetail {
  /** The chosen files as Blob records, in the order the person chose them (`id` is the position). */
  blobs: FsBlob[];
}

/** The person finished choosing: the picker closes and resolves with these files. */
export class FsPickEvent extends Event {
  readonly detail: FsPickDetail;

  constructor(detail: FsPickDetail) {
    super('fs-pick', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-pick': FsPickEvent;
  }
}
