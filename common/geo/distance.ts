/**
 * Distances on the ground, shared by dispatch (ETA), annotations (geofences) and the events
 * calendar (clashes). Positions are [lon, lat] in WGS84 degrees.
 */
export type Position = readonly [number, number];

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres. */
export function haversineM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Ray casting on lon/lat: exact enough for city-sized polygons away from the poles and the antimeridian. */
export function insidePolygon(lon: number, lat: number, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A place as distance needs it: a point, a line (a closed street) or a polygon's outer ring. */
export type Shape = { type: 'Point'; coordinates: Position } | { type: 'LineString'; coordinates: readonly Position[] } | { type: 'Polygon'; coordinates: readonly (readonly Position[])[] };

type XY = [number, number];

/**
 * Shortest distance in metres between two shapes: 0 when they touch, cross or one holds the
 * other; else the least point-to-segment distance between them. Computed on a local
 * equirectangular plane around the shapes (under 0.1 % off over a city), not between vertices
 * only: two closures crossing like a "+" are 0 m apart, a point beside a long street is its
 * perpendicular distance, not the distance to the street's ends.
 */
export function shapeDistanceM(a: Shape, b: Shape): number {
  const lat0 = (firstLat(a) + firstLat(b)) / 2;
  const kx = (Math.PI / 180) * EARTH_RADIUS_M * Math.cos((lat0 * Math.PI) / 180);
  const ky = (Math.PI / 180) * EARTH_RADIUS_M;
  const project = (p: Position): XY => [p[0] * kx, p[1] * ky];
  const pa = points(a).map(project);
  const pb = points(b).map(project);
  if (a.type === 'Polygon' && pb.some((p) => insideXY(p, pa))) return 0;
  if (b.type === 'Polygon' && pa.some((p) => insideXY(p, pb))) return 0;
  const sa = segments(pa, a.type);
  const sb = segments(pb, b.type);
  for (const [p, q] of sa) for (const [r, s] of sb) if (segmentsIntersect(p, q, r, s)) return 0;
  let best = Infinity;
  for (const p of pa) for (const [r, s] of sb) best = Math.min(best, pointSegment(p, r, s));
  for (const p of pb) for (const [r, s] of sa) best = Math.min(best, pointSegment(p, r, s));
  // Two points (no segments on either side).
  if (best === Infinity) for (const p of pa) for (const q of pb) best = Math.min(best, Math.hypot(p[0] - q[0], p[1] - q[1]));
  return best;
}

function firstLat(s: Shape): number {
  return points(s)[0]?.[1] ?? 0;
}

function points(s: Shape): readonly Position[] {
  return s.type === 'Point' ? [s.coordinates] : s.type === 'LineString' ? s.coordinates : (s.coordinates[0] ?? []);
}

/** A point is a segment of length zero, so that a point and a line still measure point-to-segment. */
function segments(pts: XY[], type: Shape['type']): [XY, XY][] {
  if (type === 'Point') return pts.map((p) => [p, p]);
  const out: [XY, XY][] = [];
  for (let i = 0; i + 1 < pts.length; i++) out.push([pts[i]!, pts[i + 1]!]);
  return out;
}

function insideXY([x, y]: XY, ring: XY[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function pointSegment([px, py]: XY, [ax, ay]: XY, [bx, by]: XY): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function cross(o: XY, a: XY, b: XY): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Proper crossing or touching (collinear overlap included). */
function segmentsIntersect(p: XY, q: XY, r: XY, s: XY): boolean {
  const d1 = cross(r, s, p);
  const d2 = cross(r, s, q);
  const d3 = cross(p, q, r);
  const d4 = cross(p, q, s);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const on = (a: XY, b: XY, c: XY) => Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
  return (d1 === 0 && on(r, s, p)) || (d2 === 0 && on(r, s, q)) || (d3 === 0 && on(p, q, r)) || (d4 === 0 && on(p, q, s));
}
