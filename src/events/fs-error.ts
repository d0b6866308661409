import type { ErrorCode } from '../protocol/errors.ts';

export interface FsErrorDetail {
  code: ErrorCode;
  message: string;
  /** The attribute or option that was wrong, when one was. */
  field?: string;
}

/** Something failed that the picker also shows to the person; the host may log or report it. */
export class FsErrorEvent extends Event {
  readonly detail: FsErrorDetail;

  constructor(detail: FsErrorDetail) {
    super('fs-error', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-error': FsErrorEvent;
  }
}
