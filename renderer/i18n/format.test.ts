import { beforeAll, describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en';
import { fr } from './fr';
import { formatDate, formatNumber, localeTag, pluralCategory } from './format';

let translate: (locale: 'fr' | 'en', key: string, vars?: Record<string, string | number>) => string;
beforeAll(async () => {
  // The i18n module reads the saved or the browser's language when it loads: give it what a browser has.
  const saved = new Map<string, string>();
  Object.assign(globalThis, { localStorage: { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => saved.set(k, v) } });
  if (!('navigator' in globalThis)) Object.assign(globalThis, { navigator: { language: 'fr-FR' } });
  ({ translate } = (await import('./index')) as unknown as { translate: typeof translate });
});

describe('plurals', () => {
  it('says "1 row" and "2 rows" in English, "0 ligne", "1 ligne" and "2 lignes" in French', () => {
    expect(translate('en', 'journal.intact', { n: 1 })).toBe('Hash chain verified: 1 row intact.');
    expect(translate('en', 'journal.intact', { n: 2 })).toBe('Hash chain verified: 2 rows intact.');
    expect(translate('en', 'journal.intact', { n: 0 })).toBe('Hash chain verified: 0 rows intact.');
    expect(translate('fr', 'journal.intact', { n: 0 })).toBe('Chaîne d’empreintes vérifiée : 0 ligne intacte.');
    expect(translate('fr', 'journal.intact', { n: 1 })).toBe('Chaîne d’empreintes vérifiée : 1 ligne intacte.');
    expect(translate('fr', 'journal.intact', { n: 2 })).toBe('Chaîne d’empreintes vérifiée : 2 lignes intactes.');
    expect(translate('en', 'feeds.retention', { n: 1 })).toBe('kept 1 day');
    expect(translate('fr', 'forecast.why.events', { n: 1 })).toBe('1 événement');
  });

  it('follows the CLDR rules of each language, falling back to the "other" form a language has no string for', () => {
    // CLDR (not our code) decides: French 0 and 1 are "one", English 0 is "other"; French has "many" for a million.
    expect([pluralCategory('fr', 0), pluralCategory('fr', 1), pluralCategory('fr', 2)]).toEqual(['one', 'one', 'other']);
    expect([pluralCategory('en', 0), pluralCategory('en', 1), pluralCategory('en', 2)]).toEqual(['other', 'one', 'other']);
    expect(translate('fr', 'journal.intact', { n: 1_000_000 })).toBe('Chaîne d’empreintes vérifiée : 1000000 lignes intactes.');
  });

  it('writes every plural message with "one" and "other" forms in both languages, and nothing asks for the base key alone', () => {
    const keys = Object.keys(en) as MessageKey[];
    // A plural message is one with a `.one` form (`category.other` is a category named "other").
    const bases = new Set(keys.filter((k) => k.endsWith('.one')).map((k) => k.slice(0, -'.one'.length)));
    expect(bases.size).toBeGreaterThanOrEqual(7);
    for (const base of bases) {
      expect(keys, base).toContain(`${base}.one`);
      expect(keys, base).toContain(`${base}.other`);
      expect(fr[`${base}.other` as MessageKey], base).toBeTruthy();
      expect(keys, `${base} is also a plain key`).not.toContain(base);
    }
  });
});

describe('the one locale formatter', () => {
  it('writes dates and numbers as France and the UK do', () => {
    const t = Date.UTC(2026, 11, 5, 14, 3, 27);
    const tz = { timeZone: 'UTC' } as const;
    // The independent reference: Intl with the tags written out here.
    expect(formatDate('fr', t, 'date')).toBe(new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium' }).format(t));
    expect(formatDate('en', t, 'date')).toBe(new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(t));
    expect(new Intl.DateTimeFormat(localeTag('en'), { dateStyle: 'short', ...tz }).format(t)).toBe('05/12/2026');
    expect(formatNumber('fr', 1234.5)).toBe('1\u202f234,5');
    expect(formatNumber('en', 1234.5)).toBe('1,234.5');
    expect(formatNumber('fr', 0.125, { digits: 1, percent: true })).toBe('12,5\u00a0%');
  });
});
