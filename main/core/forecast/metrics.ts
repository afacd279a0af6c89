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
  const area: number[] = [];
  for (let c = 0; c < scores.length; c++) if (inArea(c)) area.push(c);
  const key = new Float64Array(scores.length);
  for (const c of area) key[c] = scores[c]! + 1e-9 * ties[c]!;
  area.sort((a, b) => key[b]! - key[a]!);
  const hits = AREA_SHARES.map((share) => {
    const top = Math.round(share * area.length);
    let h = 0;
    for (let i = 0; i < top; i++) h += future[area[i]!]!;
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
