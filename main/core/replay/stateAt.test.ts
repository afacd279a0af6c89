import { describe, expect, it } from 'vitest';
import { Store } from '../store';
import { ingestBatch } from '../ingest/ingest';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { eventsBetween, nextEventTime, pictureAt } from './stateAt';
import { tempDir } from '../../../test/helpers';

const H = 3600_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const incident = (id: string, status: 'new' | 'acknowledged' | 'closed', extra: Record<string, unknown> = {}): FeedRecord => ({
  kind: 'incident', externalId: id, category: 'theft', priority: 3, status, title: id, lon: 5.37, lat: 43.29, occurredAt: T0 + H, ...extra,
}) as FeedRecord;

describe('the picture at an instant', () => {
  it('shows each incident as it stood then, and only while it was open', () => {
    const store = Store.open(tempDir());
    const feed = { id: 'cad', simulated: false };
    const at = (t: number) => ({ eventTime: () => t });
    ingestBatch(store, feed, { records: [incident('A', 'new')], errors: [] }, 0, at(T0 + H));
    ingestBatch(store, feed, { records: [incident('A', 'acknowledged')], errors: [] }, 0, at(T0 + 2 * H));
    ingestBatch(store, feed, { records: [incident('A', 'closed', { closedAt: T0 + 3 * H })], errors: [] }, 0, at(T0 + 3 * H));
    ingestBatch(store, feed, { records: [incident('B', 'new', { occurredAt: T0 + 2.5 * H })], errors: [] }, 0, at(T0 + 2.5 * H));

    expect(pictureAt(store, T0 + 0.5 * H).incidents).toEqual([]);
    expect(pictureAt(store, T0 + 1.5 * H).incidents.map((i) => [i.externalId, i.status])).toEqual([['A', 'new']]);
    expect(pictureAt(store, T0 + 2.7 * H).incidents.map((i) => [i.externalId, i.status])).toEqual([['B', 'new'], ['A', 'acknowledged']]);
    expect(pictureAt(store, T0 + 4 * H).incidents.map((i) => i.externalId)).toEqual(['B']);
    expect(nextEventTime(store, T0 + 2 * H)).toBe(T0 + 2.5 * H);
    expect(eventsBetween(store, T0, T0 + 2.5 * H).map((e) => e.entity)).toEqual(['cad:A', 'cad:A', 'cad:B']);
    store.close();
  });

  it('keeps up with the log: an incident stored after a first seek is in the next one, as it stood', () => {
    const store = Store.open(tempDir());
    const feed = { id: 'cad', simulated: false };
    const at = (t: number) => ({ eventTime: () => t });
    ingestBatch(store, feed, { records: [incident('A', 'new')], errors: [] }, 0, at(T0 + H));
    expect(pictureAt(store, T0 + 3 * H).incidents.map((i) => i.externalId)).toEqual(['A']);
    ingestBatch(store, feed, { records: [incident('B', 'new', { occurredAt: T0 + 2 * H })], errors: [] }, 0, at(T0 + 2 * H));
    ingestBatch(store, feed, { records: [incident('A', 'acknowledged')], errors: [] }, 0, at(T0 + 2.5 * H));
    expect(pictureAt(store, T0 + 3 * H).incidents.map((i) => [i.externalId, i.status])).toEqual([['B', 'new'], ['A', 'acknowledged']]);
    expect(pictureAt(store, T0 + 2.2 * H).incidents.map((i) => [i.externalId, i.status])).toEqual([['B', 'new'], ['A', 'new']]);
    store.close();
  });

  it('puts units where they were, with the trail that led there', () => {
    const store = Store.open(tempDir());
    const feed = { id: 'avl', simulated: false };
    for (let k = 0; k < 10; k++) {
      const unit = { kind: 'unit' as const, unitId: 'PM-01', unitType: 'vehicle' as const, lon: Math.round((5.3 + k * 0.01) * 100) / 100, lat: 43.3, t: T0 + k * 60_000 };
      ingestBatch(store, feed, { records: [unit], errors: [] }, unit.t);
    }
    const picture = pictureAt(store, T0 + 4.5 * 60_000, { trailMinutes: 3 });
    expect(picture.units).toEqual([{ id: 'avl:PM-01', lon: 5.34, lat: 43.3, heading: null, t: T0 + 4 * 60_000, unitType: 'vehicle' }]);
    expect(picture.trails['avl:PM-01']!.map((p) => p.lon)).toEqual([5.32, 5.33, 5.34]);
    store.close();
  });
});
