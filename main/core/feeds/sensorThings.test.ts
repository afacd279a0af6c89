import { describe, expect, it } from 'vitest';
import type { FeedRecordOf } from '../../../common/domain/feedRecord';
import type { ParseContext, ParseResult } from './adapter';
import { sensorThingsAdapter, sensorThingsNextLink, type SensorThingsConfig } from './sensorThings';
import { mutations } from './fixtures/mutate';
import { fixture, hasSharedData, SHARED_NOTE, sharedFeed } from './fixtures/sharedData';

const RECEIVED = Date.UTC(2024, 9, 17, 10);
const ctx = (config: SensorThingsConfig = {}, receivedAt = RECEIVED): ParseContext<SensorThingsConfig> => ({ feedId: 'sta', config, receivedAt });
const ofKind = <K extends 'sensor' | 'camera'>(res: ParseResult, kind: K): FeedRecordOf<K>[] =>
  res.records.filter((r): r is FeedRecordOf<K> => r.kind === kind);

describe('OGC SensorThings adapter', () => {
  it(`reads the GOST examples assembled as an expanded Thing${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData) skip();
    const ex = JSON.parse(sharedFeed('sensorthings/gost_playground_examples.json'));
    const thing = { ...ex.Thing, Locations: [ex.Location], Datastreams: [{ ...ex.Datastream, ObservedProperty: ex.ObservedProperty, Observations: [ex.Observation] }] };
    const res = sensorThingsAdapter.parse(JSON.stringify({ value: [thing] }), ctx({}, Date.UTC(2016, 4, 10)));
    expect(res.errors).toEqual([]);
    expect(res.records).toEqual([{
      kind: 'sensor', externalId: '5/8', sensorId: '5', name: 'my thermometer', lon: -117.123, lat: 54.123,
      observedProperty: 'air_temperature', value: 38, unit: '°C', t: Date.UTC(2016, 4, 9, 11, 4, 15, 790),
    }]);
    // The Thing's owner is a person: not carried.
    expect(JSON.stringify(res.records)).not.toContain('Bert');
    // The same observation, asked for from the Observations end.
    const obs = { ...ex.Observation, Datastream: { ...ex.Datastream, ObservedProperty: ex.ObservedProperty, Thing: { ...ex.Thing, Locations: [ex.Location] } } };
    expect(sensorThingsAdapter.parse(JSON.stringify({ value: [obs] }), ctx({}, Date.UTC(2016, 4, 10))).records).toEqual(res.records);
  });

  it('reads sensors and cameras from one expanded collection', () => {
    const res = sensorThingsAdapter.parse(fixture('sensorthings_things.json'), ctx());
    expect(ofKind(res, 'sensor')).toEqual([{
      kind: 'sensor', externalId: '101/1011', sensorId: '101', name: 'Station Cinq Avenues', lon: 5.3953, lat: 43.3058,
      observedProperty: 'PM10', value: 24, unit: 'µg/m³', t: Date.UTC(2024, 9, 17, 9),
    }]);
    expect(ofKind(res, 'camera')).toEqual([
      { kind: 'camera', externalId: 'cam-42', name: 'Caméra Vieux-Port 42', lon: 5.3698, lat: 43.2951, heading: 225, fieldOfView: 60, range: 80, status: 'offline', streamUrl: 'rtsp://video.example.org/cam42', t: Date.UTC(2024, 9, 17, 7, 55) },
      { kind: 'camera', externalId: 'cam-43', name: 'Caméra Canebière', lon: 5.379, lat: 43.2975, status: 'unknown', t: RECEIVED },
    ]);
    expect(res.errors.map((e) => e.reason)).toEqual(['value[3]: Thing.Locations: missing or empty; add $expand=Locations to the request']);
    expect(JSON.stringify(res)).not.toContain('Jeanne');
    expect(sensorThingsNextLink(fixture('sensorthings_things.json'))).toMatch(/^https:\/\/sta\.example\.org\/v1\.0\/Things\?\$skip=4/);
  });

  it('follows the configured camera rule, property names and status words', () => {
    const thing = {
      '@iot.id': 9, name: 'PTZ', properties: { kind: 'ptz', azimut: -90, url: 'https://v.example.org/9' },
      Locations: [{ location: { type: 'Point', coordinates: [5.4, 43.3] } }],
      Datastreams: [{ '@iot.id': 1, name: 'health', Observations: [{ phenomenonTime: '2024-10-17T09:00:00Z', result: true }] }],
    };
    const res = sensorThingsAdapter.parse(JSON.stringify(thing), ctx({
      camera: { property: 'kind', values: ['ptz'] }, cameraProperties: { heading: 'azimut', streamUrl: 'url' }, statusProperties: ['health'],
    }));
    expect(res.records).toEqual([expect.objectContaining({ kind: 'camera', heading: 270, status: 'online', streamUrl: 'https://v.example.org/9' })]);
  });

  const thing = (over: Record<string, unknown> = {}, ds: Record<string, unknown> = {}): Record<string, unknown> => ({
    '@iot.id': 1, name: 'T', properties: {}, Locations: [{ location: { type: 'Point', coordinates: [5.4, 43.3] } }],
    Datastreams: [{ '@iot.id': 2, name: 'level', Observations: [{ phenomenonTime: '2024-10-17T09:00:00Z', result: 1.5 }], ...ds }], ...over,
  });

  it.each([
    ['no id', thing({ '@iot.id': undefined }), /^value\[1\]: Thing\.@iot\.id: missing/],
    ['latitude out of range', thing({ Locations: [{ location: { type: 'Point', coordinates: [5.4, 143.3] } }] }), /coordinates\[1\] \(lat\): 143.3 is outside -90…90/],
    ['coordinates as text', thing({ Locations: [{ location: { type: 'Point', coordinates: ['east', 43] } }] }), /coordinates\[0\]: 'east' is not a number/],
    ['a polygon location', thing({ Locations: [{ location: { type: 'Polygon', coordinates: [] } }] }), /location: 'Polygon' geometry; only Point/],
    ['no coordinates', thing({ Locations: [{ location: { type: 'Point' } }] }), /location\.coordinates: is not \[lon, lat\]/],
    ['an observation without time', thing({}, { Observations: [{ result: 3 }] }), /Datastreams\[0\]\.Observations\[0\]\.phenomenonTime: missing/],
    ['an observation in year 2500', thing({}, { Observations: [{ phenomenonTime: '2500-01-01T00:00:00Z', result: 3 }] }), /phenomenonTime: .*too far in the future/],
    // JSON.stringify cannot write Infinity: the placeholder becomes 1e999 in the text below.
    ['an infinite result', thing({}, { Observations: [{ phenomenonTime: '2024-10-17T09:00:00Z', result: '__INF__' }] }), /^value\[1\]: Datastreams\[0\]\.Observations\[0\]\.result: is not a finite number/],
    ['a camera stream that is not a URL', thing({ properties: { type: 'camera', streamUrl: 'javascript:alert(1)' } }), /Thing\.properties\.streamUrl: must be an http\(s\) or rtsp\(s\) URL/],
    ['a camera heading as text', thing({ properties: { type: 'camera', heading: 'north' } }), /Thing\.properties\.heading: 'north' is not a number/],
    ['a camera field of view of 0', thing({ properties: { type: 'camera', fieldOfView: 0 } }), /^value\[1\]: fieldOfView: /],
    ['Datastreams not a list', thing({ Datastreams: { a: 1 } }), /Thing\.Datastreams: an object is not a list/],
    ['an entity of unknown shape', { foo: 1 }, /entity: neither a Thing .* nor an Observation/],
    ['a number', 42, /entity: 42 is not a SensorThings entity/],
  ])('%s: that entity is quarantined with the field named', (_name, bad, reason) => {
    const res = sensorThingsAdapter.parse(JSON.stringify({ value: [thing({ '@iot.id': 'good' }), bad] }).replace('"__INF__"', '1e999'), ctx());
    expect(res.records.map((r) => (r.kind === 'sensor' ? r.sensorId : r.kind))).toEqual(['good']);
    expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(reason)]);
  });

  it('keeps string, boolean and complex results', () => {
    const res = sensorThingsAdapter.parse(JSON.stringify({ value: [
      thing({ '@iot.id': 'a' }, { Observations: [{ phenomenonTime: '2024-10-17T09:00:00Z', result: 'high' }] }),
      thing({ '@iot.id': 'b' }, { Observations: [{ phenomenonTime: '2024-10-17T09:00:00Z', result: false }] }),
      thing({ '@iot.id': 'c' }, { Observations: [{ phenomenonTime: '2024-10-17T09:00:00Z', result: { u: 1, v: 2 } }] }),
    ] }), ctx());
    expect(ofKind(res, 'sensor').map((s) => s.value)).toEqual(['high', false, '{"u":1,"v":2}']);
  });

  it.each([
    ['truncated JSON', fixture('sensorthings_things.json').slice(0, 500), /^not readable as JSON/],
    ['binary garbage', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), /not valid utf-8/],
  ])('refuses %s as one ParseError', (_name, input, reason) => {
    const res = sensorThingsAdapter.parse(input, ctx());
    expect(res.records).toEqual([]);
    expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(reason)]);
  });

  it('never throws on 250 damaged collections', () => {
    for (const input of mutations(fixture('sensorthings_things.json'), 250, 9)) {
      let res: ParseResult | undefined;
      expect(() => { res = sensorThingsAdapter.parse(input, ctx()); }).not.toThrow();
      for (const e of res?.errors ?? []) expect(e.reason).not.toMatch(/internal adapter error/);
    }
  });
});
