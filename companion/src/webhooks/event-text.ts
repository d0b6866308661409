import type { SecretBox } from '../security/secrets.ts';

/**
 * An event's text is sealed at rest: it carries links (a link is a capability to read the file) and
 * names of people's files, and a copied database file must not hand them out. Texts written before
 * sealing began are plain JSON and are read as they are.
 */
export function sealEventText(box: SecretBox, text: unknown): string {
  return box.seal(JSON.stringify(text));
}

/** The event's text as JSON, from what `sealEventText` stored (or a plain JSON text of before). */
export function openEventText(box: SecretBox, stored: string): string {
  return stored.startsWith('{') ? stored : box.open(stored);
}
