import type { Annotation } from '../../../common/domain/annotation';
import { haversineM, insidePolygon } from '../../../common/geo/distance';

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
