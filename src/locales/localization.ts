import { configureLocalization, type LocaleModule } from '@lit/localize';
import { allLocales, sourceLocale, targetLocales } from './generated/locale-codes.ts';

export type Locale = (typeof allLocales)[number];

/*
 * Translations are made with `npm run localize` (lit-localize: extract to src/locales/xliff, translate,
 * build into src/locales/generated). Lit's runtime localization is one locale per page, so every picker
 * on a page speaks the language last asked for; the targets load only when first used.
 */
const loaders: Record<(typeof targetLocales)[number], () => Promise<LocaleModule>> = {
  ar: () => import('./generated/ar.ts'),
  de: () => import('./generated/de.ts'),
  es: () => import('./generated/es.ts'),
  fr: () => import('./generated/fr.ts'),
};

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
