import { describe, expect, it } from 'vitest';
import type { FeedRecordOf } from '../../../common/domain/feedRecord';
import type { ParseContext, ParseResult } from './adapter';
import { open311Adapter, type Open311Config } from './open311';
import { mutations } from './fixtures/mutate';
import { fixture, hasSharedData, SHARED_NOTE, sharedFeed } from './fixtures/sharedData';

const RECEIVED = Date.UTC(2024, 9, 17, 10);
const ctx = (config: Open311Config = {}, receivedAt = RECEIVED): ParseContext<Open311Config> => ({ feedId: 'o311', config, receivedAt });
const incidents = (res: ParseResult): FeedRecordOf<'incident'>[] => res.records.filter((r): r is FeedRecordOf<'incident'> => r.kind === 'incident');
const one = (fields: Record<string, unknown>): string => JSON.stringify([{
  service_request_id: 'X1', status: 'open', service_name: 'Pothole', requested_datetime: '2024-10-17T08:00:00+02:00',
  updated_datetime: '2024-10-17T08:30:00+02:00', lat: 43.3, long: 5.4, ...fields,
}]);

describe('Open311 GeoReport v2 adapter', () => {
  it(`reads the Chicago sample: a closed pothole request${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData) skip();
    const res = open311Adapter.parse(sharedFeed('open311/chicago_georeport_v2_request_sample.json'), ctx({
      categories: { '4fd3b656e750846c53000004': 'traffic_offence' },
    }, Date.UTC(2016, 0, 1)));
    expect(res.errors).toEqual([]);
    expect(incidents(res)).toEqual([{
      kind: 'incident', externalId: '14-00684314', category: 'traffic_offence', priority: 4, status: 'closed',
      title: 'Pothole in Street', address: '1200 W 81ST ST, CHICAGO, IL, 60620', lon: -87.6536401592609, lat: 41.74685764200721,
      occurredAt: Date.UTC(2014, 4, 10, 0, 2, 21), closedAt: Date.UTC(2015, 9, 10, 15, 15, 40), sourceUpdatedAt: Date.UTC(2015, 9, 10, 15, 15, 40),
    }]);
    expect(res.cursor).toBe('2015-10-10T10:15:40-05:00');
    // status_notes is agency free text: not carried.
    expect(JSON.stringify(res.records)).not.toContain('CDOT Inspect');
  });

  it('maps statuses, drops personal fields, and sets the cursor to the latest update', () => {
    const res = open311Adapter.parse(fixture('open311_requests.json'), ctx({ categories: { ABV: 'vehicle_removal', Noise: 'noise' }, priorities: { noise: 3 } }));
    expect(incidents(res).map((r) => [r.externalId, r.status, r.category, r.priority])).toEqual([
      ['VIG-1001', 'new', 'vehicle_removal', 4],
      ['VIG-1002', 'acknowledged', 'noise', 3],
      ['VIG-1003', 'closed', 'other', 4],
    ]);
    expect(incidents(res)[0]).toMatchObject({ lat: 43.2965, lon: 5.3698, occurredAt: Date.UTC(2024, 9, 16, 19, 10) });
    expect(incidents(res)[2]?.closedAt).toBe(Date.UTC(2024, 9, 16, 12));
    expect(res.cursor).toBe('2024-10-17T01:05:00+02:00');
    const stored = JSON.stringify(res.records);
    for (const personal of ['Marie', 'marie@example.org', '+33 6', 'Jean Exemple']) expect(stored).not.toContain(personal);
    // The photo is kept as a reference only (issue 22): fetched, cleaned, when a person opens it.
    expect(incidents(res)[0]?.media).toEqual([{ url: 'https://example.org/photo.jpg', type: 'image' }]);
    // The request that has only a token is quarantined, with a reason that says it will come back.
    expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(/^request 3: service_request_id: missing: the request has only a token/)]);
  });

  it('keeps personal fields out of the quarantined raw text too', () => {
    const res = open311Adapter.parse(one({ lat: 'north', email: 'a@b.c', first_name: 'Ann', description: 'Tall man, blue coat' }), ctx());
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]?.raw).not.toMatch(/a@b\.c|Ann|Tall man/);
    expect(res.errors[0]?.raw).toContain('"service_request_id":"X1"');
  });

  it('honours a configured status and refuses an unmapped one, saying what to configure', () => {
    expect(incidents(open311Adapter.parse(one({ status: 'Dispatched' }), ctx({ statuses: { dispatched: 'dispatched' } })))[0]?.status).toBe('dispatched');
    const res = open311Adapter.parse(one({ status: 'pending_review' }), ctx());
    expect(res.errors[0]?.reason).toBe(`request 0: status: 'pending_review' is not mapped; add it to "statuses" in the feed config`);
  });

  it('refuses a status that names what every object inherits, as unmapped, with or without configured statuses', () => {
    for (const status of ['constructor', 'toString', '__proto__']) {
      for (const config of [{}, { statuses: { dispatched: 'dispatched' } }] as Open311Config[]) {
        const res = open311Adapter.parse(one({ status }), ctx(config));
        expect(res.records, status).toEqual([]);
        expect(res.errors[0]?.reason, status).toBe(`request 0: status: '${status.toLowerCase()}' is not mapped; add it to "statuses" in the feed config`);
      }
    }
  });

  it.each([
    ['no coordinates', { lat: undefined, long: undefined }, /lat\/long: missing: the request has no coordinates/],
    ['latitude not a number', { lat: 'north' }, /^request 0: lat: 'north' is not a number/],
    ['latitude out of range', { lat: 123.4 }, /^request 0: lat: 123.4 is outside -90…90/],
    ['swapped coordinates', { lat: -122.33, long: 47.61 }, /^request 0: lat: -122.33 is outside -90…90 \(longitude and latitude swapped\?\)/],
    ['NaN longitude', { long: 'NaN' }, /^request 0: long: 'NaN' is not a number/],
    ['longitude as an object', { long: { x: 1 } }, /^request 0: long: an object is not a number/],
    ['time without offset', { requested_datetime: '2024-10-17T08:00:00' }, /requested_datetime: .*no UTC offset/],
    ['time in seconds', { requested_datetime: 1729152000 }, /requested_datetime: 1729152000 is not a date-time string/],
    ['time far in the future', { requested_datetime: '2124-10-17T08:00:00Z' }, /requested_datetime: .*too far in the future/],
    ['impossible date', { requested_datetime: '2024-02-30T08:00:00Z' }, /requested_datetime: .*not a real date/],
    ['no status', { status: null }, /status: missing/],
    ['id as an object', { service_request_id: { a: 1 } }, /service_request_id: missing/],
  ])('%s: that request is quarantined with the field named', (_name, fields, reason) => {
    const good = JSON.parse(one({ service_request_id: 'GOOD' }))[0];
    const bad = JSON.parse(one(fields))[0];
    const res = open311Adapter.parse(JSON.stringify([good, bad]), ctx());
    expect(incidents(res).map((r) => r.externalId)).toEqual(['GOOD']);
    expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(reason.source.startsWith('^') ? new RegExp(reason.source.replace('request 0', 'request 1')) : reason)]);
  });

  it('interprets times without offset as UTC only when the feed says so', () => {
    const res = open311Adapter.parse(one({ requested_datetime: '2024-10-17 08:00:00', updated_datetime: '2024-10-17 08:30' }), ctx({ timesAreUtc: true }));
    expect(incidents(res)[0]?.occurredAt).toBe(Date.UTC(2024, 9, 17, 8));
    expect(res.cursor).toBe('2024-10-17 08:30');
  });

  it('refuses a duplicate id in one batch but keeps the first', () => {
    const a = JSON.parse(one({}))[0];
    const res = open311Adapter.parse(JSON.stringify([a, a]), ctx());
    expect(incidents(res)).toHaveLength(1);
    expect(res.errors[0]?.reason).toMatch(/^request 1: service_request_id: 'X1' appears twice in this batch/);
  });

  it('does not let an absurd updated_datetime move the cursor', () => {
    const res = open311Adapter.parse(JSON.stringify([JSON.parse(one({}))[0], JSON.parse(one({ service_request_id: 'X2', updated_datetime: '2999-01-01T00:00:00Z' }))[0]]), ctx());
    expect(res.cursor).toBe('2024-10-17T08:30:00+02:00');
  });

  it.each([
    ['truncated JSON', fixture('open311_requests.json').slice(0, 300), /^not readable as JSON/],
    ['an object', '{"requests": []}', /expected a JSON array of service requests, got an object/],
    ['a server error', '[{"code":403,"description":"Invalid api_key"}]', /the server answered an error: 403 Invalid api_key/],
    ['binary garbage', new Uint8Array([0, 159, 146, 150, 255]), /not valid utf-8/],
  ])('refuses %s as one ParseError', (_name, input, reason) => {
    const res = open311Adapter.parse(input, ctx());
    expect(res.records).toEqual([]);
    expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(reason)]);
  });

  it('accepts an empty list and a BOM', () => {
    expect(open311Adapter.parse('\uFEFF[]', ctx())).toEqual({ records: [], errors: [] });
  });

  it('quarantines array entries that are not objects, one by one', () => {
    const res = open311Adapter.parse('[1, null, "x", [], {}]', ctx());
    expect(res.errors.map((e) => e.reason)).toEqual([
      'request 0: request: 1 is not a service request object',
      'request 1: request: null is not a service request object',
      "request 2: request: 'x' is not a service request object",
      'request 3: request: an array is not a service request object',
      'request 4: service_request_id: missing',
    ]);
  });

  it('never throws on 250 damaged versions of a valid response, and reads 50,000 requests quickly', () => {
    const valid = fixture('open311_requests.json');
    for (const input of mutations(valid, 250, 11)) {
      let res: ParseResult | undefined;
      expect(() => { res = open311Adapter.parse(input, ctx()); }).not.toThrow();
      for (const e of res?.errors ?? []) expect(e.reason).not.toMatch(/internal adapter error/);
    }
    const big = JSON.stringify(Array.from({ length: 50_000 }, (_, i) => JSON.parse(one({ service_request_id: `R${i}` }))[0]));
    const t0 = performance.now();
    const res = open311Adapter.parse(big, ctx());
    expect(res.records).toHaveLength(50_000);
    // Guards against quadratic blow-up (100× slower), not a speed target: generous for loaded machines.
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});
