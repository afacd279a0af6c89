import { describe, expect, it } from 'vitest';
import type { District } from '../indicators/districts';
import { runCheck, runCheckOffThread } from './check';
import type { ForecastModel } from './model';
import { kde } from './models/kde';
import { rng } from './testData';

const DAY = 864e5;
const NOW = Date.parse('2024-03-01T00:00:00Z');

/** Two square districts side by side near Marseille: West [5.30, 5.35] and East [5.35, 5.40], lat 43.25–43.30. */
function square(name: string, west: number, east: number): District {
  return { name, rings: [[[west, 43.25], [east, 43.25], [east, 43.3], [west, 43.3], [west, 43.25]]], bbox: [west, 43.25, east, 43.3] };
}
const DISTRICTS = [square('West', 5.3, 5.35), square('East', 5.35, 5.4)];

/** 42 days: most incidents at three hotspots in West, a thin scatter over both districts. */
function incidents() {
  const random = rng(5);
  const rows: { occurredAt: number; lon: number; lat: number; category: string }[] = [];
  const hotspots = [[5.31, 43.26], [5.325, 43.28], [5.34, 43.29]] as const;
  for (let i = 0; i < 900; i++) {
    const [lon, lat] = hotspots[i % 3]!;
    rows.push({ occurredAt: NOW - random() * 42 * DAY, lon: lon + (random() - 0.5) * 0.002, lat: lat + (random() - 0.5) * 0.002, category: i % 2 ? 'theft' : 'damage' });
  }
  for (let i = 0; i < 300; i++) rows.push({ occurredAt: NOW - random() * 42 * DAY, lon: 5.3 + random() * 0.1, lat: 43.25 + random() * 0.05, category: 'theft' });
  return rows;
}

/** A forecaster that flags only East, where few incidents happen: what the check must catch. */
const eastOnly: ForecastModel = {
  name: 'east-only',
  version: 'test',
  summary: 'scores cells east of 5.35 only',
  forecast({ history }) {
    const scores = new Float64Array(history.cellCount);
    for (let c = 0; c < history.cellCount; c++) {
      const lon = history.grid.lon0 + ((history.cellX[c]! + 0.5) * history.grid.cellM) / (111320 * Math.cos((history.grid.lat0 * Math.PI) / 180));
      scores[c] = lon > 5.35 ? 1 + (c % 7) : 0;
    }
    return { scores, params: {} };
  },
};

describe('the forecast check on the cache\'s recent weeks', () => {
  it('scores the model and both baselines over daily windows covering half the history, and accounts for every incident by district', async () => {
    const { check, note } = await runCheck({ incidents: incidents(), now: NOW, horizonHours: 24, model: kde, districts: DISTRICTS });
    expect(note).toBeNull();
    // The oldest incident is a little under 42 days old: half of that is 20 whole days.
    expect(check!.windows).toBe(20);
    expect(check!.to - check!.from).toBe(20 * DAY);
    expect(check!.baselines.map((b) => b.model)).toEqual(['count-all', 'count-recent']);
    expect(check!.model.pai[0]).toBeGreaterThan(1);
    expect(check!.districts.reduce((s, d) => s + d.incidents, 0)).toBe(check!.incidents);
    expect(check!.districts[0]!.name).toBe('West');
    // KDE on steady hotspots catches about what the all-history count catches.
    expect(check!.ratio[1]).toBeGreaterThan(0.9);
  });

  it('flags the district where the model misses what the baseline catches, and the one it over-flags', async () => {
    const { check } = await runCheck({ incidents: incidents(), now: NOW, horizonHours: 24, model: eastOnly, districts: DISTRICTS });
    const west = check!.districts.find((d) => d.name === 'West')!, east = check!.districts.find((d) => d.name === 'East')!;
    expect(west.worseThanBaseline).toBe(true);
    expect(west.modelHits).toBeLessThan(west.baselineHits);
    expect(east.overFlagged).toBe(true);
    expect(east.flaggedShare).toBeCloseTo(1, 5);
    expect(east.incidentShare).toBeLessThan(0.2);
    expect(check!.ratio[1]).toBeLessThan(0.5);
  });

  it('says why there is no check when the cache is too small or too short', async () => {
    expect((await runCheck({ incidents: incidents().slice(0, 20), now: NOW, horizonHours: 24, model: kde, districts: DISTRICTS })).note).toMatch(/only 20 incidents/);
    const short = incidents().map((i) => ({ ...i, occurredAt: NOW - ((NOW - i.occurredAt) % (DAY / 2)) }));
    expect((await runCheck({ incidents: short, now: NOW, horizonHours: 24, model: kde, districts: DISTRICTS })).note).toMatch(/needs at least 2\.0/);
  });

  it('never lets a window see its own incidents', async () => {
    // A model that peeks would score the cells of the next day: it is handed histories cut at each window start.
    const seen: number[] = [];
    const spy: ForecastModel = { ...kde, name: 'spy', forecast(req) { seen.push(req.history.events.length ? req.history.events.t[req.history.events.length - 1]! - req.at : -1); return kde.forecast(req); } };
    await runCheck({ incidents: incidents(), now: NOW, horizonHours: 24, model: spy, districts: DISTRICTS });
    expect(seen.every((d) => d < 0)).toBe(true);
  });
});

describe('the check off the service thread', () => {
  it('gives the same numbers in a worker thread as in process', async () => {
    const input = { incidents: incidents(), now: NOW, horizonHours: 24, model: kde, districts: DISTRICTS };
    const [inProcess, inWorker] = await Promise.all([runCheck(input), runCheckOffThread(input)]);
    expect(inWorker).toEqual(inProcess);
  }, 60_000); // the check runs the live model (auto, with its inner backtest) at every window
});
