import { describe, expect, it } from 'vitest';
import { makeHistory } from '../history';
import { DAY_MS } from '../model';
import { cellCentre, DAY, GRID, rng, table, T0, uniformEvents } from '../testData';
import { stack } from './stack';

describe('stack (experimental category-weighted mixture)', () => {
  it('weights a category that keeps returning to the same cells above one that falls anywhere', () => {
    const random = rng(4);
    // "noise" falls uniformly over 30 x 30 cells; "steady" returns to 20 fixed cells.
    const rows = uniformEvents(random, 6000, 30, 120, 'noise');
    const spots = Array.from({ length: 20 }, () => [Math.floor(random() * 30), Math.floor(random() * 30)] as const);
    for (let i = 0; i < 1500; i++) {
      const [x, y] = spots[i % spots.length]!;
      rows.push({ t: T0 + random() * 120 * DAY, ...cellCentre(x, y), category: 'steady' });
    }
    const at = T0 + 120 * DAY;
    const history = makeHistory(table(rows), GRID, at);
    const { params } = stack.forecast({ history, at, horizonMs: 7 * DAY_MS });
    // Groups are ordered by size: noise first, then steady.
    const weights = String(params.weights).split(' ').map(Number);
    expect(params.innerWindows).toBe(6);
    expect(weights[1]!).toBeGreaterThan(weights[0]!);
  });

  it('uses only the past', () => {
    const rows = uniformEvents(rng(3), 2000, 20, 120);
    const at = T0 + 120 * DAY;
    const later = [...rows, ...Array.from({ length: 50 }, (_, i) => ({ t: at + i * 3600e3, ...cellCentre(3, 3), category: 'theft' }))];
    const a = stack.forecast({ history: makeHistory(table(rows), GRID, at), at, horizonMs: 7 * DAY_MS }).scores;
    const b = stack.forecast({ history: makeHistory(table(later), GRID, at), at, horizonMs: 7 * DAY_MS }).scores;
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
