import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signs what the companion hands out and must recognise later without a database row: thumbnail URLs
 * (an `<img>` cannot send the session header) and listing cursors.
 *
 * The key is derived with HKDF-SHA256 from the configured `encryptionKey` (the SecretBox's key material,
 * never used directly for two purposes), so signed URLs survive a restart and work across companion
 * instances that share the key. Without a configured key (the in-memory dev default) it is random per
 * process, like the SecretBox's own key: nothing signed outlives the process, which is also true of the
 * sealed grants it would point at.
 */
export class Signer {
  readonly #key: Buffer;

  constructor(encryptionKey: string | undefined, purpose: string) {
    this.#key = encryptionKey === undefined
      ? randomBytes(32)
      : Buffer.from(hkdfSync('sha256', Buffer.from(encryptionKey, 'base64'), 'fs-picker-companion', `fs-picker:${purpose}`, 32));
  }

  sign(...parts: string[]): string {
    return this.signing(...parts.slice(0, -1))(parts.at(-1) ?? '');
  }

  /**
   * `sign(...leading, last)` for many values of `last`, with the leading parts encoded once: a listing
   * signs a thumbnail URL per item (up to 1,000), where the same grant, app and expiry lead each one.
   */
  signing(...leading: string[]): (last: string) => string {
    const prefix = leading.map(encodePart).join('');
    // One update() per signature: each call costs more than hashing these few bytes.
    return (last) => createHmac('sha256', this.#key).update(prefix + encodePart(last)).digest('base64url');
  }

  verify(signature: string, ...parts: string[]): boolean {
    const expected = Buffer.from(this.sign(...parts));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** Length-prefixed, so ("ab","c") and ("a","bc") never sign alike. */
const encodePart = (part: string) => `${Buffer.byteLength(part)}:${part};`;
