import type { SecretBox } from '../security/secrets.ts';

/**
 * Seals and opens webhook secrets through a SecretBox, remembering each answer: the same few secrets
 * are sealed for every event and opened for every attempt, and AES-GCM each time would be wasted work.
 */
export class SecretCache {
  readonly #box: SecretBox;
  readonly #sealed = new Map<string, string>();
  readonly #opened = new Map<string, string>();

  constructor(box: SecretBox) {
    this.#box = box;
  }

  seal(secret: string): string {
    let sealed = this.#sealed.get(secret);
    if (sealed === undefined) {
      sealed = this.#box.seal(secret);
      this.#sealed.set(secret, sealed);
    }
    return sealed;
  }

  open(sealed: string): string {
    let secret = this.#opened.get(sealed);
    if (secret === undefined) {
      secret = this.#box.open(sealed);
      this.#opened.set(sealed, secret);
    }
    return secret;
  }
}
