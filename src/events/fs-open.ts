/** The picker dialog opened. */
export class FsOpenEvent extends Event {
  constructor() {
    super('fs-open', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-open': FsOpenEvent;
  }
}
