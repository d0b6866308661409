import { LANGUAGE_PATTERN, listChoices, MIMETYPE_PATTERN, toExtension, toServiceId } from '../protocol/option-patterns.ts';
import { SERVICE_IDS } from '../protocol/services.ts';
import { isHttpUrl } from '../protocol/urls.ts';
import type { PickerAttributes } from './picker-config.ts';

/*
 * `<fs-picker>`'s attributes and properties as a page may set them: any value, of any type, from markup,
 * a framework or a script. Each is checked here once; a refused value is named with the attribute and what
 * it must be, and the picker goes on with its default (for a list, with the items that are right), so a
 * wrong value can neither throw into the page nor leave the picker half-configured.
 */

/** What the picker runs on: every value of the right type and shape. */
export interface CheckedAttributes extends PickerAttributes {
  apiKey: string;
  server: string;
  lang: string;
  theme: 'light' | 'dark' | undefined;
  display: 'modal' | 'inline';
}

/** A value the picker did not take: the attribute's name, and a sentence a developer can act on. */
export interface RefusedAttribute {
  attribute: string;
  message: string;
}

/** The values as set on the element, unchecked. */
export type RawAttributes = { readonly [K in keyof CheckedAttributes]: unknown };

const REFUSED = Symbol('refused');
type Parsed<T> = T | typeof REFUSED;

const unset = (value: unknown): boolean => value === undefined || value === null;

/** A wrong value as a message shows it: `"abc"` (cut short), `NaN`, `an object`. (validate.ts's describeValue is not loaded up front.) */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

/** A string property: unset is `''`; any other type is refused. */
const text =
  (accept: (value: string) => boolean = () => true) =>
  (value: unknown): Parsed<string> => {
    if (unset(value)) return '';
    if (typeof value !== 'string') return REFUSED;
    const trimmed = value.trim();
    return trimmed === '' || accept(trimmed) ? trimmed : REFUSED;
  };

const choice =
  <const T extends string>(values: readonly T[]) =>
  (value: unknown): Parsed<T | undefined> => {
    if (unset(value) || value === '') return undefined;
    return (values as readonly unknown[]).includes(value) ? (value as T) : REFUSED;
  };

/** A whole number from 1; unset is undefined. A numeric string counts (frameworks may set the property from markup). */
function positiveWhole(value: unknown): Parsed<number | undefined> {
  if (unset(value)) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 1 ? number : REFUSED;
}

function flag(value: unknown): Parsed<boolean> {
  if (unset(value)) return false;
  return typeof value === 'boolean' ? value : REFUSED;
}

// The rules of the pick options' schemas (option-values.ts), without loading the schemas up front.
const isServiceId = (value: string): boolean => toServiceId(value) !== undefined;
const isAcceptItem = (value: string): boolean => MIMETYPE_PATTERN.test(value) || toExtension(value) !== undefined;

const SERVICES = listChoices(SERVICE_IDS);

/** Checks every value; returns what the picker uses and what it refused, in attribute order. */
export function checkAttributes(raw: RawAttributes): { attributes: CheckedAttributes; refused: RefusedAttribute[] } {
  const refused: RefusedAttribute[] = [];
  function take<T>(attribute: string, value: unknown, parse: (value: unknown) => Parsed<T>, fallback: T, must: string): T {
    const parsed = parse(value);
    if (parsed !== REFUSED) return parsed;
    refused.push({ attribute, message: `<fs-picker>: "${attribute}" ${must}, got ${shown(value)}` });
    return fallback;
  }
  /** A comma list: the right items are kept, the first wrong one is named. */
  function list(attribute: string, value: unknown, isItem: (item: string) => boolean, must: string): string {
    const whole = take(attribute, value, text(), '', `${must}, as a string`);
    const items = whole.split(',').map((item) => item.trim()).filter(Boolean);
    const wrong = items.find((item) => !isItem(item));
    if (wrong === undefined) return whole;
    refused.push({ attribute, message: `<fs-picker>: "${attribute}" ${must}; ${shown(wrong)} is not one, so it is left out` });
    return items.filter(isItem).join(',');
  }
  const attributes: CheckedAttributes = {
    apiKey: take('api-key', raw.apiKey, text(), '', 'must be a string: the app’s API key'),
    server: take('server', raw.server, text(isHttpUrl), '', 'must be the companion’s http(s) URL, such as "https://files.example.com"'),
    mode: take('mode', raw.mode, choice(['pick', 'export']), undefined, 'must be "pick" or "export"') ?? 'pick',
    services: list('services', raw.services, isServiceId, `must be a comma list of the sources ${SERVICES}`),
    accept: list('accept', raw.accept, isAcceptItem, 'must be a comma list of MIME types and extensions, such as "image/*,.pdf"'),
    multiple: take('multiple', raw.multiple, flag, false, 'must be true or false'),
    maxFiles: take('max-files', raw.maxFiles, positiveWhole, undefined, 'must be a whole number from 1'),
    minFiles: take('min-files', raw.minFiles, positiveWhole, undefined, 'must be a whole number from 1'),
    maxSize: take('max-size', raw.maxSize, positiveWhole, undefined, 'must be a whole number of bytes from 1'),
    folders: take('folders', raw.folders, flag, false, 'must be true or false'),
    openTo: take('open-to', raw.openTo, text(isServiceId), '', `must be one of the sources ${SERVICES}`),
    lang: take('lang', raw.lang, text((value) => LANGUAGE_PATTERN.test(value)), '', 'must be a language code such as "en", "de" or "pt-BR"'),
    theme: take('theme', raw.theme, choice(['light', 'dark']), undefined, 'must be "light" or "dark"'),
    display: take('display', raw.display, choice(['modal', 'inline']), undefined, 'must be "modal" or "inline"') ?? 'modal',
  };
  return { attributes, refused };
}
