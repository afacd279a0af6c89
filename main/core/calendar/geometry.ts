import type { PlannedPlace } from '../../../common/domain/plannedEvent';
import { insidePolygon } from '../annotations/geometry';
import { haversineM } from '../dispatch/eta';

type P = readonly [number, number];
const pt = ([lon, lat]: P) => ({ lon, lat });

function vertices(place: PlannedPlace): P[] {
  return place.type === 'Point' ? [place.coordinates] : place.coordinates[0]!;
}

function contains(place: PlannedPlace, p: P): boolean {
  return place.type === 'Polygon' && insidePolygon(p[0], p[1], place.coordinates[0]!);
}

/**
 * Distance between two places in metres: 0 when one holds a vertex of the other, else the nearest
 * pair of vertices. Over-estimates a little beside long polygon edges, which is fine for a clash
 * distance of a few hundred metres around event sites.
 */
export function placeDistanceM(a: PlannedPlace, b: PlannedPlace): number {
  const va = vertices(a);
  const vb = vertices(b);
  if (va.some((p) => contains(b, p)) || vb.some((p) => contains(a, p))) return 0;
  let best = Infinity;
  for (const p of va) for (const q of vb) best = Math.min(best, haversineM(pt(p), pt(q)));
  return best;
}

/** A point for the map and the list: the point itself, or the vertex average of the outer ring. */
export function placeCentre(place: PlannedPlace): [number, number] {
  if (place.type === 'Point') return place.coordinates;
  const ring = place.coordinates[0]!.slice(0, -1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}
