import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../paths';
import { fold, parseQuery, tokens } from './normalize';
import { SearchIndex, type IndexEntry } from './searchIndex';

const streetsFile = sharedDataDir() ? path.join(sharedDataDir()!, 'marseille', 'streets_index_osm.json') : null;
const hasStreets = !!streetsFile && fs.existsSync(streetsFile);
const SKIP = '(skipped without ../shared/data/marseille/streets_index_osm.json)';

function marseille(): { index: SearchIndex; streets: { name: string; quartier: string; centroid: [number, number] }[] } {
  const streets = JSON.parse(fs.readFileSync(streetsFile!, 'utf8')) as { name: string; quartier: string; centroid: [number, number] }[];
  const entries: IndexEntry[] = streets.map((s, i) => ({ kind: 'street', id: `street:${i}`, label: s.name, detail: s.quartier, also: s.quartier, lon: s.centroid[0], lat: s.centroid[1] }));
  return { index: new SearchIndex(entries), streets };
}

describe('search normalisation', () => {
  it('drops accents, case, apostrophes and hyphens as French addresses are typed', () => {
    expect(fold("Place de l'Église-Saint-Michel")).toBe('place de l eglise saint michel');
    expect(tokens('LA CANEBIÈRE')).toEqual(tokens('la canebiere'));
    expect(tokens("Chemin de l'Œuf")).toEqual(['chemin', 'oeuf']);
  });

  it('expands the usual abbreviations of street types and saints', () => {
    const pairs: [string, string][] = [
      ['bd de la libération', 'Boulevard de la Libération'],
      ['av du prado', 'Avenue du Prado'],
      ['r. paradis', 'Rue Paradis'],
      ['st ferreol', 'Saint-Ferréol'],
      ['pl castellane', 'Place Castellane'],
      ['ch du roucas blanc', 'Chemin du Roucas Blanc'],
      ['imp des fleurs', 'Impasse des Fleurs'],
      ['ste marguerite', 'Sainte-Marguerite'],
    ];
    for (const [typed, written] of pairs) expect(tokens(typed), typed).toEqual(tokens(written));
  });

  it('takes the names of JavaScript’s object members as plain words (the API fuzz found "constructor")', () => {
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(tokens(`rue ${word}`), word).toEqual(['rue', fold(word)]);
      expect(parseQuery(`12${fold(word)} rue paradis`).house, word).toBeNull();
      expect(parseQuery(`12 ${word}`), word).toEqual({ words: [fold(word)], house: { number: '12', suffix: '' } });
    }
  });

  it('reads a house number and its suffix wherever it is typed, and keeps a postcode as a word', () => {
    expect(parseQuery('12 bis rue paradis')).toEqual({ words: ['rue', 'paradis'], house: { number: '12', suffix: 'bis' } });
    expect(parseQuery('rue paradis 12B')).toEqual({ words: ['rue', 'paradis'], house: { number: '12', suffix: 'bis' } });
    expect(parseQuery('rue de rome 13001')).toEqual({ words: ['rue', 'rome', '13001'], house: null });
  });
});

describe('search over the 5,190 real Marseille street names', () => {
  it.skipIf(!hasStreets)(`finds streets however they are typed: abbreviations, accents, word order ${SKIP}`, () => {
    const { index } = marseille();
    const first = (q: string) => index.search(q, 5)[0]?.label;
    expect(first('r. paradis')).toBe('Rue Paradis');
    expect(first('RUE PARADIS')).toBe('Rue Paradis');
    expect(first('canebiere')).toBe('La Canebière');
    expect(first('st ferreol')).toBe('Rue Saint-Ferréol');
    expect(first('julien cours')).toBe('Cours Julien');
    expect(first('bd liberation')).toBe('Boulevard de la Libération - Général de Monsabert');
    expect(first('rpt prado')).toBe('Rond-Point du Prado');
    expect(first('av prado')).toBe('Avenue du Prado');
  });

  it.skipIf(!hasStreets)(`ranks an exact name before one that starts with it, before one that only holds its words ${SKIP}`, () => {
    const { index } = marseille();
    const labels = index.search('place castellane', 10).map((h) => h.label);
    expect(labels[0]).toBe('Place Castellane');
    const rome = index.search('rome', 10).map((h) => h.label);
    // "rome" alone: both Rome streets, the shorter name (fewer words left over) first among equals.
    expect(rome.slice(0, 2).sort()).toEqual(['Place de Rome', 'Rue de Rome']);
    // Typing: a prefix of the last word already finds the street.
    expect(index.search('cours jul', 3)[0]!.label).toBe('Cours Julien');
    // The exact name first, then names that hold the same words among others.
    const paradis = index.search('rue paradis', 10).map((h) => h.label);
    expect(paradis[0]).toBe('Rue Paradis');
    expect(paradis).toContain('Rue Villas Paradis');
  });

  it.skipIf(!hasStreets)(`finds every street a plain scan of the file finds (independent check of recall) ${SKIP}`, () => {
    const { index, streets } = marseille();
    // The oracle: a brute-force scan with its own folding (String.normalize + a regexp), no index.
    const plain = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    for (const q of ['paradis', 'ferreol', 'castellane', 'prado', 'rome', 'canebiere']) {
      const expected = new Set(streets.filter((s) => plain(`${s.name} ${s.quartier}`).split(/[^a-z0-9]+/).some((w) => w.startsWith(q))).map((s) => `${s.name}|${s.quartier}`));
      const got = new Set(index.search(q, 50).map((h) => `${h.label}|${h.detail}`));
      expect(expected.size, q).toBeGreaterThan(0);
      expect(expected.size, q).toBeLessThanOrEqual(50);
      expect(got, q).toEqual(expected);
    }
  });
});
