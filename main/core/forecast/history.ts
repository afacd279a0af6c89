import { countBefore, type EventTable } from './events';
import { CellHash } from './cellHash';
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
  const hash = new CellHash(cellX, cellY);
  const indexOf = (x: number, y: number) => hash.get(x, y);
  let ties: Float64Array | undefined;
  const neighbourCache = new Map<number, Neighbours>();
  const history: History = {
    events: view, grid, cellOf, cellX, cellY, cellCount: xs.length,
    indexOf,
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
  const offX: number[] = [], offY: number[] = [];
  for (let dx = -r; dx <= r; dx++) for (let dy = -r; dy <= r; dy++) if (dx * dx + dy * dy <= r2) { offX.push(dx); offY.push(dy); }
  const start = new Int32Array(h.cellCount + 1);
  let idx = new Int32Array(h.cellCount * 8), d2 = new Float64Array(h.cellCount * 8), n = 0;
  for (let c = 0; c < h.cellCount; c++) {
    const x = h.cellX[c]!, y = h.cellY[c]!;
    if (n + offX.length > idx.length) {
      const bigger = Math.max(idx.length * 2, n + offX.length);
      const i2 = new Int32Array(bigger); i2.set(idx); idx = i2;
      const d22 = new Float64Array(bigger); d22.set(d2); d2 = d22;
    }
    for (let k = 0; k < offX.length; k++) {
      const dx = offX[k]!, dy = offY[k]!;
      const j = h.indexOf(x + dx, y + dy);
      if (j >= 0) { idx[n] = j; d2[n] = dx * dx + dy * dy; n++; }
    }
    start[c + 1] = n;
  }
  return { start, idx: idx.slice(0, n), d2: d2.slice(0, n) };
}
