import { describe, expect, it } from 'vitest';
import type { ParseContext } from './adapter';
import { open311Adapter, type Open311Config } from './open311';
import { fixture } from './fixtures/sharedData';

/**
 * GeoReport v2's own example response to GET Service Requests, in both of its formats
 * (wiki.open311.org/GeoReport_v2; in the JSON one `"service_code":006`, which no JSON reader
 * accepts, is written "006"). The XML, detected by content, must give what the JSON gives.
 */
const ctx = (): ParseContext<Open311Config> => ({ feedId: 'sf311', config: { categories: { '006': 'public_works' } }, receivedAt: Date.UTC(2010, 4, 1) });

describe('Open311 GeoReport v2 in XML', () => {
  it("reads the spec's XML example, detected by content, into the same incidents as its JSON twin", () => {
    const xml = open311Adapter.parse(fixture('open311_georeport_v2_spec.xml'), ctx());
    const json = open311Adapter.parse(fixture('open311_georeport_v2_spec.json'), ctx());
    expect(xml.errors).toEqual([]);
    expect(xml).toEqual(json);
    expect(xml.records).toEqual([
      {
        kind: 'incident', externalId: '638344', category: 'public_works', priority: 4, status: 'closed', title: 'Sidewalk and Curb Issues',
        address: '8TH AVE and JUDAH ST', lon: -122.4651145, lat: 37.762221815, occurredAt: Date.parse('2010-04-14T06:37:38-08:00'),
        closedAt: Date.parse('2010-04-14T06:37:38-08:00'), sourceUpdatedAt: Date.parse('2010-04-14T06:37:38-08:00'),
        // The photo is kept as a reference, fetched only when a person opens it (docs/citizen-reports.md).
        media: [{ url: 'http://city.gov.s3.amazonaws.com/requests/media/638344.jpg', type: 'image' }],
      },
      expect.objectContaining({ externalId: '638349', status: 'new', occurredAt: Date.parse('2010-04-19T06:37:38-08:00') }),
    ]);
    expect(xml.cursor).toBe('2010-04-19T06:37:38-08:00');
    // The agency's notes are not carried.
    expect(JSON.stringify(xml.records)).not.toMatch(/Duplicate request/);
  });

  it('quarantines a bad request without its personal fields and keeps the others', () => {
    const bad = fixture('open311_georeport_v2_spec.xml').replace('<lat>37.762221815</lat>', '<lat>north</lat><email>someone@example.org</email>');
    const res = open311Adapter.parse(bad, ctx());
    expect(res.records.map((r) => (r as { externalId: string }).externalId)).toEqual(['638349']);
    expect(res.errors).toEqual([{ raw: expect.not.stringContaining('someone@example.org'), reason: expect.stringMatching(/^request 0: lat: .*north.* is not a number/) }]);
  });

  it('says what the server answered when it sends the XML error form', () => {
    const res = open311Adapter.parse('<?xml version="1.0" encoding="utf-8"?><errors><error><code>403</code><description>Invalid api_key received</description></error></errors>', ctx());
    expect(res).toEqual({ records: [], errors: [{ raw: expect.any(String), reason: 'the server answered an error: 403 Invalid api_key received' }] });
  });

  it('refuses XML that is not a list of service requests, naming its root', () => {
    const res = open311Adapter.parse('<services><service><service_code>001</service_code></service></services>', ctx());
    expect(res.errors[0]!.reason).toBe('root element <services> is not GeoReport v2 <service_requests>');
  });
});
