import type { FsBlob } from '../protocol/blob.ts';

export interface FsExportDetail {
  /** The saved file in Alfresco: `client` "Alfresco", `source` "ALFRESCO", `url` its distributable link. */
  blob: FsBlob;
}

/** The file was saved into the chosen Alfresco folder (export mode). */
export class FsExportEvent extends Event {
  readonly detail: FsExportDetail;

  constructor(detail: FsExportDetail) {
    super('fs-export', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-export': FsExportEvent;
  }
}
