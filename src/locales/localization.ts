import { configureLocalization, type LocaleModule, type StrResult, type TemplateLike } from '@lit/localize';
import { allLocales, sourceLocale, targetLocales } from './generated/locale-codes.ts';

export type Locale = (typeof allLocales)[number];

/*
 * Translations are made with `npm run localize` (lit-localize: extract to src/locales/xliff, translate,
 * build into src/locales/generated). Lit's runtime localization is one locale per page, so every picker
 * on a page speaks the language last asked for; the targets load only when first used.
 */
const loaders: Record<(typeof targetLocales)[number], () => Promise<LocaleModule>> = {
  ar: () => import('./generated/ar.ts').then(withPlainText),
  de: () => import('./generated/de.ts').then(withPlainText),
  es: () => import('./generated/es.ts').then(withPlainText),
  fr: () => import('./generated/fr.ts').then(withPlainText),
};

const ENTITIES: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const decode = (text: string): string => text.replace(/&(?:lt|gt|amp);/g, (entity) => ENTITIES[entity]!);

/*
 * lit-localize-tools 0.8 writes `<`, `>` and `&` as HTML entities into every built message, but only
 * html`` messages are parsed as HTML; plain and str`` messages end up as text, where `&lt;` would show
 * as such (lit/lit#5012, lit/lit#3025). Decode those once when the locale loads; html`` stays as built.
 */
function withPlainText(module: LocaleModule): LocaleModule {
  const templates: Record<string, TemplateLike> = {};
  for (const [id, template] of Object.entries(module.templates)) {
    if (typeof template === 'string') templates[id] = decode(template);
    else if ('strTag' in template) templates[id] = { ...template, strings: template.strings.map(decode) as unknown as StrResult['strings'] };
    else templates[id] = template;
  }
  return { templates };
}

const RIGHT_TO_LEFT: ReadonlySet<string> = new Set(['ar', 'he', 'fa', 'ur']);

// Configured once per page even when the bundle is loaded twice (as embeddable widgets often are).
const KEY = Symbol.for('fs-picker.localization');
type Localization = ReturnType<typeof configureLocalization>;
const registry = globalThis as typeof globalThis & { [KEY]?: Localization };

function localization(): Localization {
  registry[KEY] ??= configureLocalization({ sourceLocale, targetLocales, loadLocale: (locale) => loaders[locale as keyof typeof loaders]() });
  return registry[KEY];
}

/** The supported locale for a BCP 47 tag (`de-CH` → `de`); English when none matches. */
export function matchLocale(tag: string): Locale {
  const lower = tag.trim().toLowerCase();
  const exact = allLocales.find((locale) => locale === lower);
  return exact ?? allLocales.find((locale) => locale === lower.split(/[-_]/)[0]) ?? sourceLocale;
}

/** Switches the pickers on the page to `tag`'s language (loading it if needed); returns the locale used. */
export function applyLanguage(tag: string): Locale {
  const locale = matchLocale(tag);
  if (localization().getLocale() !== locale) void localization().setLocale(locale);
  return locale;
}

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(locale.split('-')[0]!) ? 'rtl' : 'ltr';
}

/** The language the pickers speak now, for formatting sizes and dates the same way as the text. */
export function activeLocale(): string {
  return localization().getLocale();
}
