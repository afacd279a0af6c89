import { M_PER_DEG_LAT, mPerDegLon } from '../../../common/geo/local';

/**
 * The forecast grid of the evaluation protocol (shared/tools/forecast-eval.mjs):
 *   x = floor((lon - lon0) * 111320 * cos(lat0 in radians) / cellM)
 *   y = floor((lat - lat0) * 110540 / cellM)
 * The factors are computed in exactly the script's order so that an event on a cell edge lands in
 * the same cell here and there (floating point is not associative); common/geo/local.ts's
 * mPerDegLon and M_PER_DEG_LAT are these two figures, computed in that order.
 */
export interface GridSpec {
  lon0: number;
  lat0: number;
  cellM: number;
}

export interface Grid extends GridSpec {
  cellX(lon: number): number;
  cellY(lat: number): number;
}

export function makeGrid(spec: GridSpec): Grid {
  if (!(spec.cellM > 0)) throw new Error(`cell size must be a positive number of metres, got ${spec.cellM}`);
  const kx = mPerDegLon(spec.lat0) / spec.cellM;
  const ky = M_PER_DEG_LAT / spec.cellM;
  return {
    ...spec,
    cellX: (lon) => Math.floor((lon - spec.lon0) * kx),
    cellY: (lat) => Math.floor((lat - spec.lat0) * ky),
  };
}

/** The origin the evaluation script picks: the minimum lon and lat, floored to 0.1 degree. */
export function protocolOrigin(lon: ArrayLike<number>, lat: ArrayLike<number>): { lon0: number; lat0: number } {
  let minLon = Infinity, minLat = Infinity;
  for (let i = 0; i < lon.length; i++) { minLon = Math.min(minLon, lon[i]!); minLat = Math.min(minLat, lat[i]!); }
  if (!Number.isFinite(minLon)) throw new Error('cannot place a grid origin: there are no events');
  return { lon0: Math.floor(minLon * 10) / 10, lat0: Math.floor(minLat * 10) / 10 };
}

// Cells are packed into one number so maps and sets stay numeric. |x|, |y| < 2^25 covers a
// 1 m grid over 30 000 km, far beyond any city.
const SPAN = 2 ** 26, HALF = 2 ** 25;
export const cellKey = (x: number, y: number): number => (x + HALF) * SPAN + (y + HALF);
export const keyX = (key: number): number => Math.floor(key / SPAN) - HALF;
export const keyY = (key: number): number => (key % SPAN) - HALF;

/** The evaluation script's tie-break: FNV-1a of "x,y", scaled to [0, 1). Reproduced so rankings agree. */
export function tieBreak(x: number, y: number): number {
  const s = `${x},${y}`;
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}
