import { describe, expect, it } from 'vitest';
import { haversineM } from './distance';
import { circleRing, distanceAndBearing, metresBetween, offsetPoint } from './local';

// The independent oracle is the great circle (haversine): over a city the plane must agree with it
// within 1 % (110,540 m per degree of latitude is the equator's figure, about 0.6 % short at 43° N),
// which is what every map circle, cone and merge radius relies on.
const MARSEILLE = { lon: 5.3698, lat: 43.2965 };

describe('metres on the local plane (common/geo/local.ts)', () => {
  it('agrees with the great circle within 1 % up to 10 km, in every direction', () => {
    for (const bearing of [0, 45, 90, 135, 180, 225, 270, 315]) {
      for (const d of [10, 300, 2_000, 10_000]) {
        const [lon, lat] = offsetPoint(MARSEILLE.lon, MARSEILLE.lat, (bearing * Math.PI) / 180, d);
        const great = haversineM(MARSEILLE, { lon, lat });
        expect(Math.abs(great - d) / d, `${d} m at ${bearing}°`).toBeLessThan(0.01);
        expect(metresBetween([MARSEILLE.lon, MARSEILLE.lat], [lon, lat])).toBeCloseTo(d, 6);
        const back = distanceAndBearing(MARSEILLE, lon, lat);
        expect(back.distance).toBeCloseTo(d, 6);
        expect(back.bearing % 360).toBeCloseTo(bearing, 6);
      }
    }
  });

  it('gives a bearing clockwise from north: a point due east is at 90°, due south at 180°', () => {
    expect(distanceAndBearing(MARSEILLE, MARSEILLE.lon + 0.01, MARSEILLE.lat).bearing).toBeCloseTo(90, 9);
    expect(distanceAndBearing(MARSEILLE, MARSEILLE.lon, MARSEILLE.lat - 0.01).bearing).toBeCloseTo(180, 9);
    expect(distanceAndBearing(MARSEILLE, MARSEILLE.lon - 0.01, MARSEILLE.lat).bearing).toBeCloseTo(270, 9);
  });

  it('draws a circle whose every point is the radius away on the ground, closed when asked', () => {
    const ring = circleRing([MARSEILLE.lon, MARSEILLE.lat], 500, 48);
    expect(ring).toHaveLength(48);
    for (const [lon, lat] of ring) expect(Math.abs(haversineM(MARSEILLE, { lon, lat }) - 500)).toBeLessThan(5);
    // Starts due north, goes clockwise (east next).
    expect(ring[0]![0]).toBeCloseTo(MARSEILLE.lon, 12);
    expect(ring[12]![1]).toBeCloseTo(MARSEILLE.lat, 12);
    expect(ring[12]![0]).toBeGreaterThan(MARSEILLE.lon);
    const closed = circleRing([MARSEILLE.lon, MARSEILLE.lat], 500, 48, true);
    expect(closed).toHaveLength(49);
    expect(closed[48]).toEqual(closed[0]);
  });
});
