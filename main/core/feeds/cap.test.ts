import { describe, expect, it } from 'vitest';
import type { FeedRecordOf } from '../../../common/domain/feedRecord';
import type { ParseContext, ParseResult } from './adapter';
import { capAdapter, capIndexLinks, type CapConfig } from './cap';
import { mutations } from './fixtures/mutate';
import { fixture, hasSharedData, SHARED_NOTE, sharedFeed } from './fixtures/sharedData';

const RECEIVED = Date.UTC(2024, 9, 17, 10, 0, 0);
const ctx = (config: CapConfig = {}, receivedAt = RECEIVED): ParseContext<CapConfig> => ({ feedId: 'cap-test', config, receivedAt });
const alerts = (res: ParseResult): FeedRecordOf<'alert'>[] => res.records.filter((r): r is FeedRecordOf<'alert'> => r.kind === 'alert');

describe('CAP adapter', () => {
  it(`reads the OASIS Amber alert example: two languages, listed by geocode, not drawn${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData) skip();
    const res = capAdapter.parse(sharedFeed('cap/cap_amber_alert_example.xml'), ctx({}, Date.UTC(2003, 5, 12)));
    expect(res.errors).toEqual([]);
    const [en, es] = alerts(res);
    expect(alerts(res)).toHaveLength(2);
    expect(en).toMatchObject({
      alertId: 'KAR0-0306112239-SW', externalId: 'KAR0-0306112239-SW#0.0', msgType: 'Alert', status: 'Actual',
      sent: Date.UTC(2003, 5, 12, 5, 39), language: 'en-US', event: 'Child Abduction', severity: 'Severe',
      urgency: 'Immediate', certainty: 'Likely', areaDesc: 'Los Angeles County', polygons: [], circles: [],
      geocodes: [{ valueName: 'SAME', value: '006037' }], issuer: 'Los Angeles Police Dept - LAPD', categories: ['Rescue'],
    });
    expect(es?.language).toBe('es-US');
    // Minimisation: neither the sender mailbox nor the contact (officer and phone) is carried.
    const json = JSON.stringify(res.records);
    expect(json).not.toContain('KARO@CLETS');
    expect(json).not.toContain('485-2389');
  });

  it(`keeps only the preferred language when one is configured${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData) skip();
    const res = capAdapter.parse(sharedFeed('cap/cap_amber_alert_example.xml'), ctx({ languages: ['es', 'en'] }, Date.UTC(2003, 5, 12)));
    expect(alerts(res).map((a) => a.language)).toEqual(['es-US']);
    expect(alerts(res)[0]?.externalId).toBe('KAR0-0306112239-SW');
  });

  it('turns an update into one record per area: polygon, circle, and geocode only', () => {
    const res = capAdapter.parse(fixture('cap12_update_polygon.xml'), ctx());
    expect(res.errors).toEqual([]);
    const [poly, circle, listed] = alerts(res);
    expect(poly).toMatchObject({
      externalId: 'VIGIE-TEST-FLOOD-0002#0.0', msgType: 'Update', references: ['VIGIE-TEST-FLOOD-0001'],
      sent: Date.UTC(2024, 9, 17, 4, 30), expires: Date.UTC(2024, 9, 18, 4, 0), event: "Crue de l'Huveaune",
      headline: 'Vigilance orange crues & inondations', description: 'Montée rapide des eaux <prévue> dans la matinée.',
      categories: ['Met', 'Safety'], severity: 'Severe',
    });
    expect(poly?.polygons).toEqual([[[5.4, 43.27], [5.45, 43.28], [5.44, 43.3], [5.39, 43.29], [5.4, 43.27]]]);
    expect(circle?.circles).toEqual([{ lon: 5.4372, lat: 43.2915, radiusM: 2500 }]);
    expect(listed).toMatchObject({ polygons: [], circles: [], geocodes: [{ valueName: 'INSEE', value: '13211' }] });
    expect(JSON.stringify(res.records)).not.toContain('04 00 00 00 00');
  });

  it('reads CAP 1.1 with prefixes, folds "Very Likely" into Likely and closes an open ring', () => {
    const res = capAdapter.parse(fixture('cap11_prefixed.xml'), ctx());
    expect(res.errors).toEqual([]);
    const [a] = alerts(res);
    expect(a).toMatchObject({ alertId: 'VIGIE-TEST-FIRE-11', status: 'Exercise', certainty: 'Likely', language: 'en-US', sent: Date.UTC(2024, 6, 1, 14) });
    expect(a?.polygons[0]).toHaveLength(4);
    expect(a?.polygons[0]?.[0]).toEqual(a?.polygons[0]?.[3]);
  });

  it('passes a cancel without info on, with all the alerts it cancels', () => {
    const res = capAdapter.parse(fixture('cap_cancel.xml'), ctx());
    expect(res.errors).toEqual([]);
    expect(alerts(res)).toEqual([expect.objectContaining({
      msgType: 'Cancel', externalId: 'VIGIE-TEST-FLOOD-0003', references: ['VIGIE-TEST-FLOOD-0001', 'VIGIE-TEST-FLOOD-0002'], areaDesc: '',
    })]);
  });

  it('lists the alert links of an Atom index, preferring the CAP link and refusing file: URLs', () => {
    const links = capIndexLinks(fixture('cap_index.atom'));
    expect(links).toEqual([
      { url: 'https://alerts.example.org/cap/VIGIE-TEST-FLOOD-0002.xml', id: 'https://alerts.example.org/cap/VIGIE-TEST-FLOOD-0002.xml', updated: Date.UTC(2024, 9, 17, 4, 31) },
      { url: '/cap/VIGIE-TEST-FLOOD-0003.xml', id: 'urn:vigie:test:0003', updated: Date.UTC(2024, 9, 17, 10, 1) },
    ]);
    // Parsing the index itself yields nothing to store and nothing wrong, and says what it read.
    expect(capAdapter.parse(fixture('cap_index.atom'), ctx())).toEqual({ records: [], errors: [], ignored: { 'index entries: links only': 3 } });
  });

  it('lists the alert links of an RSS index, link or CAP enclosure', () => {
    expect(capIndexLinks(fixture('cap_index.rss'))).toEqual([
      { url: 'https://alerts.example.org/cap/VIGIE-TEST-FLOOD-0002.xml', id: 'urn:vigie:test:0002', updated: Date.UTC(2024, 9, 17, 4, 31) },
      { url: 'https://alerts.example.org/cap/VIGIE-TEST-FIRE-11.xml' },
    ]);
    expect(capIndexLinks(fixture('cap_cancel.xml'))).toBeUndefined();
  });

  it('reads alerts embedded in Atom entries, and keeps the good ones when one is bad', () => {
    const good = fixture('cap_cancel.xml');
    const bad = good.replace('VIGIE-TEST-FLOOD-0003', 'BAD').replace('<msgType>Cancel</msgType>', '<msgType>Retract</msgType>');
    const feed = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="text/xml">${good}</content></entry><entry><content type="text/xml">${bad}</content></entry></feed>`;
    const res = capAdapter.parse(feed, ctx());
    expect(alerts(res).map((a) => a.alertId)).toEqual(['VIGIE-TEST-FLOOD-0003']);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]?.reason).toMatch(/^msgType: 'Retract' is not one of Alert, Update, Cancel/);
    expect(res.errors[0]?.raw).toContain('<identifier>BAD</identifier>');
  });

  describe('bad input becomes a ParseError naming the field, and the rest still parses', () => {
    const base = fixture('cap12_update_polygon.xml');
    it.each([
      ['no identifier', base.replace(/<identifier>.*<\/identifier>/, ''), /^identifier: missing/],
      ['sent without offset', base.replace('2024-10-17T06:30:00+02:00</sent>', '2024-10-17T06:30:00</sent>'), /^sent: .*no UTC offset/],
      ['sent in 1970', base.replace('2024-10-17T06:30:00+02:00</sent>', '1970-01-01T00:00:00+00:00</sent>'), /^sent: .*before 1990/],
      ['unknown status', base.replace('<status>Actual</status>', '<status>Real</status>'), /^status: 'Real' is not one of/],
      ['bad references', base.replace(/<references>.*<\/references>/, '<references>VIGIE-TEST-FLOOD-0001</references>'), /^references: /],
    ])('%s: the whole alert is refused', (_name, input, reason) => {
      const res = capAdapter.parse(input, ctx());
      expect(res.records).toEqual([]);
      expect(res.errors).toHaveLength(1);
      expect(res.errors[0]?.reason).toMatch(reason);
    });

    it.each([
      ['severity out of list', base.replace('<severity>Severe</severity>', '<severity>Huge</severity>'), /^info\[0\]\.severity: 'Huge'/],
      ['urgency missing', base.replace('<urgency>Expected</urgency>', ''), /^info\[0\]\.urgency: missing/],
      ['expires unreadable', base.replace('2024-10-18T06:00:00+02:00', 'tomorrow'), /^info\[0\]\.expires: 'tomorrow'/],
    ])('%s: the info block is refused', (_name, input, reason) => {
      const res = capAdapter.parse(input, ctx());
      expect(res.records).toEqual([]);
      expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(reason)]);
    });

    it.each([
      ['latitude out of range', '43.27,5.40 93.28,5.45 43.30,5.44 43.27,5.40', /^info\[0\]\.area\[0\]\.polygon\[0\] point 2 lat: 93.28 is outside -90…90/],
      ['swapped coordinates', '143.27,5.40 143.28,5.45 143.30,5.44 143.27,5.40', /lat: 143.27 is outside -90…90 \(longitude and latitude swapped\?\)/],
      ['not numbers', '43.27,5.40 north,east 43.30,5.44 43.27,5.40', /point 2: 'north,east' is not "lat,lon"/],
      ['too few points', '43.27,5.40 43.28,5.45', /polygon\[0\]: needs at least 3 distinct points/],
      ['NaN', '43.27,NaN 43.28,5.45 43.30,5.44 43.27,NaN', /point 1: '43.27,NaN'/],
    ])('%s: only that area is refused', (_name, polygon, reason) => {
      const input = base.replace(/<polygon>.*<\/polygon>/, `<polygon>${polygon}</polygon>`);
      const res = capAdapter.parse(input, ctx());
      expect(alerts(res).map((a) => a.externalId)).toEqual(['VIGIE-TEST-FLOOD-0002#0.1', 'VIGIE-TEST-FLOOD-0002#0.2']);
      expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(reason)]);
      expect(res.errors[0]?.raw).toMatch(/^<area>[\s\S]*<\/area>$/);
    });

    it('a bad circle radius names the circle', () => {
      const res = capAdapter.parse(base.replace('5.4372 2.5', '5.4372 far'), ctx());
      expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(/^info\[0\]\.area\[1\]\.circle\[0\]: radius 'far'/)]);
      expect(alerts(res)).toHaveLength(2);
    });
  });

  it.each([
    ['truncated XML', fixture('cap12_update_polygon.xml').slice(0, 700), /^not readable as XML: unexpected end of input/],
    ['a DOCTYPE with entities', `<!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>${fixture('cap_cancel.xml')}`, /DOCTYPE or declaration refused/],
    ['JSON', '{"alert": 1}', /^not readable as XML/],
    ['binary garbage', new Uint8Array([0xbf, 0x01, 0xbf, 0x00, 0xff, 0xfe, 0x3c]), /not valid utf-8/],
    ['another XML vocabulary', '<html><body/></html>', /root element <html> is neither a CAP <alert> nor an Atom\/RSS index/],
  ])('refuses %s as one ParseError holding the payload', (_name, input, reason) => {
    const res = capAdapter.parse(input, ctx());
    expect(res.records).toEqual([]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]?.reason).toMatch(reason);
  });

  it('never throws on 250 damaged versions of a valid alert', () => {
    const valid = fixture('cap12_update_polygon.xml');
    for (const input of mutations(valid, 250, 3)) {
      let res: ParseResult | undefined;
      expect(() => { res = capAdapter.parse(input, ctx()); }).not.toThrow();
      for (const e of res?.errors ?? []) expect(e.reason).not.toMatch(/internal adapter error/);
    }
  });

  it('reads a wrapper of 2,000 alerts in reasonable time and clips what it quarantines', () => {
    const one = fixture('cap_cancel.xml');
    const many = `<feed>${Array.from({ length: 2000 }, (_, i) => `<entry>${one.replace('VIGIE-TEST-FLOOD-0003', `ID-${i}`)}</entry>`).join('')}</feed>`;
    const t0 = performance.now();
    const res = capAdapter.parse(many, ctx());
    expect(alerts(res)).toHaveLength(2000);
    // Guards against quadratic blow-up (100× slower), not a speed target: generous for loaded machines.
    expect(performance.now() - t0).toBeLessThan(12_000);
    const huge = capAdapter.parse(`<alert>${'x'.repeat(200_000)}`, ctx());
    expect(huge.errors[0]?.raw.length).toBeLessThan(70_000);
  });
});
