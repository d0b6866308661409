import type { ConnectedUser } from '../protocol/connect.ts';
import type { ServiceId } from '../protocol/services.ts';

export interface FsConnectDetail {
  /** The source that was connected. */
  service: ServiceId;
  /** Who signed in, as the source names them. */
  user: ConnectedUser;
}

/** The person signed in to a source in the sign-in window; the picker is now connected. */
export class FsConnectEvent extends Event {
  readonly detail: FsConnectDetail;

  constructor(detail: FsConnectDetail) {
    super('fs-connect', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-connect': FsConnectEvent;
  }
}
