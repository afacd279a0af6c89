import { describe, expect, it } from 'vitest';
import { haversineM } from '../../../common/geo/distance';
import { buildRoadGraph } from './roadGraph';
import { parseMaxspeed, speedKmh } from './roadRules';
import { Router } from './router';

type P = [number, number];
const at = ([lon, lat]: P) => ({ lon, lat });
const way = (coords: P[], tags: Record<string, string>) => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: tags });

describe('raw OSM ways (osmium, ogr2ogr): split at shared vertices, oneway tags honoured', () => {
  // A two-way street P0–P1–P2, and a one-way "-1" street drawn P3→P1 (so drivable P1→P3 only), crossing at P1.
  const P0: P = [2.09, 48.89], P1: P = [2.091, 48.89], P2: P = [2.092, 48.89], P3: P = [2.091, 48.891];
  const router = new Router(buildRoadGraph([
    way([P0, P1, P2], { highway: 'residential', name: 'Rue A' }),
    way([P3, P1], { highway: 'residential', oneway: '-1', name: 'Rue B' }),
    way([P2, [2.093, 48.891]], { highway: 'footway' }),
    { type: 'Feature', geometry: { type: 'Point', coordinates: P0 }, properties: { highway: 'bus_stop' } },
  ] as never[]).graph);

  it('turns at the shared vertex of two ways, in the direction oneway=-1 allows, and lets walkers go both ways', () => {
    const len = haversineM(at(P0), at(P1)) + haversineM(at(P1), at(P3));
    expect(router.route('vehicle', at(P0), at(P3))!.distanceM).toBeCloseTo(len, 3);
    expect(router.route('vehicle', at(P0), at(P3))!.timeS).toBeCloseTo(len / (30 / 3.6), 3); // residential: 30 km/h
    expect(router.route('vehicle', at(P3), at(P0))).toBeNull();
    expect(router.route('foot', at(P3), at(P0))!.distanceM).toBeCloseTo(len, 3);
    // Footways are for walkers only.
    expect(router.snap('vehicle', 2.093, 48.891, 5)).toBeNull();
    expect(router.snap('foot', 2.093, 48.891, 5)).not.toBeNull();
  });

  it('says which feature is not a road line when none is', () => {
    expect(() => buildRoadGraph([{ type: 'Feature', geometry: { type: 'Point', coordinates: P0 }, properties: { highway: 'bus_stop' } }] as never[])).toThrow(/no road lines: every feature was skipped \(feature 0: a Point geometry, not a LineString\)/);
  });
});

describe('maxspeed as OSM writes it (wiki Key:maxspeed)', () => {
  it('reads km/h, mph, French named limits and OSMnx lists; falls back to the class otherwise', () => {
    expect(parseMaxspeed('50')).toBe(50);
    expect(parseMaxspeed('30 mph')).toBeCloseTo(48.28, 2);
    expect(parseMaxspeed('FR:urban')).toBe(50);
    expect(parseMaxspeed('FR:zone30')).toBe(30);
    expect(parseMaxspeed('none')).toBeNull();
    // A tag naming what every object inherits is no named limit (it read as Object's constructor).
    for (const tag of ['constructor', '__proto__', 'toString']) expect(parseMaxspeed(tag), tag).toBeNull();
    expect(speedKmh('vehicle', { highway: 'primary', maxspeed: 'constructor' })).toBe(speedKmh('vehicle', { highway: 'primary' }));
    expect(speedKmh('vehicle', { highway: 'primary', maxspeed: "['70', '45']" })).toBe(45);
    expect(speedKmh('vehicle', { highway: 'primary', maxspeed: 'signals' })).toBe(50);
    expect(speedKmh('vehicle', { highway: "['residential', 'service']" })).toBe(20);
    expect(speedKmh('vehicle', { highway: "['footway', 'steps']" })).toBeNull();
    expect(speedKmh('foot', { highway: "['footway', 'steps']" })).toBe(5);
    expect(speedKmh('foot', { highway: 'motorway' })).toBeNull();
  });
});
