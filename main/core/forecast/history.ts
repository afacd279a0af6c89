import { countBefore, type EventTable } from './events';
import { cellKey, tieBreak, type Grid } from './grid';

/**
 * What every model forecasts from: the events before the forecast time, each placed in its grid
 * cell, and the set of cells that hold at least one of them. Models score exactly those cells:
 * the protocol's study area is a subset of them, and a cell where nothing was ever recorded gives
 * no evidence of its own.
 */
export interface History {
  readonly events: EventTable;
  readonly grid: Grid;
  /** Cell of each event, as an index into `cellX`/`cellY`. */
  readonly cellOf: Int32Array;
  readonly cellX: Int32Array;
  readonly cellY: Int32Array;
  readonly cellCount: number;
  /** Index of cell (x, y), or -1 when no event of the history lies in it. */
  indexOf(x: number, y: number): number;
  /** The evaluation script's tie-break value of each cell (computed once, on demand). */
  tieBreaks(): Float64Array;
  /** Neighbour lists within `radius` cells (a disc), built once per radius. */
  neighbours(radius: number): Neighbours;
  /** The same history cut at `at` (events strictly before it), sharing the event cells. */
  before(at: number): History;
}

/** Compressed rows: cell i's neighbours are idx[start[i]..start[i+1]), at squared distance d2 in cells². */
export interface Neighbours {
  start: Int32Array;
  idx: Int32Array;
  d2: Float64Array;
}

/** Grid position of every event, computed once per table and grid. */
export interface EventCells {
  x: Int32Array;
  y: Int32Array;
}

export function locateEvents(events: EventTable, grid: Grid): EventCells {
  const x = new Int32Array(events.length), y = new Int32Array(events.length);
  for (let i = 0; i < events.length; i++) { x[i] = grid.cellX(events.lon[i]!); y[i] = grid.cellY(events.lat[i]!); }
  return { x, y };
}

/** The history of `events` before `at` on `grid`. Pass `located` when cutting one table many times. */
export function makeHistory(events: EventTable, grid: Grid, at: number, located = locateEvents(events, grid)): History {
  const n = countBefore(events, at);
  const view: EventTable = {
    t: events.t.subarray(0, n), lon: events.lon.subarray(0, n), lat: events.lat.subarray(0, n),
    category: events.category.subarray(0, n), categories: events.categories, length: n,
  };
  const index = new Map<number, number>();
  const cellOf = new Int32Array(n);
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = located.x[i]!, y = located.y[i]!, key = cellKey(x, y);
    let c = index.get(key);
    if (c === undefined) { c = xs.length; index.set(key, c); xs.push(x); ys.push(y); }
    cellOf[i] = c;
  }
  const cellX = Int32Array.from(xs), cellY = Int32Array.from(ys);
  let ties: Float64Array | undefined;
  const neighbourCache = new Map<number, Neighbours>();
  const history: History = {
    events: view, grid, cellOf, cellX, cellY, cellCount: xs.length,
    indexOf: (x, y) => index.get(cellKey(x, y)) ?? -1,
    tieBreaks: () => (ties ??= Float64Array.from(xs, (x, i) => tieBreak(x, ys[i]!))),
    neighbours(radius) {
      let nb = neighbourCache.get(radius);
      if (!nb) { nb = buildNeighbours(history, radius); neighbourCache.set(radius, nb); }
      return nb;
    },
    before: (cut) => makeHistory(events, grid, Math.min(cut, at), located),
  };
  return history;
}

function buildNeighbours(h: History, radius: number): Neighbours {
  const r = Math.floor(radius), r2 = radius * radius;
  const offsets: Array<[number, number, number]> = [];
  for (let dx = -r; dx <= r; dx++) for (let dy = -r; dy <= r; dy++) if (dx * dx + dy * dy <= r2) offsets.push([dx, dy, dx * dx + dy * dy]);
  const start = new Int32Array(h.cellCount + 1);
  const idx: number[] = [], d2: number[] = [];
  for (let c = 0; c < h.cellCount; c++) {
    const x = h.cellX[c]!, y = h.cellY[c]!;
    for (const [dx, dy, d] of offsets) {
      const j = h.indexOf(x + dx, y + dy);
      if (j >= 0) { idx.push(j); d2.push(d); }
    }
    start[c + 1] = idx.length;
  }
  return { start, idx: Int32Array.from(idx), d2: Float64Array.from(d2) };
}

/** Events of `events` in [from, to) counted per cell of `history` (events outside its cells are dropped). */
export function countInCells(history: History, events: EventTable, located: EventCells, from: number, to: number): { perCell: Float64Array; total: number } {
  const perCell = new Float64Array(history.cellCount);
  let total = 0;
  for (let i = countBefore(events, from); i < events.length && events.t[i]! < to; i++) {
    total++;
    const c = history.indexOf(located.x[i]!, located.y[i]!);
    if (c >= 0) perCell[c]! += 1;
  }
  return { perCell, total };
}
