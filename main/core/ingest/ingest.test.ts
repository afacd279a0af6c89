import { describe, expect, it } from 'vitest';
import { Store } from '../store';
import { geojsonAdapter } from '../feeds/geojson';
import { ingestBatch } from './ingest';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';

const parse = (text: string) => geojsonAdapter.parse(text, { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: Date.parse('2026-11-28T10:05:00Z') });

describe('ingesting a feed batch', () => {
  it('stores the good records and quarantines the malformed one with its raw bytes and reason', () => {
    const store = Store.open(tempDir());
    const bad = { type: 'Feature', id: 'B', geometry: { type: 'Point', coordinates: ['5.37', 43.29] }, properties: { category: 'theft' } };
    const outcome = ingestBatch(store, { id: 'city', simulated: false }, parse(featureCollection([incidentFeature('A'), bad, incidentFeature('C')])), Date.now());
    expect(outcome).toMatchObject({ stored: 2, quarantined: 1 });
    expect(store.incidents.list({ limit: 10 }).map((i) => i.externalId).sort()).toEqual(['A', 'C']);
    const [entry] = store.quarantine.list(10);
    expect(entry!.reason).toMatch(/coordinates/);
    expect(JSON.parse(entry!.raw)).toEqual(bad);
    expect(store.feedState.get('city')).toMatchObject({ stored: 2, quarantined: 1 });
    store.close();
  });

  it('appends one event per real change, and none for a record that changes nothing', () => {
    const store = Store.open(tempDir());
    const feed = { id: 'city', simulated: false };
    ingestBatch(store, feed, parse(featureCollection([incidentFeature('A')])), 1);
    const again = ingestBatch(store, feed, parse(featureCollection([incidentFeature('A')])), 2);
    expect(again).toMatchObject({ stored: 1, unchanged: 1 });
    ingestBatch(store, feed, parse(featureCollection([incidentFeature('A', { status: 'acknowledged' })])), 3);
    const events = store.db.prepare('SELECT kind, entity, payload FROM events ORDER BY seq').all() as { entity: string; payload: string }[];
    expect(events).toHaveLength(2);
    expect(events.map((e) => JSON.parse(e.payload).status)).toEqual(['new', 'acknowledged']);
    expect(store.incidents.get('city:A')).toMatchObject({ status: 'acknowledged', seq: 2 });
    store.close();
  });

  it('gives every event a unique id and a clock that never goes backwards', () => {
    const store = Store.open(tempDir());
    const features = Array.from({ length: 50 }, (_, i) => incidentFeature(`X${i}`));
    ingestBatch(store, { id: 'city', simulated: false }, parse(featureCollection(features)), 1);
    const rows = store.db.prepare('SELECT uid, hlc FROM events ORDER BY seq').all() as { uid: string; hlc: string }[];
    expect(new Set(rows.map((r) => r.uid)).size).toBe(50);
    const sorted = [...rows.map((r) => r.hlc)].sort();
    expect(rows.map((r) => r.hlc)).toEqual(sorted);
    expect(new Set(sorted).size).toBe(50);
    store.close();
  });
});

describe('ingesting units, cameras and alerts', () => {
  const feed = { id: 'avl', simulated: false };
  const unit = (t: number, extra: Record<string, unknown> = {}) => ({ kind: 'unit' as const, unitId: 'PM-01', callsign: 'PM 01', unitType: 'vehicle' as const, lon: 5.37 + t / 1e6, lat: 43.29, t, status: 'available', ...extra });

  it('keeps every position in the compact trail table but logs only changes of status', () => {
    const store = Store.open(tempDir());
    for (let t = 1000; t <= 5000; t += 1000) ingestBatch(store, feed, { records: [unit(t)], errors: [] }, t);
    ingestBatch(store, feed, { records: [unit(6000, { status: 'en_route' })], errors: [] }, 6000);
    expect(store.db.prepare("SELECT count(*) FROM events WHERE kind = 'unit.upsert'").pluck().get()).toBe(2);
    expect(store.units.trails(0)['avl:PM-01']).toHaveLength(6);
    expect(store.units.list()[0]).toMatchObject({ callsign: 'PM 01', status: 'en_route', t: 6000 });
    // A late report extends the trail but does not move the unit back.
    ingestBatch(store, feed, { records: [unit(2500)], errors: [] }, 7000);
    expect(store.units.list()[0]!.t).toBe(6000);
    expect(store.units.trails(0)['avl:PM-01']!.map((p) => p.t)).toEqual([1000, 2000, 2500, 3000, 4000, 5000, 6000]);
    store.close();
  });

  it('logs a camera once, and again only when something about it changes', () => {
    const store = Store.open(tempDir());
    const camera = (status: 'online' | 'fault', t: number) => ({ kind: 'camera' as const, externalId: 'C1', lon: 5.37, lat: 43.29, heading: 90, fieldOfView: 60, range: 80, status, t });
    ingestBatch(store, feed, { records: [camera('online', 1)], errors: [] }, 1);
    const again = ingestBatch(store, feed, { records: [camera('online', 2)], errors: [] }, 2);
    expect(again.unchanged).toBe(1);
    const fault = ingestBatch(store, feed, { records: [camera('fault', 3)], errors: [] }, 3);
    expect(fault.changedCameras[0]).toMatchObject({ id: 'avl:C1', status: 'fault' });
    expect(store.db.prepare("SELECT count(*) FROM events WHERE kind = 'camera.upsert'").pluck().get()).toBe(2);
    store.close();
  });

  it('takes a cancelled or replaced CAP alert out of the current list, keeping it in the log', () => {
    const store = Store.open(tempDir());
    const alert = (id: string, msgType: 'Alert' | 'Update' | 'Cancel', references: string[] = [], expires?: number) => ({
      kind: 'alert' as const, externalId: id, alertId: id, msgType, status: 'Actual' as const, references, sent: 1_000, categories: ['Met'], event: 'Vent violent',
      severity: 'Severe' as const, urgency: 'Expected' as const, certainty: 'Likely' as const, areaDesc: 'Marseille', polygons: [], circles: [], geocodes: [], ...(expires ? { expires } : {}),
    });
    ingestBatch(store, feed, { records: [alert('A1', 'Alert'), alert('OLD', 'Alert', [], 5_000)], errors: [] }, 1_000);
    expect(store.alerts.list(2_000).map((a) => a.alertId).sort()).toEqual(['A1', 'OLD']);
    expect(store.alerts.list(6_000).map((a) => a.alertId)).toEqual(['A1']);
    ingestBatch(store, feed, { records: [alert('A2', 'Update', ['A1'])], errors: [] }, 2_000);
    expect(store.alerts.list(2_000).map((a) => a.alertId).sort()).toEqual(['A2', 'OLD']);
    const cancel = ingestBatch(store, feed, { records: [alert('A3', 'Cancel', ['A2'])], errors: [] }, 3_000);
    expect(cancel.changedAlerts.map((a) => [a.alertId, a.cancelled])).toEqual(expect.arrayContaining([['A2', true], ['A3', true]]));
    expect(store.alerts.list(3_000).map((a) => a.alertId)).toEqual(['OLD']);
    expect(store.alerts.list(3_000, new Set(), true)).toHaveLength(4);
    store.close();
  });
});
