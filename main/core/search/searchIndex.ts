import type { SearchHit, SearchKind } from '../../../common/methods/search';
import { parseQuery, tokens as textTokens } from './normalize';
import type { HouseNumber } from './normalize';

/** One placeable thing as the index holds it. */
export interface IndexEntry {
  kind: SearchKind;
  id: string;
  /** What the result list shows ("12 bis Rue Paradis", "Cours Julien"). */
  label: string;
  /** A second line: the district, postcode and commune, a unit's type… */
  detail?: string;
  lon: number;
  lat: number;
  /** The name the query is compared with, when it is not the label (an address: its street). */
  name?: string;
  /** Words that also find it, ranked below the name's own (postcode, commune, quartier, an incident's id). */
  also?: string;
  /** Addresses: the house number. */
  house?: HouseNumber;
}

/** Ties between kinds: what a call-taker most often means comes first. */
const KIND_WEIGHT: Record<SearchKind, number> = { address: 6, street: 6, place: 5, district: 4, stop: 4, incident: 3, unit: 3, camera: 2 };

/**
 * An in-memory inverted index over the words of every entry. A query's words must all be found
 * (in any order), each as a whole word or as the start of one (the user is still typing); results
 * rank by how the whole name matches (exact > starts with the query > all words found), then the
 * house number, whole words over prefixes, fewer words left over, and the kind.
 *
 * Built for 100,000 entries and more; a query touches only the entries holding its rarest word
 * (the prefix-summed posting sizes tell which without reading them). House numbers are most of a
 * city's entries and answer only a query with a number: they are kept out of the word postings
 * and reached by their number instead.
 */
export class SearchIndex {
  private readonly entries: IndexEntry[];
  /**
   * What the word postings point to: an entry that is not an address, or a street's addresses as
   * one group (its words once, its entries by house number), so that "12 rue paradis" reads the
   * few streets named so and then their number 12, never the city's thousands of number 12.
   */
  private readonly docs: { entry: number; houses: Map<string, number[]> | null }[] = [];
  private readonly words: string[][] = [];
  /** How many of a doc's words are its name (the rest are `also`). */
  private readonly nameLength: number[] = [];
  private readonly nameKey: string[] = [];
  /** Every distinct word, sorted: a prefix is a contiguous range of it. */
  private readonly vocabulary: string[];
  private readonly postings: Int32Array[];
  /** cumulative[i] = total posting size of vocabulary[0..i): the size of a prefix's range in O(1). */
  private readonly cumulative: Float64Array;
  private readonly stamp: Uint32Array;
  private generation = 0;

  /** The words of every text this index read: hand it to the next build of a changing set (the live picture) to skip re-reading unchanged texts. */
  readonly wordsOf = new Map<string, string[]>();

  /** No postings: every query reads every entry (a small set rebuilt often, where building postings costs more than scanning). */
  private readonly scan: boolean;

  /**
   * `known`: the words of texts an earlier index read (its `wordsOf`). `options.scan`: no postings,
   * for a few thousand entries that change every few seconds (the live picture).
   */
  constructor(entries: readonly IndexEntry[], known?: ReadonlyMap<string, string[]>, options: { scan?: boolean } = {}) {
    this.scan = options.scan === true;
    this.entries = [...entries];
    const tokens = (text: string): string[] => {
      let w = this.wordsOf.get(text);
      if (!w) this.wordsOf.set(text, (w = known?.get(text) ?? textTokens(text)));
      return w;
    };
    const withAlso = (name: string[], also: string | undefined): string[] => (also ? [...name, ...tokens(also).filter((w) => !name.includes(w))] : name);
    const byWord = new Map<string, number[]>();
    const groups = new Map<string, number>();
    const addDoc = (entry: number, name: string[], all: string[], houses: Map<string, number[]> | null) => {
      const d = this.docs.length;
      this.docs.push({ entry, houses });
      this.words.push(all);
      this.nameLength.push(name.length);
      this.nameKey.push(name.join(' '));
      if (!this.scan) for (const w of new Set(all)) {
        let list = byWord.get(w);
        if (!list) byWord.set(w, (list = []));
        list.push(d);
      }
      return d;
    };
    this.entries.forEach((e, i) => {
      const nameText = e.name ?? e.label;
      if (e.house) {
        const key = `${nameText}|${e.also ?? ''}`;
        let d = groups.get(key);
        if (d === undefined) {
          const name = tokens(nameText);
          groups.set(key, (d = addDoc(i, name, withAlso(name, e.also), new Map())));
        }
        const houses = this.docs[d]!.houses!;
        let list = houses.get(e.house.number);
        if (!list) houses.set(e.house.number, (list = []));
        list.push(i);
        return;
      }
      const name = tokens(nameText);
      addDoc(i, name, withAlso(name, e.also), null);
    });
    this.vocabulary = [...byWord.keys()].sort();
    this.postings = this.vocabulary.map((w) => Int32Array.from(byWord.get(w)!));
    this.cumulative = new Float64Array(this.vocabulary.length + 1);
    for (let i = 0; i < this.postings.length; i++) this.cumulative[i + 1] = this.cumulative[i]! + this.postings[i]!.length;
    this.stamp = new Uint32Array(this.docs.length);
  }

  get size(): number {
    return this.entries.length;
  }

  search(query: string, limit = 10): SearchHit[] {
    const { words, house } = parseQuery(query);
    if (words.length === 0 || this.entries.length === 0) return [];
    const queryKey = words.join(' ');
    const top: { i: number; score: number }[] = [];
    const consider = (i: number, score: number) => {
      if (top.length >= limit && score <= top[top.length - 1]!.score) return;
      insert(top, { i, score }, limit);
    };
    const visit = (d: number) => {
      const doc = this.docs[d]!;
      // Addresses come up only for a house number, and only for theirs: "rue paradis" means the street.
      if (doc.houses && (!house || !doc.houses.has(house.number))) return;
      const text = this.textScore(d, words, queryKey);
      if (text === null) return;
      if (!doc.houses) {
        consider(doc.entry, text + KIND_WEIGHT[this.entries[doc.entry]!.kind] - (house ? 100 : 0));
        return;
      }
      for (const i of doc.houses.get(house!.number)!) {
        consider(i, text + KIND_WEIGHT.address + (this.entries[i]!.house!.suffix === house!.suffix ? 600 : 500));
      }
    };
    if (this.scan) {
      for (let d = 0; d < this.docs.length; d++) visit(d);
      return this.hits(top);
    }
    // Start from the word whose matches are fewest; a word nothing starts with means no result.
    let seedRange: [number, number] | null = null;
    for (const w of words) {
      const r = this.range(w);
      if (r[0] === r[1]) return [];
      if (!seedRange || this.cumulative[r[1]]! - this.cumulative[r[0]]! < this.cumulative[seedRange[1]]! - this.cumulative[seedRange[0]]!) seedRange = r;
    }
    if (!seedRange) return [];
    const gen = this.nextGeneration();
    for (let v = seedRange[0]; v < seedRange[1]; v++) {
      const posting = this.postings[v]!;
      for (let p = 0; p < posting.length; p++) {
        const d = posting[p]!;
        if (this.stamp[d] === gen) continue;
        this.stamp[d] = gen;
        visit(d);
      }
    }
    return this.hits(top);
  }

  private hits(top: { i: number; score: number }[]): SearchHit[] {
    return top.map(({ i, score }) => {
      const e = this.entries[i]!;
      return { kind: e.kind, id: e.id, label: e.label, ...(e.detail ? { detail: e.detail } : {}), lon: e.lon, lat: e.lat, score };
    });
  }

  /** The vocabulary range of the words that start with `prefix`. */
  private range(prefix: string): [number, number] {
    const lo = lowerBound(this.vocabulary, prefix);
    const hi = lowerBound(this.vocabulary, prefix + '\uffff');
    return [lo, hi];
  }

  /** How well a doc's words answer the query's; null: some word is not there. */
  private textScore(d: number, words: string[], queryKey: string): number | null {
    const own = this.words[d]!;
    const nameLength = this.nameLength[d]!;
    let whole = 0;
    let inName = 0;
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      let found = -1;
      let exact = false;
      for (let j = 0; j < own.length; j++) {
        const t = own[j]!;
        if (t === w) {
          found = j;
          exact = true;
          if (j < nameLength) break;
        } else if (found < 0 && t.startsWith(w)) found = j;
      }
      if (found < 0) return null;
      if (exact) whole++;
      if (found < nameLength) inName++;
    }
    const key = this.nameKey[d]!;
    const tier = key === queryKey ? 3 : key.startsWith(queryKey) ? 2 : 1;
    return tier * 1000 + whole * 20 + inName * 10 - Math.max(0, nameLength - inName) * 3;
  }

  private nextGeneration(): number {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keeps `top` sorted by score (descending, then first seen), at most `limit` long. */
function insert(top: { i: number; score: number }[], item: { i: number; score: number }, limit: number): void {
  let at = top.length;
  while (at > 0 && top[at - 1]!.score < item.score) at--;
  if (at >= limit) return;
  top.splice(at, 0, item);
  if (top.length > limit) top.pop();
}
