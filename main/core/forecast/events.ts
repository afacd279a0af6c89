/**
 * Incidents as the forecasters see them: columnar, sorted by time, nothing but time, place and
 * category. Area-level forecasting needs no more, and must not be given more (no person fields).
 */
export interface EventTable {
  /** Milliseconds since the epoch (UTC), ascending. */
  readonly t: Float64Array;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  /** Index into `categories`. */
  readonly category: Int32Array;
  readonly categories: readonly string[];
  readonly length: number;
}

export interface EventInput {
  t: number;
  lon: number;
  lat: number;
  category: string;
}

/** Builds a table sorted by time (stable, so equal times keep their input order). */
export function toEventTable(rows: readonly EventInput[]): EventTable {
  const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.t - rows[b]!.t || a - b);
  const categories: string[] = [];
  const catIndex = new Map<string, number>();
  const n = rows.length;
  const t = new Float64Array(n), lon = new Float64Array(n), lat = new Float64Array(n), category = new Int32Array(n);
  order.forEach((src, i) => {
    const r = rows[src]!;
    let c = catIndex.get(r.category);
    if (c === undefined) { c = categories.length; categories.push(r.category); catIndex.set(r.category, c); }
    t[i] = r.t; lon[i] = r.lon; lat[i] = r.lat; category[i] = c;
  });
  return { t, lon, lat, category, categories, length: n };
}

/** Number of events strictly before `at` (the table is sorted, so this is a binary search). */
export function countBefore(events: EventTable, at: number): number {
  let lo = 0, hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events.t[mid]! < at) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** The events strictly before `at`, as views on the same buffers: no copy. */
export function eventsBefore(events: EventTable, at: number): EventTable {
  const n = countBefore(events, at);
  return {
    t: events.t.subarray(0, n), lon: events.lon.subarray(0, n), lat: events.lat.subarray(0, n),
    category: events.category.subarray(0, n), categories: events.categories, length: n,
  };
}
