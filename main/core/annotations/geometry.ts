import type { Annotation } from '../../../common/domain/annotation';
import { haversineM } from '../dispatch/eta';

/** Ray casting on lon/lat: exact enough for city-sized polygons away from the poles and the antimeridian. */
export function insidePolygon(lon: number, lat: number, ring: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function insideFence(fence: Annotation, lon: number, lat: number): boolean {
  if (fence.shape === 'circle') {
    const [clon, clat] = fence.coordinates[0]!;
    return haversineM({ lon: clon, lat: clat }, { lon, lat }) <= (fence.radiusM ?? 0);
  }
  return fence.shape === 'polygon' && insidePolygon(lon, lat, fence.coordinates);
}

export function isActive(a: Annotation, now: number): boolean {
  return !a.deleted && (a.validFrom === undefined || a.validFrom <= now) && (a.validTo === undefined || now < a.validTo);
}
