import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { feature } from 'topojson-client';
import { clipLand, naturalEarthLand } from './cityPack';
import type { BBox } from '../../../common/geo/clip';

const require = createRequire(import.meta.url);

/** The coastline as it was cut before: the whole world's land converted by topojson-client, then clipped. */
function wholeWorldThenClip(bounds: BBox) {
  const topology = require('world-atlas/land-10m.json');
  return clipLand(feature(topology, topology.objects.land) as never, bounds);
}

describe('the offline coastline (Natural Earth land around a city)', () => {
  // Marseille with its islands (Frioul, Riou), Copenhagen among the Danish islands, Honolulu (an
  // island in open sea), Istanbul on two continents, and the middle of the Atlantic with no land at all.
  const places: [string, BBox][] = [
    ['Marseille', [4.7, 42.6, 6.1, 43.9]],
    ['Copenhagen', [11.9, 55.3, 13.1, 56.0]],
    ['Honolulu', [-158.4, 21.1, -157.5, 21.8]],
    ['Istanbul', [28.5, 40.8, 29.5, 41.4]],
    ['mid-Atlantic', [-40, 30, -39, 31]],
  ];
  it.each(places)('around %s is the same land, polygon for polygon, as converting the whole world first', (name, bounds) => {
    const expected = wholeWorldThenClip(bounds);
    const land = naturalEarthLand(bounds);
    expect(land).toEqual(expected);
    if (name === 'mid-Atlantic') expect(land.features).toHaveLength(0);
    else expect(land.features.length).toBeGreaterThan(0);
  });
});
