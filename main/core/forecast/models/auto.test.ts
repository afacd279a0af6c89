import { describe, expect, it } from 'vitest';
import { runBacktest } from '../backtest';
import type { EventInput } from '../events';
import { makeHistory } from '../history';
import { interval } from '../intervals';
import { DAY_MS } from '../model';
import { cellCentre, DAY, GRID, rng, table, T0 } from '../testData';
import { auto, shiftCandidates } from './auto';
import { countAll, countRecent } from './baselines';

/** A stationary Poisson city: each cell has its own fixed rate (independent of its neighbours), nothing else. */
function poissonCity(seed: number, days: number): EventInput[] {
  const random = rng(seed);
  const rows: EventInput[] = [];
  for (let x = 0; x < 25; x++) for (let y = 0; y < 25; y++) {
    // Rates from a skewed law, so some cells are clearly hotter, with no spatial or temporal pattern to learn.
    const perDay = 0.4 * (-Math.log(1 - random())) ** 2;
    let t = T0 + (-Math.log(1 - random()) / perDay) * DAY;
    while (t < T0 + days * DAY) {
      rows.push({ t, ...cellCentre(x, y), category: 'theft' });
      t += (-Math.log(1 - random()) / perDay) * DAY;
    }
  }
  return rows;
}

/**
 * A strongly self-exciting city (Mohler et al. 2011): background events uniform over the grid,
 * each event followed by Poisson(θ) offspring about a day later (exponential lag) in its own or a
 * neighbouring cell. Where the next events fall depends on where the last ones fell, not on a
 * cell's long-term count.
 */
function nearRepeatCity(seed: number, days: number, backgroundPerDay: number, theta: number, lagDays: number): EventInput[] {
  const random = rng(seed);
  const poisson = (mean: number) => { let k = 0, p = Math.exp(-mean), s = p; const u = random(); while (u > s) { k++; p *= mean / k; s += p; } return k; };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const end = T0 + days * DAY;
  const queue: { t: number; x: number; y: number }[] = [];
  for (let i = 0; i < backgroundPerDay * days; i++) queue.push({ t: T0 + random() * days * DAY, x: Math.floor(random() * 40), y: Math.floor(random() * 40) });
  const rows: EventInput[] = [];
  while (queue.length) {
    const e = queue.pop()!;
    rows.push({ t: e.t, ...cellCentre(e.x, e.y), category: 'burglary' });
    for (let k = poisson(theta); k > 0; k--) {
      const t = e.t - Math.log(1 - random()) * lagDays * DAY;
      if (t < end) queue.push({ t, x: e.x + Math.round(0.7 * gauss()), y: e.y + Math.round(0.7 * gauss()) });
    }
  }
  return rows;
}

describe('auto: the live model is chosen by evidence', () => {
  it('picks a count in a pure Poisson city, where nothing beats counting', () => {
    const events = table(poissonCity(11, 150));
    const at = T0 + 150 * DAY;
    const { params } = auto.forecast({ history: makeHistory(events, GRID, at), at, horizonMs: 7 * DAY_MS });
    expect(['count-all', 'count-recent']).toContain(params.chosen);
    // It says what it measured against and by how much.
    expect(params.reference).toMatch(/^count-/);
    expect(params.gainOverBestCountPct).toBe(0);
    expect(params.innerOrigins).toBe(6);
  });

  it('picks the self-exciting model in a strong near-repeat city', () => {
    const events = table(nearRepeatCity(5, 60, 15, 0.8, 1));
    const at = T0 + 60 * DAY;
    // A two-day horizon: the inner backtest then has 7 origins (each fits the self-exciting model).
    const { params } = auto.forecast({ history: makeHistory(events, GRID, at), at, horizonMs: 2 * DAY_MS });
    expect(params.chosen).toBe('hawkes');
    // Chosen because it beat the best count on the inner windows by more than the margin.
    expect(Number(params.gainOverBestCountPct)).toBeGreaterThan(Number(params.marginPct));
  }, 120_000);

  it('is never behind the best count in a rolling backtest of a Poisson city, and its intervals hold their level', () => {
    const events = table(poissonCity(23, 200));
    const result = runBacktest(events, {
      start: T0 + 140 * DAY, end: T0 + 196 * DAY, horizonMs: 7 * DAY_MS, cellM: GRID.cellM,
      origin: { lon0: GRID.lon0, lat0: GRID.lat0 }, models: [countAll, countRecent, auto],
    });
    const [all, recent, chosen] = result.results;
    for (const k of [0, 1]) expect(chosen!.accuracy.pai[k]!).toBeGreaterThanOrEqual(Math.max(all!.accuracy.pai[k]!, recent!.accuracy.pai[k]!) * 0.99);
    // Observed coverage within 5 points of nominal at 80 % and 95 %.
    const cover = chosen!.coverage!;
    expect(cover.levels).toEqual([0.8, 0.95]);
    expect(Math.abs(cover.observed[0]! - 0.8)).toBeLessThan(0.05);
    expect(Math.abs(cover.observed[1]! - 0.95)).toBeLessThan(0.05);
  }, 60_000);

  it('gives a bursty cell a wider interval than a steady cell with the same expected count', () => {
    const random = rng(3);
    const rows: EventInput[] = [];
    const weeks = 16, at = T0 + weeks * 7 * DAY;
    // Background so that the city-wide fit has something to work on.
    for (let i = 0; i < 4000; i++) rows.push({ t: T0 + random() * weeks * 7 * DAY, ...cellCentre(Math.floor(random() * 20), Math.floor(random() * 20)), category: 'theft' });
    for (let w = 0; w < weeks; w++) {
      // Steady: 12 a week, every week. Bursty: 48 one week in four, none otherwise (the same mean).
      for (let i = 0; i < 12; i++) rows.push({ t: T0 + (w * 7 + random() * 7) * DAY, ...cellCentre(30, 30), category: 'theft' });
      if (w % 4 === 1) for (let i = 0; i < 48; i++) rows.push({ t: T0 + (w * 7 + random() * 7) * DAY, ...cellCentre(35, 35), category: 'theft' });
    }
    const history = makeHistory(table(rows), GRID, at);
    const f = auto.forecast({ history, at, horizonMs: 7 * DAY_MS });
    const steady = history.indexOf(30, 30), bursty = history.indexOf(35, 35);
    const u = f.uncertainty!;
    const [, highSteady] = interval(u.scale * f.scores[steady]!, u.dispersion[steady]!, 0.9);
    const [, highBursty] = interval(u.scale * f.scores[bursty]!, u.dispersion[bursty]!, 0.9);
    expect(u.dispersion[bursty]!).toBeGreaterThan(u.dispersion[steady]!);
    expect(highBursty).toBeGreaterThan(highSteady);
  }, 60_000);

  it('picks a time-of-day count for an 8-hour shift where places are busy at different hours', () => {
    const random = rng(8);
    const rows: EventInput[] = [];
    // Night spots (00:00-08:00) and day spots (08:00-24:00), 60 days, as many incidents each.
    const night = Array.from({ length: 30 }, () => [Math.floor(random() * 30), Math.floor(random() * 30)] as const);
    const day = Array.from({ length: 30 }, () => [Math.floor(random() * 30), Math.floor(random() * 30)] as const);
    for (let d = 0; d < 60; d++) for (let i = 0; i < 30; i++) {
      const [nx, ny] = night[Math.floor(random() * 30)]!, [dx, dy] = day[Math.floor(random() * 30)]!;
      rows.push({ t: T0 + d * DAY + random() * 8 * 3_600_000, ...cellCentre(nx, ny), category: 'theft' });
      rows.push({ t: T0 + d * DAY + (8 + random() * 16) * 3_600_000, ...cellCentre(dx, dy), category: 'theft' });
    }
    const at = T0 + 60 * DAY; // midnight: the next shift is the night one
    const history = makeHistory(table(rows), GRID, at);
    const { params } = auto.forecast({ history, at, horizonMs: 8 * 3_600_000 });
    expect(params.chosen).toBe('shift-count');
    // Daily data (every time at midnight) gets no time-of-day candidate, nor does a 7-day horizon.
    const daily = makeHistory(table(rows.map((r) => ({ ...r, t: r.t - (r.t % DAY) }))), GRID, at);
    expect(shiftCandidates({ history: daily, at, horizonMs: 8 * 3_600_000 })).toEqual([]);
    expect(shiftCandidates({ history, at, horizonMs: 7 * DAY_MS })).toEqual([]);
  }, 60_000);
});
