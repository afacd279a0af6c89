import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FeedRecordOf } from '../../../common/domain/feedRecord';
import type { ParseContext, ParseResult } from './adapter';
import { csvAdapter, CsvConfig } from './csv';
import { mutations } from './fixtures/mutate';
import { fixture, hasSharedData, SHARED_DATA, SHARED_NOTE } from './fixtures/sharedData';

const RECEIVED = Date.UTC(2024, 9, 17, 10);
const ctx = (config: CsvConfig, receivedAt = RECEIVED): ParseContext<CsvConfig> => ({ feedId: 'csv', config, receivedAt });
const ofKind = <K extends FeedRecordOf<'incident'>['kind'] | 'unit' | 'camera' | 'sensor' | 'marker'>(res: ParseResult, kind: K): FeedRecordOf<K>[] =>
  res.records.filter((r): r is FeedRecordOf<K> => r.kind === kind);
const shared = (path: string): string => {
  const buf = readFileSync(join(SHARED_DATA, path));
  return path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
};

const UNITS: CsvConfig = {
  kind: 'unit', decimalComma: true,
  columns: { unitId: 'unit', callsign: 'indicatif', lon: 'lon', lat: 'lat', heading: 'cap', speed: 'vitesse', t: 'heure', status: 'etat' },
  constants: { unitType: 'vehicle' },
};
const INCIDENTS: CsvConfig = {
  kind: 'incident',
  columns: { externalId: 'id', occurredAt: 'when', category: 'type', priority: 'prio', address: 'where', lon: 'x', lat: 'y' },
};

describe('CSV adapter', () => {
  it(`reads the 707 Paris video-protection cameras (';', French headers, composite id)${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData) skip();
    const res = csvAdapter.parse(shared('cameras/paris_videoprotection_pvpp_2019.csv'), ctx({
      kind: 'camera', columns: { externalId: ['Code postal', 'Numéro'], name: 'Implantation', lon: 'lon', lat: 'lat' },
    }));
    expect(res.errors).toEqual([]);
    expect(res.records).toHaveLength(707);
    expect(ofKind(res, 'camera')[0]).toEqual({
      kind: 'camera', externalId: '75001:1051', name: 'Rue Saint-Denis, rue de Rivoli', lon: 2.34750188, lat: 48.85875016, status: 'unknown', t: RECEIVED,
    });
  });

  it(`reads 64,028 Houston crime reports (UTC times without offset, category mapping, ids from row hashes)${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData || !existsSync(join(SHARED_DATA, 'incidents/houston_2010-01_2010-06.csv.gz'))) skip();
    const config: CsvConfig = {
      kind: 'incident', timesAreUtc: true,
      columns: { occurredAt: 'time', category: 'offense', address: 'address', lon: 'lon', lat: 'lat' },
      valueMaps: { category: { murder: 'assault', 'aggravated assault': 'assault', robbery: 'theft', 'auto theft': 'theft' } },
      constants: { priority: 3 },
    };
    const text = shared('incidents/houston_2010-01_2010-06.csv.gz');
    const t0 = performance.now();
    const res = csvAdapter.parse(text, ctx(config));
    const ms = performance.now() - t0;
    expect(res.records.length + res.errors.length).toBe(64_028);
    // Two real reports have no coordinates ("NA"): quarantined, with the field named.
    expect(res.errors.map((e) => e.reason)).toEqual(["line 17824: lon: 'NA' is not a number", "line 61841: lon: 'NA' is not a number"]);
    expect(ofKind(res, 'incident')[0]).toMatchObject({
      category: 'assault', priority: 3, status: 'new', title: 'assault', address: '9650 marlive ln', lon: -95.4373883, lat: 29.6779015, occurredAt: Date.UTC(2010, 0, 1, 6),
    });
    expect(new Set(res.records.map((r) => (r.kind === 'incident' ? r.externalId : ''))).size).toBe(64_026);
    // Same file again: same ids, so nothing would be stored twice.
    expect(csvAdapter.parse(text, ctx(config)).records.map((r) => (r.kind === 'incident' ? r.externalId : ''))).toEqual(res.records.map((r) => (r.kind === 'incident' ? r.externalId : '')));
    // Guards against quadratic blow-up (100× slower), not a speed target: generous for loaded machines.
    expect(ms).toBeLessThan(20_000);
  }, 30_000);

  it(`reads Portland calls for service with yyyymmdd dates${SHARED_NOTE}`, ({ skip }) => {
    if (!hasSharedData || !existsSync(join(SHARED_DATA, 'incidents/portland_cfs_2016-08.csv.gz'))) skip();
    const res = csvAdapter.parse(shared('incidents/portland_cfs_2016-08.csv.gz'), ctx({
      kind: 'incident', timeFormat: 'yyyymmdd', timesAreUtc: true,
      columns: { occurredAt: 'occ_date', category: 'call_group', title: 'case_desc', lon: 'lon', lat: 'lat' },
    }));
    expect(res.records.length + res.errors.length).toBe(19_376);
    // The file ends with an empty record (only zero projections): quarantined, not guessed.
    expect(res.errors).toEqual([{ raw: ',,,,,0.000000,0.000000,0.000000,,', reason: 'line 19377: category: missing' }]);
    expect(ofKind(res, 'incident')[0]).toMatchObject({ category: 'SUSPICIOUS', title: 'PROWLER', occurredAt: Date.UTC(2016, 7, 10) });
  }, 30_000);

  it('reads quoted fields, a BOM, CRLF, ";" and decimal commas, and nothing but the mapped columns', () => {
    const res = csvAdapter.parse(fixture('units_semicolon.csv'), ctx(UNITS));
    expect(res.errors).toEqual([]);
    expect(ofKind(res, 'unit')).toEqual([
      { kind: 'unit', unitId: 'VL-12', callsign: 'PATROUILLE "NORD"', unitType: 'vehicle', lon: 5.3745, lat: 43.2951, heading: 315, speed: 12.5, t: Date.UTC(2024, 9, 17, 7, 59, 30), status: 'disponible; en ronde' },
      { kind: 'unit', unitId: 'AMB-3', callsign: 'AMB 3', unitType: 'vehicle', lon: 5.3901, lat: 43.3012, t: Date.UTC(2024, 9, 17, 7, 58), status: 'engagé' },
      { kind: 'unit', unitId: 'VL-14', callsign: 'VL 14\nrelève', unitType: 'vehicle', lon: 5.4, lat: 43.3, heading: 90, speed: 0, t: Date.UTC(2024, 9, 17, 7, 57) },
    ]);
    expect(JSON.stringify(res.records)).not.toContain('0600000000');
  });

  it('reads a comma file with quoted commas and doubled quotes', () => {
    const res = csvAdapter.parse(fixture('incidents_comma.csv'), ctx(INCIDENTS));
    expect(res.errors).toEqual([]);
    expect(ofKind(res, 'incident').map((r) => [r.externalId, r.category, r.priority, r.address ?? null])).toEqual([
      ['A-1', 'theft', 3, '12, rue Exemple'], ['A-2', 'fire', 1, 'Parc "Borély"'], ['A-3', 'noise', 4, null],
    ]);
    expect(JSON.stringify(res.records)).not.toContain('Marie');
  });

  it.each([
    ['latitude out of range', 'A-9,2024-10-17T08:00:00Z,theft,3,,5.37,143.29', /^line 5: lat: 143.29 is outside -90…90/],
    ['swapped coordinates', 'A-9,2024-10-17T08:00:00Z,theft,3,,43.29,105.37', /^line 5: lat: 105.37 is outside -90…90 \(longitude and latitude swapped\?\)/],
    ['text for a number', 'A-9,2024-10-17T08:00:00Z,theft,3,,east,43.29', /^line 5: lon: 'east' is not a number/],
    ['missing coordinates', 'A-9,2024-10-17T08:00:00Z,theft,3,,,', /^line 5: lon: /],
    ['a short row', 'A-9,2024-10-17T08:00:00Z,theft', /^line 5: priority: column 'prio' missing in this row \(3 of 8 columns\)/],
    ['a priority of 9', 'A-9,2024-10-17T08:00:00Z,theft,9,,5.37,43.29', /^line 5: priority: /],
    ['a time without offset', 'A-9,2024-10-17 08:00,theft,3,,5.37,43.29', /^line 5: occurredAt: .*no UTC offset/],
    ['a time in 1900', 'A-9,1900-01-01T00:00:00Z,theft,3,,5.37,43.29', /^line 5: occurredAt: .*before 1990/],
    ['a duplicate id', 'A-2,2024-10-17T08:00:00Z,theft,3,,5.37,43.29', /^line 5: externalId: 'A-2' already used on line 3/],
    ['an unterminated quote', 'A-9,2024-10-17T08:00:00Z,theft,3,"12 rue,5.37,43.29', /^line 5: quoted field opened on line 5 is never closed/],
  ])('%s: that row is quarantined with the field named, the others kept', (_name, badRow, reason) => {
    const res = csvAdapter.parse(`${fixture('incidents_comma.csv')}${badRow}\n`, ctx(INCIDENTS));
    expect(res.records).toHaveLength(3);
    expect(res.errors.map((e) => e.reason)).toEqual([expect.stringMatching(reason)]);
    expect(res.errors[0]?.raw).toBe(badRow);
  });

  it('numbers identical rows instead of merging them when it makes ids from the text', () => {
    const text = 'when,what,x,y\n2024-10-17T08:00:00Z,theft,5.37,43.29\n2024-10-17T08:00:00Z,theft,5.37,43.29\n';
    const res = csvAdapter.parse(text, ctx({ kind: 'incident', columns: { occurredAt: 'when', category: 'what', lon: 'x', lat: 'y' } }));
    const ids = ofKind(res, 'incident').map((r) => r.externalId);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(`${ids[0]}~2`);
  });

  it('reads files without a header, by column position, and day-first dates', () => {
    const res = csvAdapter.parse('S1;PM10;21,5;5,39;43,30;17/10/2024 09:00\n', ctx({
      kind: 'sensor', header: false, separator: ';', decimalComma: true, timeFormat: 'dd/mm/yyyy', timesAreUtc: true,
      columns: { externalId: '1', observedProperty: '2', value: '3', lon: '4', lat: '5', t: '6' },
    }));
    expect(res.errors).toEqual([]);
    expect(res.records).toEqual([{ kind: 'sensor', externalId: 'S1', sensorId: 'S1', observedProperty: 'PM10', value: 21.5, lon: 5.39, lat: 43.3, t: Date.UTC(2024, 9, 17, 9) }]);
  });

  it('refuses a date-only format unless the feed says its dates are UTC', () => {
    const res = csvAdapter.parse('id,d,x,y\nM1,20241017,5.3,43.3\n', ctx({ kind: 'marker', timeFormat: 'yyyymmdd', columns: { externalId: 'id', t: 'd', lon: 'x', lat: 'y' } }));
    expect(res.errors[0]?.reason).toMatch(/^line 2: t: the yyyymmdd format has no UTC offset; set timesAreUtc/);
  });

  it('says which column is missing from the header, and hints at the separator', () => {
    const res = csvAdapter.parse(fixture('units_semicolon.csv'), ctx({ ...UNITS, decimalComma: false, separator: ',' }));
    expect(res.records).toEqual([]);
    expect(res.errors[0]?.reason).toMatch(/^columns\.unitId: no column 'unit' in the header .*is the separator right\?/);
  });

  it('refuses a mapping to a field the kind does not have, at config load and at parse', () => {
    const bad = { kind: 'camera', columns: { externalId: 'id', speed: 'v' } } as const;
    expect(CsvConfig.safeParse(bad).success).toBe(false);
    const res = csvAdapter.parse('id,v\n1,2\n', ctx(bad as unknown as CsvConfig));
    expect(res.errors[0]?.reason).toMatch(/^feed config: columns\.speed: speed is not a field of camera records/);
  });

  it.each([
    ['an empty file', ''],
    ['a header only', 'id,when,type,prio,where,x,y\n'],
  ])('reads %s as nothing, without error', (_name, input) => {
    expect(csvAdapter.parse(input, ctx(INCIDENTS))).toEqual({ records: [], errors: [] });
  });

  it('refuses binary garbage without throwing', () => {
    const res = csvAdapter.parse(Uint8Array.from({ length: 3000 }, (_, i) => (i * 131) % 256), ctx(INCIDENTS));
    expect(res.records).toEqual([]);
    expect(res.errors.length).toBeGreaterThan(0);
  });

  it('never throws on 300 damaged files', () => {
    for (const input of mutations(fixture('units_semicolon.csv'), 300, 13)) {
      let res: ParseResult | undefined;
      expect(() => { res = csvAdapter.parse(input, ctx(UNITS)); }).not.toThrow();
      for (const e of res?.errors ?? []) expect(e.reason).not.toMatch(/internal adapter error/);
    }
  });

  it('reads 100,000 rows quickly', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `U${i % 500};"C ${i}";5,${i % 1000};43,3;${i % 360};3,5;2024-10-17T09:00:00Z;ok`);
    const t0 = performance.now();
    const res = csvAdapter.parse(`unit;indicatif;lon;lat;cap;vitesse;heure;etat\n${rows.join('\n')}`, ctx(UNITS));
    expect(res.records).toHaveLength(100_000);
    // Guards against quadratic blow-up (100× slower), not a speed target: generous for loaded machines.
    expect(performance.now() - t0).toBeLessThan(32_000);
  }, 30_000);
});

describe('media of a CSV report (issue 22)', () => {
  it('a column mapped as media: several addresses in one cell become references', () => {
    const text = 'id,when,type,x,y,photos\nC1,2024-10-17T09:00:00Z,fire,5.37,43.29,https://city.example/a.jpg|https://city.example/b.mov\n';
    const res = csvAdapter.parse(text, ctx(CsvConfig.parse({ kind: 'incident', columns: { externalId: 'id', occurredAt: 'when', category: 'type', lon: 'x', lat: 'y', media: 'photos' } })));
    expect(res.errors).toEqual([]);
    expect((res.records[0] as { media?: unknown }).media).toEqual([
      { url: 'https://city.example/a.jpg', type: 'image' },
      { url: 'https://city.example/b.mov', type: 'video' },
    ]);
  });
});
