export interface FsCloseDetail {
  /** What closed it: the close button, the Escape key, a call to `close()`, or a view's Cancel button. */
  reason: 'button' | 'escape' | 'method' | 'cancel';
}

/** The picker is about to close; call `preventDefault()` to keep it open. */
export class FsCloseEvent extends Event {
  readonly detail: FsCloseDetail;

  constructor(detail: FsCloseDetail) {
    super('fs-close', { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-close': FsCloseEvent;
  }
}
