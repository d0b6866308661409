import type { RefusedAttribute } from '../core/attribute-checks.ts';
import { FsErrorEvent } from '../events/fs-error.ts';

/**
 * Tells the host about each attribute value the picker refused, with an `fs-error` (`FS_ERR_INVALID_OPTION`,
 * the attribute as `field`): once per value, not on every render.
 */
export class RefusedAttributeReport {
  #reported = new Map<string, string>();

  constructor(private readonly host: EventTarget) {}

  report(refused: readonly RefusedAttribute[]): void {
    const before = this.#reported;
    this.#reported = new Map(refused.map(({ attribute, message }) => [attribute, message]));
    for (const { attribute, message } of refused) {
      if (before.get(attribute) !== message) this.host.dispatchEvent(new FsErrorEvent({ code: 'FS_ERR_INVALID_OPTION', message, field: attribute }));
    }
  }
}
