import path from 'node:path';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';
import { OperatorActions } from '../actions/operatorActions';
import { EventBus } from '../bus';
import { buildCityPack } from '../city/packBuild';
import type { CallContext } from '../rpc';
import { TRAVEL } from '../dispatch/eta';
import { geojsonAdapter } from '../feeds/geojson';
import { storeAndPublish } from '../feeds/scheduler';
import { sharedDataDir } from '../paths';
import { Store } from '../store';
import { packRouter } from './packRouter';
import { packEtaModel } from './roadEta';

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const CHATEAU: [number, number] = [2.0958, 48.8979]; // Saint-Germain-en-Laye, the château
const REUNION = { lon: 55.45, lat: -20.9 }; // ≈ 9,300 km away: a unit whose feed put it elsewhere

function setup(packDir?: string) {
  const store = Store.open(tempDir());
  const bus = new EventBus();
  const actions = new OperatorActions(store, bus, packEtaModel(packDir));
  const feedIncident = (at: [number, number]) =>
    storeAndPublish({ store, bus }, { id: 'city', simulated: false }, geojsonAdapter.parse(featureCollection([incidentFeature('A', { category: 'fire' }, at)]), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: Date.now() }), Date.now());
  const feedUnits = (units: { id: string; lon: number; lat: number; type?: 'vehicle' | 'person' }[]) =>
    storeAndPublish({ store, bus }, { id: 'avl', simulated: false }, { records: units.map((u) => ({ kind: 'unit' as const, unitId: u.id, callsign: u.id, unitType: u.type ?? 'vehicle', lon: u.lon, lat: u.lat, t: Date.now() })), errors: [] }, Date.now());
  return { store, actions, feedIncident, feedUnits };
}

describe('the straight-line fallback has a plausibility cap', () => {
  it('never recommends a unit thousands of kilometres away, and refuses to assign it with what to check', () => {
    const { store, actions, feedIncident, feedUnits } = setup();
    feedIncident([5.3747, 43.2951]);
    feedUnits([{ id: 'FAR-1', ...REUNION }, { id: 'PM-1', lon: 5.4, lat: 43.31 }]);
    const ranking = actions.recommend(supervisor, 'city:A');
    expect(ranking.model).toBe('straight-line-v1');
    expect(ranking.units.map((u) => [u.callsign, u.assignable, u.via, u.tooFar ?? false])).toEqual([['PM-1', true, 'straight-line', false], ['FAR-1', false, 'straight-line', true]]);
    expect(() => actions.assign(supervisor, 'city:A', 'avl:FAR-1', 'closest')).toThrow(/FAR-1 is \d+ km away, beyond where a unit of its kind can plausibly come from; check its position feed/);
    store.close();
  });
});

const shared = sharedDataDir();
const ROADS = shared ? path.join(shared, 'roads', 'st_germain_en_laye_roads_osm.geojson') : null;
const SKIP = ROADS && fs.existsSync(ROADS) ? '' : ' (skipped: ../shared/data/roads is absent)';

describe.skipIf(SKIP !== '')(`dispatch ranks by drive time over the real Saint-Germain-en-Laye roads${SKIP}`, () => {
  let pack = '';
  beforeAll(() => {
    pack = path.join(tempDir('vigie-roads-'), 'pack');
    buildCityPack({ out: pack, id: 'sgl', name: 'Saint-Germain-en-Laye', attribution: ['© OpenStreetMap contributors'], roads: ROADS! });
  }, 60_000);

  it('gives each unit the drive time of its own fastest route, ranks by it, and draws the first routes', () => {
    const { store, actions, feedIncident, feedUnits } = setup(pack);
    feedIncident(CHATEAU);
    let seed = 17;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const units = Array.from({ length: 40 }, (_, i) => ({ id: `U-${String(i).padStart(2, '0')}`, lon: 2.06 + random() * 0.05, lat: 48.88 + random() * 0.04 }));
    feedUnits([...units, { id: 'FAR-1', ...REUNION }, { id: 'PED-1', lon: 2.0975, lat: 48.8985, type: 'person' }]);
    const ranking = actions.recommend(supervisor, 'city:A');
    expect(ranking.model).toBe('road-network-v1');
    const router = packRouter(pack)!;
    const incident = { lon: CHATEAU[0], lat: CHATEAU[1] };
    let byRoad = 0;
    for (const u of ranking.units.filter((x) => x.unitType === 'vehicle' && x.via === 'road')) {
      byRoad++;
      const pos = units.find((x) => `avl:${x.id}` === u.unitId)!;
      // One search from the incident over the reversed graph must agree with a forward search from each unit.
      const own = router.route('vehicle', pos, incident)!;
      expect(u.distanceM, u.callsign).toBe(Math.round(own.distanceM));
      expect(Math.abs(u.etaS - Math.round(TRAVEL.vehicle.startS + own.timeS)), u.callsign).toBeLessThanOrEqual(1);
    }
    expect(byRoad).toBeGreaterThan(30);
    const assignable = ranking.units.filter((u) => u.assignable);
    expect(assignable.map((u) => u.score)).toEqual([...assignable.map((u) => u.score)].sort((a, b) => a - b));
    // Roads reorder units: some unit nearer in a straight line comes after one farther away.
    const straight = (u: { unitId: string }) => { const p = units.find((x) => `avl:${x.id}` === u.unitId); return p ? Math.hypot((p.lon - incident.lon) * 0.66, p.lat - incident.lat) : Infinity; };
    const vehicles = assignable.filter((u) => u.unitType === 'vehicle');
    expect(vehicles.some((u, i) => i > 0 && straight(u) < straight(vehicles[i - 1]!))).toBe(true);
    // The far unit is listed last, by straight line, and never recommended.
    expect(ranking.units.at(-1)).toMatchObject({ callsign: 'FAR-1', via: 'straight-line', tooFar: true, assignable: false });
    // The first three assignable units with a road ETA carry their route, from the unit to the incident.
    const routed = ranking.units.filter((u) => u.route);
    expect(routed.map((u) => u.rank)).toEqual(assignable.filter((u) => u.via === 'road').slice(0, 3).map((u) => u.rank));
    for (const u of routed) expect(u.route!.at(-1)).toEqual(CHATEAU);
    store.close();
  });
});

describe.skipIf(SKIP !== '')(`coverage over the real Saint-Germain-en-Laye roads${SKIP}`, () => {
  it('colours each street by the first band whose time reaches both its ends, from the units available now only', async () => {
    const pack = path.join(tempDir('vigie-roads-'), 'pack');
    buildCityPack({ out: pack, id: 'sgl', name: 'Saint-Germain-en-Laye', attribution: [], roads: ROADS! });
    const { coverage } = await import('./coverage');
    const router = packRouter(pack)!;
    const now = Date.now();
    const unit = (id: string, lon: number, lat: number, status?: string) => ({ id: `avl:${id}`, feedId: 'avl', unitId: id, callsign: id, unitType: 'vehicle' as const, lon, lat, t: now, simulated: false, updatedAt: now, seq: 1, ...(status ? { status } : {}) });
    const c = coverage(router, [unit('PM-1', CHATEAU[0], CHATEAU[1]), unit('PM-2', 2.06, 48.88, 'sur place')], [], now);
    expect(c).toMatchObject({ roads: true, units: 1, bandsS: [300, 600, 900] });
    expect(new Set(c.lines.map((l) => l.band))).toEqual(new Set([0, 1, 2]));
    // Each segment's band agrees with a route from the unit to its far end (start-up minute included).
    for (const l of c.lines.filter((_, i) => i % 40 === 0)) {
      const ends = [l.path[0]!, l.path.at(-1)!].map(([lon, lat]) => router.route('vehicle', { lon: CHATEAU[0], lat: CHATEAU[1] }, { lon, lat })?.timeS ?? Infinity);
      const foot = [l.path[0]!, l.path.at(-1)!].some(([lon, lat]) => !router.snap('vehicle', lon, lat, 1));
      if (foot) continue; // a segment only walkers use has no drive time to compare with
      const t = Math.max(...ends) + TRAVEL.vehicle.startS;
      expect(t, JSON.stringify(l.path[0])).toBeLessThanOrEqual(c.bandsS[l.band]! + 1);
      if (l.band > 0) expect(t).toBeGreaterThan(c.bandsS[l.band - 1]! - 1);
    }
    // The busy unit out in the forest adds nothing: with it alone, nothing is covered.
    expect(coverage(router, [unit('PM-2', 2.06, 48.88, 'sur place')], [], now).lines).toHaveLength(0);
  }, 60_000);
});
