import { describe, expect, it } from 'vitest';
import { parseEventsCsv, parseTime } from './csv';

describe('reading incident CSV', () => {
  it('reads the protocol columns, quoted categories included, sorted by time', () => {
    const { events, errors } = parseEventsCsv('t,lon,lat,category\n2016-08-02T10:00:00Z,-122.6,45.5,"THEFT, COLD"\n2016-08-01T00:00:00Z,-122.7,45.4,OTHER\n');
    expect(errors).toEqual([]);
    expect(events.length).toBe(2);
    expect(Array.from(events.t)).toEqual([Date.parse('2016-08-01T00:00:00Z'), Date.parse('2016-08-02T10:00:00Z')]);
    expect(events.categories[events.category[1]!]).toBe('THEFT, COLD');
  });

  it('reports malformed rows with their line and reason instead of using them', () => {
    const text = [
      't,lon,lat,category',
      '2016-08-01T00:00:00Z,-122.6,45.5,ok',
      '2016-08-01T00:00:00Z,NA,NA,no place',
      '1/8/2016,-122.6,45.5,ambiguous date',
      '2016-08-01T00:00:00Z,0,0,null island',
      '2016-08-01T00:00:00Z,-222.6,45.5,out of range',
    ].join('\n');
    const { events, errors } = parseEventsCsv(text);
    expect(events.length).toBe(1);
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(errors[0]!.reason).toMatch(/not numbers/);
    expect(errors[1]!.reason).toMatch(/time not understood.*ISO 8601/);
    expect(errors[2]!.reason).toMatch(/not geocoded/);
    expect(errors[3]!.reason).toMatch(/out of range/);
  });

  it('accepts the column aliases of the evaluation script (time, offense, longitude, latitude)', () => {
    const { events } = parseEventsCsv('time,offense,longitude,latitude\n2010-01-01 06:00:00,theft,-95.4,29.6\n');
    expect(events.categories).toEqual(['theft']);
    expect(events.t[0]).toBe(Date.parse('2010-01-01T06:00:00Z'));
  });

  it('refuses a file without lon/lat columns, saying which are missing', () => {
    expect(() => parseEventsCsv('when,where\n1,2\n')).toThrow(/lacks t, lon, lat/);
  });

  it('reads zone-less times as UTC, like the evaluation script, and compact dates', () => {
    expect(parseTime('2016-08-15 13:00:00')).toBe(Date.parse('2016-08-15T13:00:00Z'));
    expect(parseTime('20160815')).toBe(Date.parse('2016-08-15T00:00:00Z'));
    expect(parseTime('2016-08')).toBe(Date.parse('2016-08-01T00:00:00Z'));
    expect(parseTime('2016-08-15T13:00:00+02:00')).toBe(Date.parse('2016-08-15T11:00:00Z'));
    expect(parseTime('Aug 15 2016')).toBeUndefined();
  });
});
