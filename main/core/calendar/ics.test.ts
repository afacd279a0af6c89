import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../../common/domain/indicator';
import { shapeDistanceM } from '../../../common/geo/distance';
import { EventBus } from '../bus';
import type { CallContext } from '../rpc';
import { geojsonAdapter } from '../feeds/geojson';
import { storeAndPublish } from '../feeds/scheduler';
import { districtsFrom } from '../indicators/districts';
import { IndicatorService } from '../indicators/indicators';
import { Store } from '../store';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';
import { CalendarService } from './calendar';

/**
 * Calendars written by hand to RFC 5545, with the RFC's own examples (§3.8.5.3 recurrence rules,
 * §3.6.5 VTIMEZONE). Where the expected times are not printed in the RFC, Debian's
 * python3-icalendar reads the file and python-dateutil expands it: an oracle we did not write.
 */
const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const ics = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Ville de Marseille//Agenda//FR', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const calendarIn = (timeZone = 'Europe/Paris') => {
  const store = Store.open(tempDir());
  return { store, calendar: new CalendarService(store, { clashDistanceM: 500, feeds: [], timeZone }) };
};
const utc = (iso: string) => Date.parse(iso);
const YEAR = 365 * 86_400_000;

const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasIcalendar = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import icalendar, dateutil, zoneinfo'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const NO_ORACLE = hasIcalendar ? '' : ' (skipped: python3-icalendar is not installed; apt-get install python3-icalendar)';

/** Occurrences [start, end] in epoch ms, by python3-icalendar + dateutil + zoneinfo. */
function pythonOccurrences(text: string): [number, number][] {
  const script = `
import sys, json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
from dateutil.rrule import rrulestr
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.read())
out = []
def aware(prop):
    dt = prop.dt
    tzid = prop.params.get('TZID')
    return dt.replace(tzinfo=None).replace(tzinfo=ZoneInfo(tzid)) if tzid else dt
for ev in cal.walk('VEVENT'):
    start = aware(ev['DTSTART'])
    length = aware(ev['DTEND']) - start
    rule = ev['RRULE'].to_ical().decode()
    times = list(rrulestr('RRULE:' + rule, dtstart=start))
    for prop in (ev.get('RDATE') if isinstance(ev.get('RDATE'), list) else [ev.get('RDATE')] if ev.get('RDATE') else []):
        tzid = prop.params.get('TZID')
        times += [d.dt.replace(tzinfo=ZoneInfo(tzid)) if tzid else d.dt for d in prop.dts]
    ex = set()
    for prop in (ev.get('EXDATE') if isinstance(ev.get('EXDATE'), list) else [ev.get('EXDATE')] if ev.get('EXDATE') else []):
        tzid = prop.params.get('TZID')
        ex |= {(d.dt.replace(tzinfo=ZoneInfo(tzid)) if tzid else d.dt).timestamp() for d in prop.dts}
    for t in sorted(times):
        if t.timestamp() not in ex:
            out.append([int(t.timestamp() * 1000), int((t + length).timestamp() * 1000)])
print(json.dumps(out))
`;
  return JSON.parse(execFileSync(PYTHON, ['-c', script], { input: text, encoding: 'utf8' })) as [number, number][];
}

describe('iCalendar through ical.js (RFC 5545)', () => {
  it('expands "every other week on MO, WE, FR until 24 Dec 1997" (RFC 5545 §3.8.5.3) in New York time across the DST change', () => {
    const { calendar } = calendarIn();
    const text = ics(
      'BEGIN:VEVENT', 'UID:rfc-biweekly', 'DTSTAMP:19970901T130000Z', 'SUMMARY:Réunion de quartier', 'GEO:43.2965;5.3698',
      'DTSTART;TZID=America/New_York:19970901T090000', 'DTEND;TZID=America/New_York:19970901T100000',
      'RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR', 'END:VEVENT',
    );
    expect(calendar.import(supervisor, 'ics', text)).toEqual({ stored: 1, refused: [] });
    const starts = calendar.list(utc('1997-08-01T00:00:00Z'), utc('1998-01-01T00:00:00Z')).map((e) => new Date(e.start).toISOString());
    // The RFC's list: "(1997 9:00 AM EDT) September 1,3,5,15,17,19,29; October 1,3,13,15,17;
    // (1997 9:00 AM EST) October 27,29,31; November 10,12,14,24,26,28; December 8,10,12,22".
    const edt = [[9, 1], [9, 3], [9, 5], [9, 15], [9, 17], [9, 19], [9, 29], [10, 1], [10, 3], [10, 13], [10, 15], [10, 17]];
    const est = [[10, 27], [10, 29], [10, 31], [11, 10], [11, 12], [11, 14], [11, 24], [11, 26], [11, 28], [12, 8], [12, 10], [12, 12], [12, 22]];
    const iso = (m: number, d: number, h: number) => new Date(Date.UTC(1997, m - 1, d, h)).toISOString();
    expect(starts).toEqual([...edt.map(([m, d]) => iso(m!, d!, 13)), ...est.map(([m, d]) => iso(m!, d!, 14))]);
  });

  it('reads TZID through the file\'s own VTIMEZONE (RFC 5545 §3.6.5 rules, under a name that is no IANA zone)', () => {
    const { calendar } = calendarIn();
    const text = ics(
      'BEGIN:VTIMEZONE', 'TZID:Heure-de-la-Mairie', 'LAST-MODIFIED:20050809T050000Z',
      'BEGIN:STANDARD', 'DTSTART:20071104T020000', 'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU', 'TZOFFSETFROM:-0400', 'TZOFFSETTO:-0500', 'TZNAME:EST', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'DTSTART:20070311T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU', 'TZOFFSETFROM:-0500', 'TZOFFSETTO:-0400', 'TZNAME:EDT', 'END:DAYLIGHT',
      'END:VTIMEZONE',
      'BEGIN:VEVENT', 'UID:summer', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Été', 'GEO:43.3;5.4', 'DTSTART;TZID=Heure-de-la-Mairie:20260715T090000', 'DURATION:PT1H', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:winter', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Hiver', 'GEO:43.3;5.4', 'DTSTART;TZID=Heure-de-la-Mairie:20261215T090000', 'DURATION:PT1H', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:nowhere', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Fuseau inconnu', 'GEO:43.3;5.4', 'DTSTART;TZID=Mars/Olympus:20261215T090000', 'DURATION:PT1H', 'END:VEVENT',
    );
    const result = calendar.import(supervisor, 'ics', text);
    expect(result).toEqual({ stored: 2, refused: [{ reason: expect.stringMatching(/"Fuseau inconnu": TZID "Mars\/Olympus" is neither defined by a VTIMEZONE/) }] });
    const events = calendar.list(utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z'));
    expect(events.map((e) => [e.title, new Date(e.start).toISOString(), new Date(e.end).toISOString()])).toEqual([
      ['Été', '2026-07-15T13:00:00.000Z', '2026-07-15T14:00:00.000Z'],
      ['Hiver', '2026-12-15T14:00:00.000Z', '2026-12-15T15:00:00.000Z'],
    ]);
  });

  it(`expands a weekly Marseille market with EXDATE and RDATE across the spring DST change, as python3-icalendar does${NO_ORACLE}`, ({ skip }) => {
    if (!hasIcalendar) skip();
    const { calendar } = calendarIn();
    const text = ics(
      'BEGIN:VEVENT', 'UID:marche-noailles', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Marché des Capucins', 'CATEGORIES:marché', 'GEO:43.2961;5.3815',
      'DTSTART;TZID=Europe/Paris:20260302T070000', 'DTEND;TZID=Europe/Paris:20260302T133000',
      'RRULE:FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20260430T220000Z',
      'EXDATE;TZID=Europe/Paris:20260406T070000', 'RDATE;TZID=Europe/Paris:20260405T070000', 'END:VEVENT',
    );
    calendar.import(supervisor, 'ics', text);
    const expected = pythonOccurrences(text);
    expect(expected.length).toBeGreaterThan(15);
    const listed = calendar.list(utc('2026-01-01T00:00:00Z'), utc('2026-06-01T00:00:00Z'));
    expect(listed.map((e) => [e.start, e.end])).toEqual(expected);
    expect(listed.every((e) => e.kind === 'market' && e.seriesId === 'ics:marche-noailles')).toBe(true);
    // Only what the window shows: the two occurrences of the week of 9 March.
    expect(calendar.list(utc('2026-03-09T00:00:00Z'), utc('2026-03-15T00:00:00Z')).map((e) => new Date(e.start).toISOString())).toEqual(['2026-03-09T06:00:00.000Z', '2026-03-12T06:00:00.000Z']);
  });

  it('keeps an open-ended rule open: a market every Saturday still shows a year later', () => {
    const { calendar } = calendarIn();
    calendar.import(supervisor, 'ics', ics('BEGIN:VEVENT', 'UID:sat', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Marché du Prado', 'GEO:43.27;5.39', 'DTSTART;TZID=Europe/Paris:20260103T070000', 'DURATION:PT6H', 'RRULE:FREQ=WEEKLY', 'END:VEVENT'));
    const later = calendar.list(utc('2027-01-04T00:00:00Z') , utc('2027-01-11T00:00:00Z'));
    expect(later.map((e) => new Date(e.start).toISOString())).toEqual(['2027-01-09T06:00:00.000Z']);
    expect(calendar.list(utc('2026-01-01T00:00:00Z'), utc('2026-01-01T00:00:00Z') + YEAR)).toHaveLength(52);
  });

  it("places all-day and floating events in the city's zone, not the server's, and honours DURATION", () => {
    const paris = calendarIn('Europe/Paris').calendar;
    const text = ics(
      'BEGIN:VEVENT', 'UID:braderie', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Braderie', 'GEO:43.29;5.38', 'DTSTART;VALUE=DATE:20261129', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:loto', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Loto', 'GEO:43.29;5.38', 'DTSTART:20261130T180000', 'DURATION:PT2H30M', 'END:VEVENT',
    );
    paris.import(supervisor, 'ics', text);
    expect(paris.list(utc('2026-11-01T00:00:00Z'), utc('2026-12-31T00:00:00Z')).map((e) => [e.title, new Date(e.start).toISOString(), new Date(e.end).toISOString()])).toEqual([
      ['Braderie', '2026-11-28T23:00:00.000Z', '2026-11-29T23:00:00.000Z'],
      ['Loto', '2026-11-30T17:00:00.000Z', '2026-11-30T19:30:00.000Z'],
    ]);
    const montreal = calendarIn('America/Montreal').calendar;
    montreal.import(supervisor, 'ics', text);
    expect(new Date(montreal.list(utc('2026-11-01T00:00:00Z'), utc('2026-12-31T00:00:00Z'))[0]!.start).toISOString()).toBe('2026-11-29T05:00:00.000Z');
  });

  it('keeps a STATUS:CANCELLED event, and a cancelled occurrence of a series, listed as cancelled and never a clash', () => {
    const { calendar } = calendarIn();
    calendar.import(supervisor, 'ics', ics(
      'BEGIN:VEVENT', 'UID:concert', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Concert Vieux-Port', 'CATEGORIES:festival', 'GEO:43.2951;5.3740', 'STATUS:CANCELLED',
      'DTSTART:20261129T180000Z', 'DTEND:20261129T220000Z', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:manif', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Manifestation', 'CATEGORIES:manifestation', 'GEO:43.2953;5.3742',
      'DTSTART:20261129T190000Z', 'DTEND:20261129T210000Z', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:fete', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Fête du quartier', 'CATEGORIES:festival', 'GEO:43.2955;5.3744',
      'DTSTART:20261122T180000Z', 'DTEND:20261122T230000Z', 'RRULE:FREQ=WEEKLY;COUNT=3', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:fete', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Fête du quartier (annulée)', 'GEO:43.2955;5.3744', 'STATUS:CANCELLED',
      'RECURRENCE-ID:20261129T180000Z', 'DTSTART:20261129T180000Z', 'DTEND:20261129T230000Z', 'END:VEVENT',
    ));
    const listed = calendar.list(utc('2026-11-20T00:00:00Z'), utc('2026-12-10T00:00:00Z'));
    expect(listed.map((e) => [e.title, !!e.cancelled])).toEqual([
      ['Fête du quartier', false],
      ['Concert Vieux-Port', true],
      ['Fête du quartier (annulée)', true],
      ['Manifestation', false],
      ['Fête du quartier', false],
    ]);
    expect(calendar.clashes(utc('2026-11-28T00:00:00Z'), 3)).toEqual([]);
  });

  it('a cancelled match raises no indicator threshold (plannedEventFactor)', () => {
    const store = Store.open(tempDir());
    const bus = new EventBus();
    const calendar = new CalendarService(store, { clashDistanceM: 500, feeds: [] }, bus);
    const district = { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[5.39, 43.26], [5.40, 43.26], [5.40, 43.27], [5.39, 43.27], [5.39, 43.26]]] }, properties: { name: 'Sainte-Marguerite' } };
    const fights: Indicator = { id: 'rixes', label: 'Rixes', category: 'public_order', window: 'hour', threshold: { kind: 'absolute', count: 4 }, sheet: '', plannedEventFactor: 2 };
    const service = new IndicatorService(store, bus, () => districtsFrom({ features: [district] }), [fights], undefined, calendar);
    const now = Date.UTC(2026, 10, 25, 20, 30);
    const match = (status: string) => ics('BEGIN:VEVENT', 'UID:om-psg', 'DTSTAMP:20260101T000000Z', 'SUMMARY:OM – PSG', 'X-VIGIE-KIND:match', 'GEO:43.2698;5.3955', status, 'DTSTART:20261125T183000Z', 'DTEND:20261125T223000Z', 'END:VEVENT');
    const features = Array.from({ length: 5 }, (_, i) => incidentFeature(`i${i}`, { occurredAt: new Date(now - 20 * 60_000).toISOString() }, [5.3955, 43.2698]));
    storeAndPublish({ store, bus }, { id: 'city', simulated: false }, geojsonAdapter.parse(featureCollection(features), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: now }), now);
    calendar.import(supervisor, 'ics', match('STATUS:CONFIRMED'));
    expect(service.readings(now)[0]).toMatchObject({ count: 5, thresholdFactor: 2, above: false });
    calendar.import(supervisor, 'ics', match('STATUS:CANCELLED'));
    expect(service.readings(now)[0]).toMatchObject({ count: 5, thresholdFactor: 1, above: true, planned: [] });
  });

  it('reads the calendar CSV with the feed CSV reader: quoted separators, ";" files, a cancelled row', () => {
    const { calendar } = calendarIn();
    const csv = 'id;title;kind;start;end;lat;lon;location;status\r\nm1;Marché, aux puces;market;2026-11-29T06:00:00Z;2026-11-29T12:00:00Z;43.33;5.36;"Av. du Cap-Pinède; Marseille";\r\nc1;Concert;festival;2026-11-29T18:00:00Z;2026-11-29T22:00:00Z;43.29;5.37;;annulé\r\n';
    expect(calendar.import(supervisor, 'csv', csv)).toEqual({ stored: 2, refused: [] });
    expect(calendar.list(utc('2026-11-29T00:00:00Z'), utc('2026-11-30T00:00:00Z')).map((e) => [e.title, e.location, !!e.cancelled])).toEqual([
      ['Marché, aux puces', 'Av. du Cap-Pinède; Marseille', false],
      ['Concert', undefined, true],
    ]);
  });
});

describe('clash geometry between shapes (common/geo)', () => {
  // 1 km of street as a 10 m wide closure, and another crossing it like a "+".
  const M_PER_DEG_LAT = (Math.PI / 180) * 6_371_008.8;
  const lat0 = 43.2965, lon0 = 5.3698;
  const dLon = (m: number) => m / (M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180));
  const dLat = (m: number) => m / M_PER_DEG_LAT;
  const rect = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon' as const, coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]] as [number, number][]] });
  const eastWest = rect(lon0 - dLon(500), lat0 - dLat(5), lon0 + dLon(500), lat0 + dLat(5));
  const northSouth = rect(lon0 - dLon(5), lat0 - dLat(500), lon0 + dLon(5), lat0 + dLat(500));

  it('two closures crossing like a "+" are 0 m apart (no vertex of one lies in the other)', () => {
    expect(shapeDistanceM(eastWest, northSouth)).toBe(0);
  });

  it('a point 20 m beside the middle of a long closure is 20 m from it, as the great circle says', async () => {
    const { haversineM } = await import('../../../common/geo/distance');
    const point = { type: 'Point' as const, coordinates: [lon0 + dLon(100), lat0 + dLat(25)] as [number, number] };
    const foot = { lon: lon0 + dLon(100), lat: lat0 + dLat(5) };
    const truth = haversineM({ lon: point.coordinates[0], lat: point.coordinates[1] }, foot);
    expect(truth).toBeCloseTo(20, 1);
    expect(shapeDistanceM(point, eastWest)).toBeCloseTo(truth, 1);
  });

  it('a market 20 m beside a closure clashes at 20 m (it was measured to the closure\'s far corners before)', () => {
    const { calendar } = calendarIn();
    const closure = { type: 'Feature', id: 'cl-1', geometry: eastWest, properties: { title: 'Canebière fermée', kind: 'closure', start: '2026-11-29T00:00:00Z', end: '2026-11-30T00:00:00Z' } };
    const market = { type: 'Feature', id: 'mk-1', geometry: { type: 'Point', coordinates: [lon0 + dLon(100), lat0 + dLat(25)] }, properties: { title: 'Marché', kind: 'market', start: '2026-11-29T06:00:00Z', end: '2026-11-29T12:00:00Z' } };
    const service = new CalendarService(calendar['store'], { clashDistanceM: 50, feeds: [] });
    service.import(supervisor, 'geojson', JSON.stringify({ type: 'FeatureCollection', features: [closure, market] }));
    expect(service.clashes(utc('2026-11-28T00:00:00Z'), 3).map((c) => [c.a.title, c.b.title, c.reason, c.distanceM])).toEqual([['Canebière fermée', 'Marché', 'works', 20]]);
  });
});
