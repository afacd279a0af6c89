/** The two area shares the protocol reports: the top 1% and the top 5% of the study area. */
export const AREA_SHARES = [0.01, 0.05] as const;

/** Hits of one window: events inside the top-ranked cells, per area share, and all events. */
export interface WindowHits {
  hits: number[];
  events: number;
}

/**
 * Ranks the study area like the evaluation script (score plus 1e-9 times the cell's hash tie-break,
 * highest first) and counts the window's events in the top share of it.
 * `inArea` selects the cells of the study area; all arrays are aligned to the same cells.
 */
export function windowHits(scores: Float64Array, ties: Float64Array, inArea: (cell: number) => boolean,
  future: Float64Array, futureTotal: number): WindowHits {
  let n = 0;
  for (let c = 0; c < scores.length; c++) if (inArea(c)) n++;
  const area = new Int32Array(n), keys = new Float64Array(n);
  for (let c = 0, k = 0; c < scores.length; c++) if (inArea(c)) { area[k] = c; keys[k++] = scores[c]! + 1e-9 * ties[c]!; }
  // Sorting the keys natively and cutting at a threshold is much faster than sorting cells with a
  // comparator; keys are distinct in practice because the tie-break is added to every one.
  const sorted = keys.slice().sort();
  const hits = AREA_SHARES.map((share) => {
    const top = Math.round(share * n);
    if (top === 0) return 0;
    const threshold = sorted[n - top]!;
    let h = 0;
    for (let k = 0; k < n; k++) if (keys[k]! >= threshold) h += future[area[k]!]!;
    return h;
  });
  return { hits, events: futureTotal };
}

export interface Accuracy {
  /** Share of events in the top 1% / 5% of the area. */
  hitRate: number[];
  /** Predictive accuracy index: hit rate divided by the area share. */
  pai: number[];
  windows: number;
  events: number;
}

/** Pools windows as the script does: total hits over total events. */
export function pool(windows: readonly WindowHits[]): Accuracy {
  const events = windows.reduce((n, w) => n + w.events, 0);
  const hitRate = AREA_SHARES.map((_, k) => (events === 0 ? 0 : windows.reduce((n, w) => n + w.hits[k]!, 0) / events));
  return { hitRate, pai: hitRate.map((h, k) => h / AREA_SHARES[k]!), windows: windows.length, events };
}

/**
 * The cells windowHits counts as flagged at `share` of the area, ranked the same way: 1 where the
 * cell is in the top share, 0 elsewhere (cells outside the area are never flagged).
 */
export function topMask(scores: Float64Array, ties: Float64Array, inArea: (cell: number) => boolean, share: number): Uint8Array {
  const mask = new Uint8Array(scores.length);
  const keys: number[] = [];
  for (let c = 0; c < scores.length; c++) if (inArea(c)) keys.push(scores[c]! + 1e-9 * ties[c]!);
  const top = Math.round(share * keys.length);
  if (top === 0) return mask;
  const threshold = Float64Array.from(keys).sort()[keys.length - top]!;
  for (let c = 0; c < scores.length; c++) if (inArea(c) && scores[c]! + 1e-9 * ties[c]! >= threshold) mask[c] = 1;
  return mask;
}
