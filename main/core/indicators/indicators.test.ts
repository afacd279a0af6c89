import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../../common/domain/indicator';
import { EventBus } from '../bus';
import type { CallContext } from '../rpc';
import { geojsonAdapter } from '../feeds/geojson';
import { storeAndPublish } from '../feeds/scheduler';
import { Store } from '../store';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';
import { districtsFrom } from './districts';
import { IndicatorService } from './indicators';

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const WEEK = 7 * 24 * 3_600_000;
// A Wednesday afternoon; history goes back eight weeks at the same hour.
const NOW = Date.UTC(2026, 10, 25, 15, 30);

const square = (name: string, lon: number, lat: number) => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]] },
  properties: { name },
});
const PANIER: [number, number] = [5.365, 43.295];
const districts = districtsFrom({ features: [square('Le Panier', 5.36, 43.29), square('Noailles', 5.38, 43.29)] });

const rixes: Indicator = {
  id: 'rixes',
  label: 'Rixes',
  category: 'public_order',
  window: 'hour',
  threshold: { kind: 'multiple', factor: 3, minCount: 5 },
  sheet: '# Rixes\n\n1. Call the **duty officer**\n2. Bring up camera CAM-12',
};

function setup(indicators: Indicator[] = [rixes]) {
  const store = Store.open(tempDir());
  const bus = new EventBus();
  const pushed: unknown[] = [];
  bus.subscribe((event, payload) => event === 'indicator.alert' && pushed.push(payload));
  const service = new IndicatorService(store, bus, () => districts, indicators);
  let n = 0;
  const incidents = (count: number, at: number, where: [number, number] = PANIER) => {
    const features = Array.from({ length: count }, () => incidentFeature(`i${n++}`, { occurredAt: new Date(at).toISOString() }, where));
    storeAndPublish({ store, bus }, { id: 'city', simulated: false }, geojsonAdapter.parse(featureCollection(features), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: at }), at);
  };
  // The usual level: two fights an hour on Wednesday afternoons in Le Panier.
  for (let k = 1; k <= 8; k++) incidents(2, NOW - k * WEEK - 10 * 60_000);
  return { store, service, pushed, incidents };
}

describe('district indicators', () => {
  it('learns the usual level for that hour and weekday and stays quiet on a normal day', () => {
    const { service, pushed, incidents } = setup();
    incidents(2, NOW - 10 * 60_000);
    expect(service.readings(NOW)).toEqual([{ indicatorId: 'rixes', district: 'Le Panier', count: 2, usual: 2, above: false, planned: [], thresholdFactor: 1 }]);
    expect(service.evaluate(NOW)).toEqual([]);
    expect(pushed).toEqual([]);
  });

  it('raises one alert with its reflex sheet when a burst crosses the threshold, not one per evaluation', () => {
    const { service, pushed, incidents } = setup();
    incidents(7, NOW - 10 * 60_000);
    const raised = service.evaluate(NOW);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ indicatorId: 'rixes', district: 'Le Panier', count: 7, usual: 2, sheet: rixes.sheet });
    incidents(3, NOW - 5 * 60_000);
    expect(service.evaluate(NOW + 60_000)).toEqual([]);
    expect(service.alerts(10)).toHaveLength(1);
    expect(pushed).toHaveLength(1);
  });

  it('does not alert below the minimum count, even far above a quiet usual level', () => {
    const { service, incidents } = setup();
    incidents(4, NOW - 10 * 60_000, [5.385, 43.295]);
    expect(service.readings(NOW).find((r) => r.district === 'Noailles')).toMatchObject({ count: 4, usual: 0, above: false });
    expect(service.evaluate(NOW)).toEqual([]);
  });

  it('an absolute threshold fires without any history', () => {
    const store = Store.open(tempDir());
    const service = new IndicatorService(store, new EventBus(), () => districts, [{ ...rixes, threshold: { kind: 'absolute', count: 3 } }]);
    const at = NOW - 60_000;
    const features = [0, 1, 2].map((i) => incidentFeature(`a${i}`, { occurredAt: new Date(at).toISOString() }, PANIER));
    storeAndPublish({ store, bus: new EventBus() }, { id: 'city', simulated: false }, geojsonAdapter.parse(featureCollection(features), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: at }), at);
    expect(service.evaluate(NOW)).toMatchObject([{ district: 'Le Panier', count: 3, usual: null }]);
  });

  it('a supervisor acknowledges the alert once; the acknowledgement is journaled and pushed', () => {
    const { store, service, pushed, incidents } = setup();
    incidents(7, NOW - 10 * 60_000);
    const [alert] = service.evaluate(NOW);
    const acked = service.acknowledge(supervisor, alert!.seq);
    expect(acked).toMatchObject({ acknowledgedBy: 'jdupont' });
    expect(service.alerts(10)[0]).toMatchObject({ seq: alert!.seq, acknowledgedBy: 'jdupont' });
    expect(pushed).toHaveLength(2);
    expect(store.audit.list({ limit: 10 }).map((e) => [e.user, e.action, e.target])).toContainEqual(['jdupont', 'indicator.acknowledge', 'rixes@Le Panier']);
    expect(() => service.acknowledge(supervisor, alert!.seq)).toThrow(/already acknowledged by jdupont/);
    expect(() => service.acknowledge(supervisor, 999_999)).toThrow(/No indicator alert 999999/);
  });

  it('edits by a supervisor replace the deployed indicators, are journaled, and refuse duplicate ids', () => {
    const { store, service } = setup();
    expect(service.list().map((i) => i.id)).toEqual(['rixes']);
    service.save(supervisor, [{ ...rixes, id: 'vols', category: 'theft' }]);
    expect(service.list().map((i) => i.id)).toEqual(['vols']);
    expect(store.audit.list({ limit: 10 }).map((e) => e.action)).toContain('indicators.save');
    expect(() => service.save(supervisor, [rixes, rixes])).toThrow(/"rixes" is used twice/);
    expect(service.list().map((i) => i.id)).toEqual(['vols']);
  });
});
