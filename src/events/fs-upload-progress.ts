export interface FsUploadProgressDetail {
  /** The file whose bytes went out. */
  filename: string;
  /** Bytes of that file sent so far. */
  sent: number;
  /** That file's size in bytes. */
  total: number;
  /** Bytes sent so far over every file of the batch (failed and cancelled files left out). */
  totalSent: number;
  /** The size of every file of the batch (failed and cancelled files left out). */
  totalBytes: number;
}

/** Bytes of a local file went out to the companion. */
export class FsUploadProgressEvent extends Event {
  readonly detail: FsUploadProgressDetail;

  constructor(detail: FsUploadProgressDetail) {
    super('fs-upload-progress', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-upload-progress': FsUploadProgressEvent;
  }
}
