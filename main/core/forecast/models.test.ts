import { describe, expect, it } from 'vitest';
import { makeHistory } from './history';
import { DAY_MS } from './model';
import { countAll, countRecent } from './models/baselines';
import { categoryGroups, fitHawkes, hawkes } from './models/hawkes';
import { kde } from './models/kde';
import { MODELS } from './registry';
import { cellCentre, DAY, GRID, rng, table, T0, uniformEvents } from './testData';

const at = T0 + 120 * DAY;
const H = 7 * DAY_MS;

function plantedHotspot() {
  const random = rng(7);
  const rows = uniformEvents(random, 3000, 30, 120);
  // Cell (12, 17) gets 60 extra incidents spread over the whole period.
  for (let i = 0; i < 60; i++) rows.push({ t: T0 + random() * 120 * DAY, ...cellCentre(12, 17), category: 'theft' });
  return table(rows);
}

describe('every model on a planted hotspot', () => {
  const events = plantedHotspot();
  const history = makeHistory(events, GRID, at);
  for (const model of MODELS) {
    it(`${model.name} ranks the planted cell first`, () => {
      const { scores } = model.forecast({ history, at, horizonMs: H });
      let top = 0;
      for (let c = 1; c < scores.length; c++) if (scores[c]! > scores[top]!) top = c;
      expect([history.cellX[top], history.cellY[top]]).toEqual([12, 17]);
    }, 60_000); // auto runs an inner backtest over every candidate: slow on a shared machine
  }
});

describe('forecasts use only the past', () => {
  it('gives the same scores whether or not the file holds events after the forecast time', () => {
    const rows = uniformEvents(rng(3), 2000, 20, 120);
    const future = [...rows, ...Array.from({ length: 50 }, (_, i) => ({ t: at + i * 3600e3, ...cellCentre(3, 3), category: 'theft' }))];
    for (const model of MODELS) {
      const a = model.forecast({ history: makeHistory(table(rows), GRID, at), at, horizonMs: H }).scores;
      const b = model.forecast({ history: makeHistory(table(future), GRID, at), at, horizonMs: H }).scores;
      expect(Array.from(b), model.name).toEqual(Array.from(a));
    }
  }, 60_000);
});

describe('baselines', () => {
  it('count-all counts every past event and count-recent only the last 28 days', () => {
    const rows = [
      { t: at - 100 * DAY, ...cellCentre(1, 1), category: 'x' },
      { t: at - 100 * DAY, ...cellCentre(1, 1), category: 'x' },
      { t: at - 1 * DAY, ...cellCentre(2, 2), category: 'x' },
    ];
    const history = makeHistory(table(rows), GRID, at);
    const all = countAll.forecast({ history, at, horizonMs: H }).scores, recent = countRecent.forecast({ history, at, horizonMs: H }).scores;
    const cell = (x: number, y: number) => history.indexOf(x, y);
    expect(all[cell(1, 1)]! / all[cell(2, 2)]!).toBeCloseTo(2);
    expect(recent[cell(1, 1)]).toBe(0);
    expect(recent[cell(2, 2)]!).toBeGreaterThan(0);
  });
});

describe('kernel density with time decay', () => {
  it('learns from the history to favour recent events when hotspots move', () => {
    // Every four weeks the hot cell moves: only a short memory forecasts the next week well.
    const random = rng(11);
    const rows = uniformEvents(random, 1500, 25, 120);
    for (let block = 0; block < 5; block++) {
      const hot = [3 + 4 * block, 20 - 3 * block] as const;
      for (let i = 0; i < 120; i++) rows.push({ t: T0 + (block * 28 + random() * 28) * DAY, ...cellCentre(hot[0], hot[1]), category: 'theft' });
    }
    const end = T0 + 130 * DAY;
    const history = makeHistory(table(rows), GRID, end);
    const { params } = kde.forecast({ history, at: end, horizonMs: H });
    expect(params.halfLifeDays).not.toBe('none');
  });
});

describe('self-exciting process', () => {
  it('finds almost no triggering in a pure Poisson background', () => {
    const history = makeHistory(table(uniformEvents(rng(5), 3000, 30, 120)), GRID, at);
    const [group] = categoryGroups(history, 300);
    const fit = fitHawkes(history, group!.events, at);
    expect(fit.theta).toBeLessThan(0.05);
  });

  it('finds strong triggering in a near-repeat process, with a short decay', () => {
    const random = rng(9);
    const rows = uniformEvents(random, 600, 30, 120);
    // Each background event has on average 0.6 offspring, a day or so later, in the same or next cell.
    const queue = [...rows];
    while (queue.length > 0) {
      const parent = queue.pop()!;
      const kids = random() < 0.6 ? 1 : 0;
      for (let k = 0; k < kids; k++) {
        const kid = { t: parent.t - Math.log(1 - random()) * DAY, lon: parent.lon + (random() - 0.5) * 0.001, lat: parent.lat + (random() - 0.5) * 0.001, category: 'theft' };
        if (kid.t < at) { rows.push(kid); queue.push(kid); }
      }
    }
    const history = makeHistory(table(rows), GRID, at);
    const [group] = categoryGroups(history, 300);
    const fit = fitHawkes(history, group!.events, at);
    expect(fit.theta).toBeGreaterThan(0.4);
    expect(1 / fit.omegaPerDay).toBeGreaterThan(0.5);
    expect(1 / fit.omegaPerDay).toBeLessThan(2);
  });

  it('fits large categories on their own and pools the small ones', () => {
    const rows = [...uniformEvents(rng(1), 400, 20, 100, 'theft'), ...uniformEvents(rng(2), 50, 20, 100, 'arson'), ...uniformEvents(rng(3), 60, 20, 100, 'fraud')];
    const history = makeHistory(table(rows), GRID, at);
    const groups = categoryGroups(history, 300);
    expect(groups.map((g) => [g.label, g.events.length]).sort()).toEqual([['other categories', 110], ['theft', 400]]);
    expect(Object.keys(hawkes.forecast({ history, at, horizonMs: H }).params).sort()).toEqual(['other categories', 'theft']);
  });
});
