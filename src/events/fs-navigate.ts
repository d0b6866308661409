import type { Crumb } from '../protocol/browse.ts';

export interface FsNavigateDetail {
  /** The folder's node id. */
  folderId: string;
  name: string;
  /** Breadcrumbs from the repository root down to and including the folder. */
  path: Crumb[];
}

/** The folder browser shows another folder (fired once its first page has loaded). */
export class FsNavigateEvent extends Event {
  readonly detail: FsNavigateDetail;

  constructor(detail: FsNavigateDetail) {
    super('fs-navigate', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-navigate': FsNavigateEvent;
  }
}
