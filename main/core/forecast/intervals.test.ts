import { describe, expect, it } from 'vitest';
import { coverageShare, CoverageTally, interval, nbLogPmf, nbQuantile } from './intervals';
import { rng } from './testData';

describe('negative binomial and Poisson intervals', () => {
  it('match SciPy 1.17 (scipy.stats.nbinom with n = 1/φ, p = n/(n+μ); scipy.stats.poisson)', () => {
    // python3 -c "from scipy.stats import nbinom, poisson; ..." (values copied from its output)
    expect([0.05, 0.1, 0.9, 0.95].map((q) => nbQuantile(4, 0.5, q))).toEqual([0, 0, 9, 11]);
    expect(interval(0.3, 2, 0.95)).toEqual([0, 2]);
    expect(interval(12, 1, 0.9)).toEqual([0, 37]);
    expect(interval(10, 0, 0.9)).toEqual([5, 15]);
    expect(interval(4, 0, 0.9)).toEqual([1, 8]);
    expect(interval(0.05, 0, 0.8)).toEqual([0, 0]);
    const cdf = (mu: number, phi: number, y: number) => Array.from({ length: y + 1 }, (_, k) => Math.exp(nbLogPmf(k, mu, phi))).reduce((a, b) => a + b, 0);
    expect(cdf(4, 0.5, 0)).toBeCloseTo(0.11111111, 7);
    expect(cdf(4, 0.5, 3)).toBeCloseTo(0.53909465, 7);
    expect(cdf(4, 0.5, 7)).toBeCloseTo(0.85693238, 7);
    expect(cdf(12, 1, 5)).toBeCloseTo(0.38137515, 7);
    expect(cdf(12, 1, 20)).toBeCloseTo(0.8137931, 7);
  });
});

/** Draws from NB(μ, φ) as a gamma-Poisson mixture (Marsaglia-Tsang gamma), independently of intervals.ts. */
function drawNb(random: () => number, mu: number, phi: number): number {
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const gamma = (shape: number): number => {
    if (shape < 1) return gamma(shape + 1) * random() ** (1 / shape);
    const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal(), v = (1 + c * x) ** 3;
      if (v > 0 && Math.log(1 - random()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const lambda = phi > 0 ? gamma(1 / phi) * phi * mu : mu;
  let k = 0, p = Math.exp(-lambda), s = p;
  const u = random();
  while (u > s) { k++; p *= lambda / k; s += p; }
  return k;
}

describe('the calibration check', () => {
  const random = rng(9);
  const cells = Array.from({ length: 20_000 }, (_, i) => ({ mu: 0.02 + (i % 50) * 0.3, phi: (i % 7) * 0.3 }));
  const ys = cells.map(({ mu, phi }) => drawNb(random, mu, phi));

  it('finds 80 % and 95 % when the intervals are the distribution the counts came from, whole-count intervals more', () => {
    const tally = new CoverageTally();
    cells.forEach(({ mu, phi }, i) => tally.add(ys[i]!, mu, phi));
    const r = tally.result();
    expect(r.observed[0]!).toBeGreaterThan(0.79);
    expect(r.observed[0]!).toBeLessThan(0.81);
    expect(r.observed[1]!).toBeGreaterThan(0.94);
    expect(r.observed[1]!).toBeLessThan(0.96);
    // Whole counts cover at least their level (here much more: many cells expect well under one).
    expect(r.wholeCount[0]!).toBeGreaterThan(r.observed[0]!);
  });

  it('finds Poisson intervals too narrow for over-dispersed counts', () => {
    const tally = new CoverageTally();
    cells.forEach(({ mu }, i) => tally.add(ys[i]!, mu, 0));
    expect(tally.result().observed[0]!).toBeLessThan(0.75);
  });

  it('splits a count that straddles the interval edge by probability', () => {
    // Poisson(0.05): P(0) ≈ 0.951, so 0 lies in [0, 0.951]: a share (0.9 - 0.1) / 0.951 of it is inside the central 80 %.
    expect(coverageShare(0, 0.05, 0, 0.8)).toBeCloseTo(0.8 / Math.exp(-0.05), 9);
  });
});
