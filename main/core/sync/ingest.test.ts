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
