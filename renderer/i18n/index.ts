import { useMemo } from 'react';
import { create } from 'zustand';
import { en, type MessageKey } from './en';
import { fr } from './fr';
import { formatDate, formatterFor, pluralCategory, type Formatter, type Locale } from './format';

export type { Locale } from './format';
export { formatDate, timeAgo, type DateStyle, type Formatter } from './format';
const MESSAGES: Record<Locale, Record<MessageKey, string>> = { en, fr };
const KEY = 'vigie.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(KEY);
  if (saved === 'fr' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

interface LocaleState {
  locale: Locale;
  actions: { setLocale(locale: Locale): void; toggle(): void };
}

// Module-level, not in a provider: the language is read before React mounts and shared by every
// window through localStorage (see the exceptions listed in stores/createStoreContext.tsx).
export const useLocaleStore = create<LocaleState>((set, get) => ({
  locale: initialLocale(),
  actions: {
    setLocale(locale) {
      localStorage.setItem(KEY, locale);
      document.documentElement.lang = locale;
      set({ locale });
    },
    toggle() {
      get().actions.setLocale(get().locale === 'fr' ? 'en' : 'fr');
    },
  },
}));

type Vars = Record<string, string | number>;

/**
 * A message with plural forms is written once per form the languages need, as `key.one`,
 * `key.other` (and `key.many`, `key.few`… where a language has them); it is asked for by its base
 * key with the count as `n`, and Intl.PluralRules picks the form ("1 row", "2 rows"; "0 ligne").
 */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}.one` ? Base : never) : never;

/** A plural message cannot be asked for without its count: the type requires `n`. */
export interface Translate {
  (key: MessageKey, vars?: Vars): string;
  (key: PluralKey, vars: Vars & { n: number }): string;
}

export function translate(locale: Locale, key: MessageKey | PluralKey, vars?: Vars): string {
  const messages: Record<string, string | undefined> = MESSAGES[locale];
  let text = messages[key];
  if (text === undefined && typeof vars?.n === 'number') text = messages[`${key}.${pluralCategory(locale, vars.n)}`] ?? messages[`${key}.other`];
  text ??= key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text;
}

export function useT(): Translate {
  const locale = useLocaleStore((s) => s.locale);
  // One function per language, not per render: components list it in their memo and effect
  // dependencies, and a new one each render re-made the alert layers, whose report re-rendered the
  // map, in a loop that kept Chromium's cores busy while nothing happened (bench/idle.mjs).
  return useMemo(() => (key: MessageKey | PluralKey, vars?: Vars) => translate(locale, key, vars), [locale]);
}

/** Numbers and dates in the interface's language (renderer/i18n/format.ts). */
export function useFormat(): Formatter {
  const locale = useLocaleStore((s) => s.locale);
  return useMemo(() => formatterFor(locale), [locale]);
}

/** Category codes from feeds that Vigie knows get a translated label; others are shown as sent. */
export function categoryLabel(t: (key: MessageKey) => string, category: string): string {
  const key = `category.${category}` as MessageKey;
  return key in en ? t(key) : category;
}

/** A role as the interface names it; the code word (`supervisor`) stays in the API, the journal file and the policy. */
export function roleLabel(t: (key: MessageKey) => string, role: string): string {
  const key = `role.${role}` as MessageKey;
  return key in en ? t(key) : role;
}

/** Date and time to the second, in the interface's language. */
export function formatTime(locale: Locale, ms: number): string {
  return formatDate(locale, ms, 'dateTime');
}
