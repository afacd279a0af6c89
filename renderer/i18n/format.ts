import type { Translate } from './index';

/**
 * The one place the interface's language becomes numbers, dates, relative times and plural forms.
 * Every Intl object is built here, for the BCP 47 tag of the chosen language, and kept: building
 * one costs far more than using it, and a panel formats on every render.
 */
export type Locale = 'fr' | 'en';

/** French as written in France, English as in the UK (24-hour clock, day before month). */
const TAGS: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

export function localeTag(locale: Locale): string {
  return TAGS[locale];
}

/** The date and time shapes the interface uses, by name, so that two panels never differ by accident. */
export const DATE_STYLES = {
  /** 14:03:27 */
  time: { timeStyle: 'medium' },
  /** 05/12/2026 14:03:27 */
  dateTime: { dateStyle: 'short', timeStyle: 'medium' },
  /** 05/12/2026 14:03 */
  shortDateTime: { dateStyle: 'short', timeStyle: 'short' },
  /** 5 Dec 2026 */
  date: { dateStyle: 'medium' },
  /** 5 Dec, 14:03 */
  dayMonthTime: { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
export type DateStyle = keyof typeof DATE_STYLES;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<Locale, Intl.PluralRules>();

export function formatDate(locale: Locale, ms: number, style: DateStyle = 'dateTime'): string {
  const key = `${locale}:${style}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(TAGS[locale], DATE_STYLES[style])));
  return format.format(ms);
}

export interface NumberStyle {
  /** Most digits after the decimal separator (default 2). */
  digits?: number;
  /** Fewest digits after it (default 0). */
  minDigits?: number;
  /** 0.125 → 12.5 % */
  percent?: boolean;
}

export function formatNumber(locale: Locale, value: number, { digits = 2, minDigits = 0, percent = false }: NumberStyle = {}): string {
  const key = `${locale}:${digits}:${minDigits}:${percent}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(TAGS[locale], { maximumFractionDigits: digits, minimumFractionDigits: Math.min(minDigits, digits), ...(percent ? { style: 'percent' } : {}) });
    numberFormats.set(key, format);
  }
  return format.format(value);
}

/** Which plural form a count takes in this language: French says "0 ligne", English "0 rows". */
export function pluralCategory(locale: Locale, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(TAGS[locale])));
  return rules.select(n);
}

/** "5 min ago": how long before `now` the instant `ms` was, in the largest whole unit. */
export function timeAgo(t: Translate, ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return t('time.ago.s', { n: s });
  if (s < 3600) return t('time.ago.m', { n: Math.floor(s / 60) });
  if (s < 86400) return t('time.ago.h', { n: Math.floor(s / 3600) });
  return t('time.ago.d', { n: Math.floor(s / 86400) });
}

/** The formatter of one language, as `useFormat()` hands it to a component. */
export interface Formatter {
  locale: Locale;
  date(ms: number, style?: DateStyle): string;
  number(value: number, style?: NumberStyle): string;
  percent(value: number): string;
}

export function formatterFor(locale: Locale): Formatter {
  return {
    locale,
    date: (ms, style) => formatDate(locale, ms, style),
    number: (value, style) => formatNumber(locale, value, style),
    percent: (value) => formatNumber(locale, value, { digits: 1, percent: true }),
  };
}
