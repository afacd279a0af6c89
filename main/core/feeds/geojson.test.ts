import { describe, expect, it } from 'vitest';
import { geojsonAdapter } from './geojson';
import { featureCollection, incidentFeature } from '../../../test/helpers';

const ctx = (options?: unknown) => ({ feedId: 'f', config: geojsonAdapter.configSchema.parse(options), receivedAt: Date.UTC(2026, 10, 28, 12) });

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
      [incidentFeature('E', { occurredAt: 'yesterday' }), /time: 'yesterday' is not an ISO 8601 date-time/],
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

  it('refuses a time without a UTC offset unless the feed says its times are UTC, and absurd times', () => {
    const at = (occurredAt: unknown) => featureCollection([incidentFeature('T', { occurredAt })]);
    expect(geojsonAdapter.parse(at('2026-11-28T09:00:00'), ctx()).errors[0]!.reason).toMatch(/has no UTC offset; add one at the source, or set the feed's times to UTC/);
    expect(geojsonAdapter.parse(at('2026-11-28T09:00:00'), ctx({ timesAreUtc: true })).records[0]).toMatchObject({ occurredAt: Date.UTC(2026, 10, 28, 9) });
    expect(geojsonAdapter.parse(at('2026-11-28T10:00:00+01:00'), ctx()).records[0]).toMatchObject({ occurredAt: Date.UTC(2026, 10, 28, 9) });
    expect(geojsonAdapter.parse(at('3026-01-01T00:00:00Z'), ctx()).errors[0]!.reason).toMatch(/too far in the future/);
    expect(geojsonAdapter.parse(at(86_400), ctx()).errors[0]!.reason).toMatch(/before 1990/);
  });

  it('turns a payload that is not GeoJSON at all into one error, without throwing', () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0x0a, 0x7b]);
    const { records, errors } = geojsonAdapter.parse(bytes, ctx());
    expect(records).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('media of a GeoJSON report (issue 22)', () => {
  it('kept as references only when IT maps the property; other schemes and junk are not kept', () => {
    const feature = incidentFeature('M1', { photos: ['https://city.example/p/1.jpg', { url: 'https://city.example/v/2.mp4', type: 'video/mp4' }, 'file:///etc/passwd', 'javascript:alert(1)'] });
    expect(geojsonAdapter.parse(featureCollection([feature]), ctx()).records[0]).not.toHaveProperty('media');
    const { records } = geojsonAdapter.parse(featureCollection([feature]), ctx({ fields: { media: ['photos'] } }));
    expect((records[0] as { media?: unknown }).media).toEqual([
      { url: 'https://city.example/p/1.jpg', type: 'image' },
      { url: 'https://city.example/v/2.mp4', type: 'video' },
    ]);
  });
});
