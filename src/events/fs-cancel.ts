/** The person pressed Cancel in a view: the picker closes without a result. */
export class FsCancelEvent extends Event {
  constructor() {
    super('fs-cancel', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fs-cancel': FsCancelEvent;
  }
}
