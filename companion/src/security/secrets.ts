import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts what the companion keeps of other people's credentials (Alfresco tokens, app secrets) with
 * AES-256-GCM. A stored value is `v1.` + base64url(iv | tag | ciphertext); tampering fails to decrypt.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(keyBase64: string | undefined) {
    this.#key = keyBase64 === undefined ? randomBytes(32) : Buffer.from(keyBase64, 'base64');
    if (this.#key.length !== 32) throw new Error('The encryption key must be 32 bytes');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  open(sealed: string): string {
    if (!sealed.startsWith('v1.')) throw new Error('Not a sealed value');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/** Session tokens are kept only as this hash: a stolen database holds no usable session. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new random token for sessions and handles: 32 bytes, URL-safe. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
