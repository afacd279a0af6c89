/**
 * Text as the search compares it: French addresses are written many ways ("Bd de la Libération",
 * "boulevard liberation", "BD LIBERATION"), so both the index and the query go through the same
 * steps: accents and case dropped, punctuation and apostrophes split words ("l'Estaque" →
 * "estaque"), usual abbreviations of street types and saints expanded, small words left out.
 */

import { own } from '../../../common/own';

/** Abbreviations of the street types (La Poste / BAN usage) and of saints, expanded to the full word. */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  bd: 'boulevard', bld: 'boulevard', blvd: 'boulevard', boul: 'boulevard', bvd: 'boulevard',
  av: 'avenue', ave: 'avenue', aven: 'avenue',
  r: 'rue',
  pl: 'place', plc: 'place',
  ch: 'chemin', chem: 'chemin', che: 'chemin',
  imp: 'impasse',
  all: 'allee', al: 'allee',
  crs: 'cours',
  qu: 'quai', qua: 'quai', qai: 'quai',
  rte: 'route',
  sq: 'square',
  tra: 'traverse', trav: 'traverse', tse: 'traverse',
  mte: 'montee',
  res: 'residence',
  fg: 'faubourg', fbg: 'faubourg',
  pte: 'porte',
  prom: 'promenade',
  esp: 'esplanade',
  rpt: 'rond point', rdpt: 'rond point',
  lotiss: 'lotissement',
  hab: 'habitation',
  sen: 'sentier', sent: 'sentier',
  carr: 'carrefour',
  st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes',
  gal: 'general', gen: 'general', mal: 'marechal', pdt: 'president',
  dr: 'docteur', prof: 'professeur', cdt: 'commandant', cne: 'capitaine', lt: 'lieutenant',
  nd: 'notre dame',
};

/** Words that carry nothing for finding a place (articles, prepositions, elided letters). */
const SMALL_WORDS = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'et', 'a', 'au', 'aux', 'en', 'sur', 'the', 'of']);

/** Accents off, lower case, everything but letters and digits a space. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The words of a name or query, folded, abbreviations expanded, small words dropped. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const word of fold(text).split(' ')) {
    if (!word) continue;
    const expanded = own(ABBREVIATIONS, word) ?? word;
    for (const w of expanded.split(' ')) if (!SMALL_WORDS.has(w)) out.push(w);
  }
  return out;
}

/** A house number as written ("12", "12 bis", "12B", "12 ter"): the number and its suffix, folded. */
export interface HouseNumber {
  number: string;
  suffix: string;
}

const SUFFIXES: Readonly<Record<string, string>> = { b: 'bis', bis: 'bis', t: 'ter', ter: 'ter', q: 'quater', quater: 'quater', c: 'c', d: 'd', a: 'a' };

/**
 * Splits a query into its house number (a leading or trailing 1–4 digit number, with bis/ter/…)
 * and the words of the place. A five-digit number is a postcode and stays a word.
 */
export function parseQuery(query: string): { words: string[]; house: HouseNumber | null } {
  const raw = fold(query).split(' ').filter(Boolean);
  let house: HouseNumber | null = null;
  const rest: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const w = raw[i]!;
    const m: RegExpExecArray | null = house ? null : /^(\d{1,4})([a-z]*)$/.exec(w);
    if (m && (m[2] === '' || own(SUFFIXES, m[2]!))) {
      let suffix: string = m[2] ? own(SUFFIXES, m[2])! : '';
      const next = raw[i + 1];
      if (!suffix && next && (next === 'bis' || next === 'ter' || next === 'quater')) {
        suffix = next;
        i++;
      }
      house = { number: String(Number(m[1])), suffix };
      continue;
    }
    rest.push(w);
  }
  return { words: tokens(rest.join(' ')), house };
}

/** A BAN `numero` + `rep` ("12", "bis") in the same form as a query's house number. */
export function houseNumber(numero: string, rep = ''): HouseNumber | null {
  const n = /^\s*(\d{1,5})\s*$/.exec(numero);
  if (!n) return null;
  const r = fold(rep);
  return { number: String(Number(n[1])), suffix: r ? (own(SUFFIXES, r) ?? r) : '' };
}
