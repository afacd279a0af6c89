import { describe, expect, it } from 'vitest';
import { camerasSeeing, conePolygon, seesPoint } from './viewCone';

// A camera on the Vieux-Port looking east, 90° wide, 100 m deep.
const cam = { lon: 5.3747, lat: 43.2951, heading: 90, fieldOfView: 90, range: 100 };
const east = (m: number) => cam.lon + m / (111_320 * Math.cos((cam.lat * Math.PI) / 180));
const north = (m: number) => cam.lat + m / 110_540;

describe('camera view cones', () => {
  it('sees a point straight ahead within range, not one beyond the range', () => {
    expect(seesPoint(cam, east(50), cam.lat)).toBe(true);
    expect(seesPoint(cam, east(150), cam.lat)).toBe(false);
  });

  it('sees a point inside half the field of view, not one behind or beside the cone', () => {
    expect(seesPoint(cam, east(50), north(40))).toBe(true); // 39° off axis
    expect(seesPoint(cam, east(20), north(60))).toBe(false); // 72° off axis
    expect(seesPoint(cam, east(-50), cam.lat)).toBe(false); // behind
  });

  it('handles cones that straddle north', () => {
    const northward = { ...cam, heading: 350, fieldOfView: 40 };
    expect(seesPoint(northward, east(5), north(50))).toBe(true);
    expect(seesPoint(northward, east(-5), north(50))).toBe(true);
    expect(seesPoint(northward, east(40), north(50))).toBe(false);
  });

  it('a camera without heading, angle or range sees nothing and has no cone', () => {
    expect(seesPoint({ lon: cam.lon, lat: cam.lat }, east(1), cam.lat)).toBe(false);
    expect(conePolygon({ lon: cam.lon, lat: cam.lat })).toEqual([]);
  });

  it('the cone ring is closed, starts at the camera and reaches the range along the heading', () => {
    const ring = conePolygon(cam, 2);
    expect(ring[0]).toEqual([cam.lon, cam.lat]);
    expect(ring.at(-1)).toEqual([cam.lon, cam.lat]);
    expect(ring[2]![0]).toBeCloseTo(east(100), 6);
    expect(ring[2]![1]).toBeCloseTo(cam.lat, 6);
  });

  it('lists the cameras that see a point, nearest first', () => {
    const far = { ...cam, id: 'far', lon: east(-60), range: 200 };
    const near = { ...cam, id: 'near' };
    const away = { ...cam, id: 'away', heading: 270 };
    expect(camerasSeeing([far, near, away], east(30), cam.lat).map((c) => c.id)).toEqual(['near', 'far']);
  });
});
