import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../../common/domain/indicator';
import { EventBus } from '../bus';
import { importFiles } from '../history/importer';
import { Store } from '../store';
import { tempDir } from '../../../test/helpers';
import type { District } from './districts';
import { IndicatorService } from './indicators';

const HOUSTON = path.resolve(__dirname, '../../../../shared/data/incidents/houston_2010-01_2010-06.csv.gz');
const HOUR = 3_600_000, WEEK = 7 * 24 * HOUR;

/** Nine rectangles over Houston (3 x 3 between these meridians and parallels): districts a test can check by bbox alone. */
const LONS = [-95.8, -95.45, -95.3, -95.0], LATS = [29.5, 29.7, 29.8, 30.1];
const DISTRICTS: District[] = [];
for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
  const [w, e, s, n] = [LONS[i]!, LONS[i + 1]!, LATS[j]!, LATS[j + 1]!];
  DISTRICTS.push({ name: `R${i}${j}`, rings: [[[w, s], [e, s], [e, n], [w, n], [w, s]]], bbox: [w, s, e, n] });
}

/** The test's own CSV split (quoted fields such as "duplex, triplex, etc" hold commas). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) { out.push(field); field = ''; } else field += c;
  }
  out.push(field);
  return out;
}

/** The test's own reading of the file: time (UTC, as documented for zone-less exports), offense, place. */
function readHouston() {
  return zlib.gunzipSync(fs.readFileSync(HOUSTON)).toString('utf8').trim().split('\n').slice(1)
    .map(splitCsvLine)
    .map((f) => ({ t: Date.parse(`${f[0]!.replace(' ', 'T')}Z`), category: f[4]!, lon: Number(f[15]), lat: Number(f[16]) }))
    .filter((r) => Number.isFinite(r.t) && Number.isFinite(r.lon) && Number.isFinite(r.lat));
}

/** District by plain rectangle test: half-open on the east and north edges so no point is in two. */
function rectangleOf(r: { lon: number; lat: number }): string | null {
  for (const d of DISTRICTS) if (r.lon >= d.bbox[0] && r.lon < d.bbox[2] && r.lat >= d.bbox[1] && r.lat < d.bbox[3]) return d.name;
  return null;
}

describe('the usual level on real history (Houston, January–June 2010)', () => {
  it.skipIf(!fs.existsSync(HOUSTON))('is the mean of the same window over the past 8 weeks, as counted straight from the file (skipped without ../shared/data)', () => {
    const store = Store.open(tempDir());
    try {
      importFiles(store, [HOUSTON], { type: 'csv' });
      const indicators: Indicator[] = [
        { id: 'theft-7d', label: 'Theft, 7 days', category: 'theft', window: '7d', threshold: { kind: 'multiple', factor: 1.5, minCount: 20 }, sheet: '' },
        { id: 'burglary-hour', label: 'Burglary, last hour', category: 'burglary', window: 'hour', threshold: { kind: 'absolute', count: 3 }, sheet: '' },
        { id: 'all-7d', label: 'All, 7 days', category: '*', window: '7d', threshold: { kind: 'absolute', count: 1000 }, sheet: '' },
      ];
      const service = new IndicatorService(store, new EventBus(), () => DISTRICTS, indicators);
      // Each row's district once, by the test's own rectangle test.
      const rows = readHouston().map((r) => ({ ...r, district: rectangleOf(r) }));
      // A Tuesday evening in June, and a Saturday night in May: both with 8 weeks of history behind them.
      for (const iso of ['2010-06-15T19:00:00Z', '2010-05-22T23:00:00Z']) {
        const now = Date.parse(iso);
        const readings = service.readings(now);
        for (const ind of indicators) {
          const span = ind.window === 'hour' ? HOUR : WEEK;
          const count = (from: number, to: number, district: string) =>
            rows.filter((r) => r.t >= from && r.t < to && (ind.category === '*' || r.category === ind.category) && r.district === district).length;
          const mine = readings.filter((r) => r.indicatorId === ind.id);
          expect(mine.length, `${ind.id} at ${iso} has districts with incidents`).toBeGreaterThan(0);
          for (const r of mine) {
            expect(r.count, `${ind.id} ${r.district} at ${iso}`).toBe(count(now - span, now, r.district));
            let past = 0;
            for (let k = 1; k <= 8; k++) past += count(now - span - k * WEEK, now - k * WEEK, r.district);
            expect(r.usual, `${ind.id} ${r.district} usual at ${iso}`).toBeCloseTo(past / 8, 10);
          }
          // Every district with an incident in the window is read; none is missed.
          const truth = new Set(DISTRICTS.map((d) => d.name).filter((d) => count(now - span, now, d) > 0));
          expect(new Set(mine.map((r) => r.district))).toEqual(truth);
        }
      }
    } finally {
      store.close();
    }
  }, 300_000);
});
