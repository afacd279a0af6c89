import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Store } from '../store';
import { importFiles, ImportError } from './importer';
import { tempDir } from '../../../test/helpers';

const HOUSTON = path.resolve(__dirname, '../../../../shared/data/incidents/houston_2010-01_2010-06.csv.gz');
const ms = (iso: string) => Date.parse(iso);

/** The test's own CSV reading (quoted fields may hold commas), independent of the importer's. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      out.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  out.push(field);
  return out;
}

function csvFile(text: string, gzip = false): string {
  const file = path.join(tempDir(), gzip ? 'history.csv.gz' : 'history.csv');
  fs.writeFileSync(file, gzip ? zlib.gzipSync(text) : text);
  return file;
}

describe('importing history', () => {
  it('recognises the usual column names, keeps original times, quarantines unreadable rows', () => {
    const store = Store.open(tempDir());
    const file = csvFile(
      [
        'time,offense,longitude,latitude,closed_at,caller_phone',
        '2024-03-01 00:00:00,theft,5.37,43.29,2024-03-01T04:00:00Z,0601020304',
        '2024-03-01 00:00:00,assault,5.38,43.30,,0605060708',
        '2024-03-02 00:00:00,burglary,NA,NA,,0600000000',
        '2024-03-03 00:00:00,theft,5.40,43.31,,0611111111',
      ].join('\n'),
      true,
    );
    expect(importFiles(store, [file], { type: 'csv' })).toMatchObject({ stored: 3, quarantined: 1, files: 1, closed: 1, lifecycle: 'closedAt=closed_at' });
    expect(store.quarantine.list(5)[0]!.reason).toMatch(/lon|lat/);
    // Only mapped columns are read: the phone numbers are nowhere in the cache.
    const dump = JSON.stringify(store.db.prepare('SELECT payload FROM events').all()) + JSON.stringify(store.incidents.list({ limit: 10 }));
    expect(dump).not.toMatch(/060/);
    // Events are dated when things happened: opened on the 1st at 00:00, closed at 04:00.
    const times = store.db.prepare("SELECT t FROM events WHERE kind = 'incident.upsert' ORDER BY t").pluck().all();
    expect(times).toEqual([ms('2024-03-01T00:00:00Z'), ms('2024-03-01T00:00:00Z'), ms('2024-03-01T04:00:00Z'), ms('2024-03-03T00:00:00Z')]);
    expect(store.incidents.count({ at: ms('2024-03-01T02:00:00Z') })).toBe(2);
    expect(store.incidents.count({ at: ms('2024-03-01T05:00:00Z') })).toBe(1);
    expect(store.incidents.count({ at: ms('2024-03-04T00:00:00Z') })).toBe(2);
    expect(store.incidents.count({ from: ms('2024-03-01T00:00:00Z'), to: ms('2024-03-02T00:00:00Z') })).toBe(2);
    expect(store.incidents.count({ from: ms('2024-03-01T00:00:00Z'), to: ms('2024-03-04T00:00:00Z'), bbox: [5.375, 43.295, 5.45, 43.35] })).toBe(2);
    store.close();
  });

  it('reads compact dates (YYYYMMDD) as days in UTC', () => {
    const store = Store.open(tempDir());
    importFiles(store, [csvFile('category,occ_date,lon,lat\nBURGLARY,20160810,-122.61,45.49\n')], { type: 'csv' });
    expect(store.incidents.list({ limit: 1 })[0]).toMatchObject({ category: 'BURGLARY', occurredAt: ms('2016-08-10T00:00:00Z') });
    store.close();
  });

  it('takes an explicit column mapping, and says which column is missing', () => {
    const store = Store.open(tempDir());
    const file = csvFile('quand;quoi;x;y\n2024-03-01 10:00:00;vol;5,37;43,29\n'.replace(/5,37;43,29/, '5.37;43.29'));
    expect(importFiles(store, [file], { type: 'csv', map: { time: 'quand', category: 'quoi', lon: 'x', lat: 'y' } })).toMatchObject({ stored: 1 });
    expect(store.incidents.list({ limit: 1 })[0]).toMatchObject({ category: 'vol', occurredAt: ms('2024-03-01T10:00:00Z') });
    expect(() => importFiles(store, [csvFile('when,what\n2024-01-01,x\n')], { type: 'csv' })).toThrow(ImportError);
    expect(() => importFiles(store, [csvFile('when,what\n2024-01-01,x\n')], { type: 'csv' })).toThrow(/no column for time .*--map time=COLUMN/);
    expect(() => importFiles(store, [file], { type: 'csv', map: { time: 'nope' } })).toThrow(/no column "nope"/);
    store.close();
  });

  it.skipIf(!fs.existsSync(HOUSTON))('counts the Houston sample exactly as a count made straight from the CSV', () => {
    const store = Store.open(tempDir());
    const outcome = importFiles(store, [HOUSTON], { type: 'csv' });
    // Ground truth, computed independently from the file.
    const rows = zlib
      .gunzipSync(fs.readFileSync(HOUSTON))
      .toString('utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map(splitCsvLine)
      .map((f) => ({ t: Date.parse(`${f[0]!.replace(' ', 'T')}Z`), lon: Number(f[15]), lat: Number(f[16]) }))
      .filter((r) => Number.isFinite(r.t) && Number.isFinite(r.lon) && Number.isFinite(r.lat));
    expect(outcome.stored).toBe(rows.length);
    expect(outcome.quarantined).toBe(64_028 - rows.length);
    const windows: [string, string][] = [
      ['2010-01-01T00:00:00Z', '2010-07-01T00:00:00Z'],
      ['2010-05-01T00:00:00Z', '2010-06-01T00:00:00Z'],
      ['2010-03-14T06:00:00Z', '2010-03-14T07:00:00Z'],
    ];
    const box: [number, number, number, number] = [-95.45, 29.7, -95.3, 29.8];
    const inBox = (r: { lon: number; lat: number }) => r.lon >= box[0] && r.lon <= box[2] && r.lat >= box[1] && r.lat <= box[3];
    for (const [from, to] of windows) {
      const truth = rows.filter((r) => r.t >= ms(from) && r.t < ms(to));
      expect(store.incidents.count({ from: ms(from), to: ms(to) })).toBe(truth.length);
      expect(store.incidents.count({ from: ms(from), to: ms(to), bbox: box })).toBe(truth.filter(inBox).length);
    }
    for (const at of ['2010-02-01T12:00:00Z', '2010-06-30T23:00:00Z']) {
      expect(store.incidents.count({ at: ms(at) })).toBe(rows.filter((r) => r.t <= ms(at)).length);
    }
    store.close();
  }, 60_000); // 64k rows through the whole pipeline: seconds here, more on a loaded machine
});
