import { toEventTable, type EventInput, type EventTable } from './events';
import { makeGrid, type Grid } from './grid';
import { seededRandom } from '../../../common/random';
import { M_PER_DEG_LAT, mPerDegLon } from '../../../common/geo/local';

/** Synthetic incident processes for the tests: seeded, so a failure replays exactly. */
export const rng = seededRandom;

export const DAY = 864e5;
export const T0 = Date.parse('2024-01-01T00:00:00Z');
/** 100 m cells with the origin at (2.3, 48.8): cell (x, y) has its centre at cellCentre(x, y). */
export const GRID: Grid = makeGrid({ lon0: 2.3, lat0: 48.8, cellM: 100 });

export function cellCentre(x: number, y: number): { lon: number; lat: number } {
  return {
    lon: GRID.lon0 + ((x + 0.5) * GRID.cellM) / mPerDegLon(GRID.lat0),
    lat: GRID.lat0 + ((y + 0.5) * GRID.cellM) / M_PER_DEG_LAT,
  };
}

/** A homogeneous Poisson process over `size` x `size` cells and `days` days. */
export function uniformEvents(random: () => number, n: number, size: number, days: number, category = 'theft'): EventInput[] {
  return Array.from({ length: n }, () => ({ t: T0 + random() * days * DAY, ...cellCentre(Math.floor(random() * size), Math.floor(random() * size)), category }));
}

export function table(rows: EventInput[]): EventTable {
  return toEventTable(rows);
}
