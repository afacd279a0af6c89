import { create } from 'zustand';
import { en, type MessageKey } from './en';
import { fr } from './fr';

export type Locale = 'fr' | 'en';
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

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = MESSAGES[locale][key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text;
}

export function useT(): Translate {
  const locale = useLocaleStore((s) => s.locale);
  return (key, vars) => translate(locale, key, vars);
}

/** Category codes from feeds that Vigie knows get a translated label; others are shown as sent. */
export function categoryLabel(t: Translate, category: string): string {
  const key = `category.${category}` as MessageKey;
  return key in en ? t(key) : category;
}

/** A role as the interface names it; the code word (`supervisor`) stays in the API, the journal file and the policy. */
export function roleLabel(t: Translate, role: string): string {
  const key = `role.${role}` as MessageKey;
  return key in en ? t(key) : role;
}

export function formatTime(locale: Locale, ms: number): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }).format(ms);
}

export function timeAgo(t: Translate, ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return t('time.ago.s', { n: s });
  if (s < 3600) return t('time.ago.m', { n: Math.floor(s / 60) });
  if (s < 86400) return t('time.ago.h', { n: Math.floor(s / 3600) });
  return t('time.ago.d', { n: Math.floor(s / 86400) });
}
