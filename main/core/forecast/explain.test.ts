import { describe, expect, it } from 'vitest';
import { makeHistory } from './history';
import { DAY_MS } from './model';
import { kdeExplain, kdeScores } from './models/kde';
import { MODELS } from './registry';
import { cellCentre, DAY, GRID, rng, table, T0, uniformEvents } from './testData';

const at = T0 + 120 * DAY;
const H = 7 * DAY_MS;

/** A background over 25 x 25 cells, a steady hotspot, and a burst of burglaries around (6, 6) in the last days. */
function city() {
  const random = rng(11);
  const rows = [...uniformEvents(random, 2500, 25, 120), ...uniformEvents(random, 600, 25, 120, 'assault')];
  for (let i = 0; i < 80; i++) rows.push({ t: T0 + random() * 120 * DAY, ...cellCentre(12, 17), category: 'theft' });
  for (let i = 0; i < 400; i++) {
    const t0 = T0 + random() * 118 * DAY;
    const x = Math.floor(random() * 25), y = Math.floor(random() * 25);
    rows.push({ t: t0, ...cellCentre(x, y), category: 'burglary' });
    rows.push({ t: t0 + random() * 2 * DAY, ...cellCentre(x, Math.min(24, y + 1)), category: 'burglary' });
  }
  for (let i = 0; i < 12; i++) rows.push({ t: at - random() * 3 * DAY, ...cellCentre(6 + (i % 2), 6), category: 'burglary' });
  return table(rows);
}

describe('why is this cell high: the parts add up to the cell value', () => {
  const history = makeHistory(city(), GRID, at);
  for (const model of MODELS) {
    it(`${model.name}: every cell's parts sum to its score`, () => {
      const forecast = model.forecast({ history, at, horizonMs: H });
      expect(forecast.explain, `${model.name} explains its cells`).toBeDefined();
      // The top cells, a middle one and the last one: the sum holds everywhere, not only at the top.
      const order = Array.from(forecast.scores.keys()).sort((a, b) => forecast.scores[b]! - forecast.scores[a]!);
      for (const cell of [...order.slice(0, 5), order[Math.floor(order.length / 2)]!, order.at(-1)!]) {
        const e = forecast.explain!(cell);
        const sum = e.parts.reduce((s, p) => s + p.value, 0);
        expect(e.value).toBeCloseTo(forecast.scores[cell]!, 9);
        expect(sum).toBeCloseTo(forecast.scores[cell]!, 9);
        for (const p of e.parts) expect(p.value).toBeGreaterThan(0);
      }
    });
  }

  it('kde: each smoothing and decay candidate explains its own scores, own-cell and neighbour events apart', () => {
    const cell = history.indexOf(12, 17);
    for (const halfLifeMs of [Infinity, 14 * DAY_MS]) for (const bandwidthCells of [0, 1, 2]) {
      const value = kdeScores({ history, at, horizonMs: H }, { halfLifeMs, bandwidthCells })[cell]!;
      const e = kdeExplain({ history, at, horizonMs: H }, { halfLifeMs, bandwidthCells }, cell);
      expect(e.parts.reduce((s, p) => s + p.value, 0)).toBeCloseTo(value, 9);
      const own = e.parts.filter((p) => p.ring === 0).reduce((s, p) => s + p.events, 0);
      expect(own).toBeGreaterThanOrEqual(80);
      if (bandwidthCells === 0) expect(e.parts.every((p) => p.ring === 0)).toBe(true);
      else expect(e.parts.some((p) => p.ring === 1)).toBe(true);
    }
  });

  it('hawkes: the burst cell owes part of its score to recent burglaries nearby, the steady hotspot to its background', () => {
    const forecast = MODELS.find((m) => m.name === 'hawkes')!.forecast({ history, at, horizonMs: H });
    const burst = forecast.explain!(history.indexOf(6, 6));
    const triggering = burst.parts.filter((p) => p.kind === 'triggering');
    expect(triggering.some((p) => p.category === 'burglary' && p.ageFromDays === 0 && p.events > 0)).toBe(true);
    const steady = forecast.explain!(history.indexOf(12, 17));
    const bg = steady.parts.filter((p) => p.kind === 'background').reduce((s, p) => s + p.value, 0);
    expect(bg / steady.value).toBeGreaterThan(0.5);
  });
});
