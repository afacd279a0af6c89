import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../common/domain/roles';
import { en, type MessageKey } from './en';
import { fr } from './fr';

/** Words French writes as English does: a French string equal to the English one may hold only these. */
const SHARED_WORDS = new Set(
  'vigie incident incidents position description source maintenance horizon total note journal action actions annotation annotations point orange type transport url port latitude longitude match message possible future pause version mentions en route urgent standard routine normal pai min ms cause accident'.split(' '),
);
/** English words that must not stand in a French sentence (the role names were shown as is). */
const ENGLISH_ONLY = new Set(
  'supervisor operator trainer auditor administrator the and with without open close show hide feed feeds layer unit units camera cameras settings loading error failed refused save cancel search'.split(' '),
);
// Placeholders and command-line flags (--feed) are not words of the sentence.
const words = (text: string) => text.replace(/\{\w+\}|--[\w-]+/g, ' ').toLowerCase().match(/\p{L}{2,}/gu) ?? [];
const englishIn = (text: string) => words(text).filter((w) => ENGLISH_ONLY.has(w));

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

let roleLabel: (t: (key: MessageKey) => string, role: string) => string;
let translate: (locale: 'fr' | 'en', key: MessageKey) => string;
beforeAll(async () => {
  // The i18n module reads the saved or the browser's language when it loads: give it what a browser has.
  const saved = new Map<string, string>();
  Object.assign(globalThis, { localStorage: { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => saved.set(k, v) } });
  if (!('navigator' in globalThis)) Object.assign(globalThis, { navigator: { language: 'fr-FR' } });
  ({ roleLabel, translate } = await import('./index'));
});

describe('the French interface', () => {
  it('has a non-empty French string for every English key, and no key English lacks', () => {
    const missing = Object.keys(en).filter((k) => !(k in fr) || !fr[k as MessageKey]?.trim());
    const extra = Object.keys(fr).filter((k) => !(k in en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it('keeps every placeholder of the English string, so no value is lost in French', () => {
    const differ = (Object.keys(en) as MessageKey[]).filter((k) => placeholders(en[k]).join() !== placeholders(fr[k]).join());
    expect(differ).toEqual([]);
  });

  it('names every role in French (not "supervisor"), in the top bar and the journal', () => {
    for (const role of ROLES) {
      const french = roleLabel((k) => translate('fr', k), role);
      expect(french, role).not.toBe(role);
      expect(englishIn(french), role).toEqual([]);
    }
    expect(ROLES.map((r) => roleLabel((k) => translate('fr', k), r))).toEqual(['opérateur', 'superviseur', 'formateur', 'auditeur', 'administrateur', 'mur d’images']);
    expect(roleLabel((k) => translate('en', k), 'supervisor')).toBe('supervisor');
  });

  it('leaves no English in French strings: a string equal to the English one holds only words French shares', () => {
    const untranslated = (Object.keys(en) as MessageKey[]).filter((k) => {
      if (fr[k] !== en[k]) return false;
      return words(fr[k]).some((w) => !SHARED_WORDS.has(w));
    });
    const english = (Object.keys(fr) as MessageKey[]).filter((k) => englishIn(fr[k]).length > 0);
    expect({ untranslated, english: english.map((k) => `${k}: ${fr[k]}`) }).toEqual({ untranslated: [], english: [] });
  });
});
