/**
 * Metres on a local flat plane around a point (equirectangular): exact enough at city scale, and
 * far cheaper than the great circle (common/geo/distance.ts) in per-frame and per-cell loops. The
 * one place for the metres-per-degree figures that camera cones, CAP circles, annotation circles,
 * the demo's moving units and the forecast grid all use. Positions are [lon, lat] in WGS84 degrees.
 */
export type LonLat = [number, number];

/** Metres per degree of latitude (WGS84, mid-latitudes; the figure the forecast grid is defined with). */
export const M_PER_DEG_LAT = 110_540;

/** Metres per degree of longitude at latitude `lat`. */
export function mPerDegLon(lat: number): number {
  return 111_320 * Math.cos((lat * Math.PI) / 180);
}

/** Distance (m) and bearing (degrees clockwise from north) from `from` to the point (lon, lat). */
export function distanceAndBearing(from: { lon: number; lat: number }, lon: number, lat: number): { distance: number; bearing: number } {
  const dx = (lon - from.lon) * mPerDegLon(from.lat);
  const dy = (lat - from.lat) * M_PER_DEG_LAT;
  return { distance: Math.hypot(dx, dy), bearing: ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360 };
}

/** Metres between two [lon, lat] points, on the plane around the first. */
export function metresBetween(a: readonly [number, number], b: readonly [number, number]): number {
  return distanceAndBearing({ lon: a[0], lat: a[1] }, b[0], b[1]).distance;
}

/** The point `distanceM` metres from (lon, lat) along `bearingRad` (radians clockwise from north). */
export function offsetPoint(lon: number, lat: number, bearingRad: number, distanceM: number): LonLat {
  return [lon + (Math.sin(bearingRad) * distanceM) / mPerDegLon(lat), lat + (Math.cos(bearingRad) * distanceM) / M_PER_DEG_LAT];
}

/**
 * A circle as a ring of `sides` points from due north, clockwise; `closed` repeats the first point
 * at the end (what a GeoJSON ring or a PathLayer outline needs).
 */
export function circleRing([lon, lat]: readonly [number, number], radiusM: number, sides = 64, closed = false): LonLat[] {
  const ring: LonLat[] = [];
  for (let i = 0; i < sides; i++) ring.push(offsetPoint(lon, lat, (2 * Math.PI * i) / sides, radiusM));
  if (closed && ring.length > 0) ring.push(ring[0]!);
  return ring;
}
