import { CmisError } from './cmis-error.ts';
import type { ObjectOptions } from './object-json.ts';

/**
 * The parameters of a browser binding call: the URL's, then the form's for a POST (CMIS 1.1 §5.4: a
 * client may send `objectId`, `succinct` and the rest in either). Names compare without case, as
 * OpenCMIS servers (Alfresco's among them) read them.
 */
export class Params {
  readonly #values = new Map<string, string>();

  constructor(...sources: Array<Iterable<[string, string]>>) {
    for (const source of sources) {
      for (const [name, value] of source) if (!this.#values.has(name.toLowerCase())) this.#values.set(name.toLowerCase(), value);
    }
  }

  get(name: string): string | undefined {
    return this.#values.get(name.toLowerCase());
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.get(name);
    if (raw === undefined || raw === '') return fallback;
    if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
    throw new CmisError('invalidArgument', `${name} must be true or false: ${raw}`);
  }

  integer(name: string, fallback: number, min: number): number {
    const raw = this.get(name);
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new CmisError('invalidArgument', `${name} must be an integer of at least ${min}: ${raw}`);
    return value;
  }

  /** maxItems (default 100) and skipCount (default 0) of a list. */
  paging(): { maxItems: number; skipCount: number } {
    return { maxItems: this.integer('maxItems', 100, 0), skipCount: this.integer('skipCount', 0, 0) };
  }

  /** How objects are written: succinct, dateTimeFormat, filter, includeAllowableActions, renditionFilter. */
  objectOptions(): ObjectOptions {
    const format = this.get('dateTimeFormat') ?? 'simple';
    if (format !== 'simple' && format !== 'extended') throw new CmisError('invalidArgument', `dateTimeFormat must be simple or extended: ${format}`);
    const filter = this.get('filter');
    const names = filter === undefined || filter.trim() === '' || filter.trim() === '*' ? undefined : new Set(filter.split(',').map((name) => name.trim()));
    return {
      succinct: this.boolean('succinct', false),
      dateTimeFormat: format,
      filter: names,
      includeAllowableActions: this.boolean('includeAllowableActions', false),
      renditionFilter: this.get('renditionFilter'),
    };
  }
}
