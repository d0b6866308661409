import type { ServiceId } from '../protocol/services.ts';

export interface FsServiceChangeDetail {
  service: ServiceId;
}

/** The person chose another source in the services list. */
export class FsServiceChangeEvent extends Event {
  readonly detail: FsServiceChangeDetail;

  constructor(detail: FsServiceChangeDetail) {
    super('fs-service-change', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-service-change': FsServiceChangeEvent;
  }
}
