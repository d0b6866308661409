import { SERVICE_IDS, type ServiceId } from './services.ts';

/*
 * What a service id, a MIME type filter, a file extension and a language tag look like, as plain
 * functions: the option schemas (option-values.ts) are built on them, and `<fs-picker>`'s attribute checks
 * use them without loading the schemas up front.
 */

/** `"a", "b" or "c"`, for messages. */
export function listChoices(values: readonly string[]): string {
  const quoted = values.map((value) => JSON.stringify(value));
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** A service id in any case, spaces ignored (v2 strips them); undefined when it names no service. */
export function toServiceId(value: string): ServiceId | undefined {
  const id = value.replace(/\s+/g, '').toUpperCase();
  return (SERVICE_IDS as readonly string[]).includes(id) ? (id as ServiceId) : undefined;
}

// type/subtype per RFC 6838's name characters; `*` stands for "any" in either half, as in v2.
const TOKEN = '[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*';
export const MIMETYPE_PATTERN = new RegExp(`^(?:\\*|${TOKEN})/(?:\\*|${TOKEN})$`);
export const CONCRETE_MIMETYPE_PATTERN = new RegExp(`^${TOKEN}/${TOKEN}$`);

/** A file extension with or without its dot, as ".pdf" (lower case); undefined when it is not one. */
export function toExtension(value: string): string | undefined {
  const bare = value.trim().replace(/^\./, '');
  return /^[A-Za-z0-9][A-Za-z0-9_+-]*(?:\.[A-Za-z0-9_+-]+)*$/.test(bare) ? `.${bare.toLowerCase()}` : undefined;
}

/** A BCP 47-like language tag; v2 also wrote "pt_BR". */
export const LANGUAGE_PATTERN = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;
