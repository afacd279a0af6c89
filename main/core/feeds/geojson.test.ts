import { describe, expect, it } from 'vitest';
import { geojsonAdapter } from './geojson';
import { featureCollection, incidentFeature } from '../../../test/helpers';

const ctx = (options?: unknown) => ({ feedId: 'f', config: geojsonAdapter.configSchema.parse(options), receivedAt: 1_700_000_000_000 });

describe('GeoJSON incidents adapter', () => {
  it('reads a FeatureCollection with the usual property names', () => {
    const { records, errors } = geojsonAdapter.parse(featureCollection([incidentFeature('A', { address: 'Quai des Belges' })]), ctx());
    expect(errors).toEqual([]);
    expect(records).toEqual([
      expect.objectContaining({ kind: 'incident', externalId: 'A', category: 'public_order', priority: 2, status: 'new', address: 'Quai des Belges', lon: 5.3747, lat: 43.2951, occurredAt: Date.parse('2026-11-28T10:00:00Z') }),
    ]);
  });

  it('reads newline-delimited features and keeps going past a broken line', () => {
    const text = [JSON.stringify(incidentFeature('A')), '{"type":"Feature", broken', JSON.stringify(incidentFeature('B'))].join('\n');
    const { records, errors } = geojsonAdapter.parse(text, ctx());
    expect(records.map((r) => (r.kind === 'incident' ? r.externalId : ''))).toEqual(['A', 'B']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.raw).toBe('{"type":"Feature", broken');
    expect(errors[0]!.reason).toMatch(/not valid JSON/);
  });

  it('names the field in each rejection', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...incidentFeature('A'), geometry: { type: 'Polygon', coordinates: [] } }, /Point geometry/],
      [incidentFeature('B', {}, [43.29, 95.1] as [number, number]), /outside WGS84/],
      [incidentFeature('C', { priority: 9 }), /priority/],
      [incidentFeature('D', { status: 'weird' }), /status: "weird".*statusMap/],
      [incidentFeature('E', { occurredAt: 'yesterday' }), /time: "yesterday"/],
      [{ type: 'Feature', geometry: { type: 'Point', coordinates: [5, 43] }, properties: { category: 'x' } }, /^id: missing/],
      ['just a string', /not a GeoJSON Feature/],
    ];
    const { records, errors } = geojsonAdapter.parse(featureCollection(cases.map(([f]) => f)), ctx());
    expect(records).toEqual([]);
    expect(errors.map((e) => e.reason)).toEqual(cases.map(([, pattern]) => expect.stringMatching(pattern)));
  });

  it('maps feed-specific property names and status words from the feed options', () => {
    const feature = { type: 'Feature', geometry: { type: 'Point', coordinates: [5.4, 43.3] }, properties: { ref: 'R-9', nature: 'fire', etat: 'en cours', quand: 1_700_000_000 } };
    const options = { fields: { id: ['ref'], category: ['nature'], status: ['etat'], time: ['quand'] }, statusMap: { 'en cours': 'on_scene' } };
    const { records, errors } = geojsonAdapter.parse(JSON.stringify(feature), ctx(options));
    expect(errors).toEqual([]);
    expect(records[0]).toMatchObject({ externalId: 'R-9', category: 'fire', status: 'on_scene', occurredAt: 1_700_000_000_000 });
  });

  it('turns a payload that is not GeoJSON at all into one error, without throwing', () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0x0a, 0x7b]);
    const { records, errors } = geojsonAdapter.parse(bytes, ctx());
    expect(records).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
  });
});
