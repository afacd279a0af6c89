import { describe, expect, it } from 'vitest';
import type { CallContext } from '../rpc';
import { Store } from '../store';
import { startFeedServer, tempDir } from '../../../test/helpers';
import { CalendarService } from './calendar';

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 8, 0);
const ics = (events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Ville//Agenda//FR', ...events, 'END:VCALENDAR'].join('\r\n');
// 200 m apart on the Canebière (0.0018° of latitude ≈ 200 m).
const vevent = (uid: string, summary: string, start: string, end: string, geo: string, extra: string[] = []) =>
  ['BEGIN:VEVENT', `UID:${uid}`, `SUMMARY:${summary}`, `DTSTART:${start}`, `DTEND:${end}`, `GEO:${geo}`, ...extra, 'END:VEVENT'].join('\r\n');

function setup(clashDistanceM = 500) {
  const store = Store.open(tempDir());
  return { store, calendar: new CalendarService(store, { clashDistanceM, feeds: [] }) };
}

describe('events calendar and clashes', () => {
  it('an .ics file with two overlapping events 200 m apart yields one clash with its reason', () => {
    const { calendar } = setup();
    const result = calendar.import(supervisor, 'ics', ics([
      vevent('concert-1', 'Concert place du Général-de-Gaulle', '20261129T180000Z', '20261129T220000Z', '43.2960;5.3770', ['LOCATION:Place du Général-de-Gaulle', 'X-VIGIE-ATTENDANCE:3000', 'CATEGORIES:festival']),
      vevent('manif-1', 'Manifestation déclarée', '20261129T200000Z', '20261129T230000Z', '43.2978;5.3770', ['CATEGORIES:manifestation']),
      vevent('marche-1', 'Marché de Noailles', '20261129T060000Z', '20261129T120000Z', '43.2965;5.3790'),
    ]));
    expect(result).toEqual({ stored: 3, refused: [] });
    const clashes = calendar.clashes(NOW, 7);
    expect(clashes).toHaveLength(1);
    expect(clashes[0]).toMatchObject({ reason: 'nearby', a: { title: 'Concert place du Général-de-Gaulle', kind: 'public_event', attendance: 3000 }, b: { kind: 'demonstration' }, from: Date.UTC(2026, 10, 29, 20), to: Date.UTC(2026, 10, 29, 22) });
    expect(clashes[0]!.distanceM).toBeGreaterThan(180);
    expect(clashes[0]!.distanceM).toBeLessThan(220);
    // A tighter distance, and they no longer clash.
    expect(new CalendarService(setup().store, { clashDistanceM: 100, feeds: [] }).clashes(NOW, 7)).toEqual([]);
  });

  it('an event on roadworks clashes even when the works polygon is large; works beside works do not', () => {
    const { calendar } = setup(0);
    const works = { type: 'Feature', id: 'rw-1', geometry: { type: 'Polygon', coordinates: [[[5.37, 43.29], [5.38, 43.29], [5.38, 43.30], [5.37, 43.30], [5.37, 43.29]]] }, properties: { title: 'Travaux tramway', kind: 'roadworks', start: '2026-11-28T00:00:00Z', end: '2026-12-10T00:00:00Z' } };
    const works2 = { ...works, id: 'rw-2', properties: { ...works.properties, title: 'Réfection chaussée' } };
    const match = { type: 'Feature', id: 'om-1', geometry: { type: 'Point', coordinates: [5.375, 43.295] }, properties: { title: 'Fan zone OM', kind: 'match', start: '2026-11-30T17:00:00Z', end: '2026-11-30T23:00:00Z', attendance: 8000 } };
    expect(calendar.import(supervisor, 'geojson', JSON.stringify({ type: 'FeatureCollection', features: [works, works2, match] }))).toEqual({ stored: 3, refused: [] });
    expect(calendar.clashes(NOW, 7).map((c) => [c.a.title, c.b.title, c.reason, c.distanceM])).toEqual([
      ['Travaux tramway', 'Fan zone OM', 'works', 0],
      ['Réfection chaussée', 'Fan zone OM', 'works', 0],
    ]);
  });

  it('refuses an event without a place or with its end before its start, says why, and keeps the others', () => {
    const { store, calendar } = setup();
    const noGeo = ['BEGIN:VEVENT', 'UID:x', 'SUMMARY:Sans lieu', 'DTSTART:20261129T180000Z', 'DTEND:20261129T200000Z', 'END:VEVENT'].join('\r\n');
    const res = calendar.import(supervisor, 'ics', ics([noGeo, vevent('ok', 'Loto', '20261129T180000Z', '20261129T200000Z', '43.3;5.4')]));
    expect(res).toMatchObject({ stored: 1, refused: [{ reason: expect.stringContaining('"Sans lieu" has no GEO') }] });
    const csv = 'id,title,kind,start,end,lat,lon,attendance\nm1,Marché,market,2026-11-29T10:00:00Z,2026-11-29T09:00:00Z,43.29,5.37,\nm2,Marché du Prado,market,2026-11-29T06:00:00Z,2026-11-29T13:00:00Z,43.27,5.39,1500';
    expect(calendar.import(supervisor, 'csv', csv)).toMatchObject({ stored: 1, refused: [{ reason: 'end: the end must come after the start' }] });
    expect(store.quarantine.list(10).length).toBe(2);
    expect(calendar.list(NOW, NOW + 7 * DAY).map((e) => e.title)).toEqual(['Marché du Prado', 'Loto']);
  });

  it('manual entries are saved, edited and deleted as logged, journaled events; a re-imported UID replaces its entry', () => {
    const { store, calendar } = setup();
    const fields = { title: 'Braderie', kind: 'market' as const, start: NOW + DAY, end: NOW + DAY + 6 * 3_600_000, place: { type: 'Point' as const, coordinates: [5.38, 43.3] as [number, number] } };
    const saved = calendar.save(supervisor, undefined, fields);
    calendar.save(supervisor, saved.id, { ...fields, title: 'Grande braderie' });
    expect(calendar.list(NOW, NOW + 7 * DAY).map((e) => e.title)).toEqual(['Grande braderie']);
    calendar.delete(supervisor, saved.id);
    expect(calendar.list(NOW, NOW + 7 * DAY)).toEqual([]);
    expect(() => calendar.delete(supervisor, saved.id)).toThrow(/No planned event/);
    calendar.import(supervisor, 'ics', ics([vevent('u1', 'Loto', '20261129T180000Z', '20261129T200000Z', '43.3;5.4')]));
    calendar.import(supervisor, 'ics', ics([vevent('u1', 'Super loto', '20261129T180000Z', '20261129T200000Z', '43.3;5.4')]));
    expect(calendar.list(NOW, NOW + 7 * DAY).map((e) => e.title)).toEqual(['Super loto']);
    expect(store.audit.list({ limit: 20 }).map((e) => e.action)).toEqual(expect.arrayContaining(['calendar.create', 'calendar.edit', 'calendar.delete', 'calendar.import']));
    expect(store.db.prepare("SELECT count(*) FROM events WHERE kind LIKE 'calendar.%'").pluck().get()).toBe(5);
  });

  it('polls an .ics feed over HTTP; a changed entry replaces the old one', async () => {
    const server = await startFeedServer(ics([vevent('loto', 'Loto', '20261129T180000Z', '20261129T200000Z', '43.3;5.4')]));
    const store = Store.open(tempDir());
    const calendar = new CalendarService(store, { clashDistanceM: 500, feeds: [{ id: 'agenda', url: server.url, format: 'ics', intervalSeconds: 1 }] });
    try {
      calendar.start();
      await expect.poll(() => calendar.list(NOW, NOW + 7 * DAY).map((e) => e.title)).toEqual(['Loto']);
      server.setBody(ics([vevent('loto', 'Super loto', '20261129T180000Z', '20261129T200000Z', '43.3;5.4')]));
      await expect.poll(() => calendar.list(NOW, NOW + 7 * DAY).map((e) => e.title), { timeout: 5000 }).toEqual(['Super loto']);
      expect(calendar.list(NOW, NOW + 7 * DAY)[0]).toMatchObject({ id: 'agenda:loto', source: 'ics' });
    } finally {
      calendar.stop();
      await server.close();
      store.close();
    }
  });
});
