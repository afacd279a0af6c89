import { distanceAndBearing, offsetPoint } from './local';

/**
 * Camera view cones on the ground: a sector from the camera position, centred on its heading,
 * `fieldOfView` degrees wide and `range` metres long. Local equirectangular metres are exact
 * enough at camera ranges (a few hundred metres).
 */
export interface ConeCamera {
  lon: number;
  lat: number;
  heading?: number | undefined;
  fieldOfView?: number | undefined;
  range?: number | undefined;
}

/** Whether a camera has what a cone needs. */
export function hasCone(c: ConeCamera): c is ConeCamera & { heading: number; fieldOfView: number; range: number } {
  return c.heading !== undefined && c.fieldOfView !== undefined && c.range !== undefined;
}

/** The cone as a closed ring of [lon, lat], `steps` segments along the arc. */
export function conePolygon(c: ConeCamera, steps = 12): [number, number][] {
  if (!hasCone(c)) return [];
  const ring: [number, number][] = [[c.lon, c.lat]];
  const half = Math.min(c.fieldOfView, 360) / 2;
  for (let i = 0; i <= steps; i++) {
    const bearing = ((c.heading - half + (2 * half * i) / steps) * Math.PI) / 180;
    ring.push(offsetPoint(c.lon, c.lat, bearing, c.range));
  }
  ring.push([c.lon, c.lat]);
  return ring;
}

/** True when the point lies inside the camera's cone: within range and within half the field of view of its heading. */
export function seesPoint(c: ConeCamera, lon: number, lat: number): boolean {
  if (!hasCone(c)) return false;
  const { distance, bearing } = distanceAndBearing(c, lon, lat);
  if (distance > c.range) return false;
  if (distance === 0 || c.fieldOfView >= 360) return true;
  const off = Math.abs(((bearing - c.heading + 540) % 360) - 180);
  return off <= c.fieldOfView / 2;
}

/** The cameras whose cone holds the point, nearest first. */
export function camerasSeeing<T extends ConeCamera>(cameras: readonly T[], lon: number, lat: number): (T & { distance: number })[] {
  return cameras
    .filter((c) => seesPoint(c, lon, lat))
    .map((c) => ({ ...c, distance: distanceAndBearing(c, lon, lat).distance }))
    .sort((a, b) => a.distance - b.distance);
}
