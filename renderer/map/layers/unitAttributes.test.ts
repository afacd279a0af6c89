import { describe, expect, it } from 'vitest';
import { buildUnitAttributes, FADED_ALPHA, unitColor, type UnitPoint } from './unitAttributes';

const NOW = Date.UTC(2026, 11, 5, 8);
const unit = (id: string, t: number, expiresAt?: number): UnitPoint => ({ id, lon: 5.37, lat: 43.3, status: 'available', t, ...(expiresAt !== undefined ? { expiresAt } : {}) });
const alphaOf = (a: ReturnType<typeof buildUnitAttributes>, id: string): number | undefined => {
  const i = a.ids.indexOf(id);
  return i < 0 ? undefined : a.colors[4 * i + 3];
};

describe('units fade as their CoT stale time nears, then go', () => {
  const units = [
    unit('no-expiry', NOW - 3_600_000),
    unit('fresh', NOW - 60_000, NOW + 10 * 60_000), // 11 min of validity, 10 left: drawn as current
    unit('fading', NOW - 110_000, NOW + 10_000), // 2 min of validity, 10 s left: faint
    unit('halfway', NOW - 90_000, NOW + 15_000), // the fade lasts 35 s here (a third of 105 s): halfway through it
    unit('stale', NOW - 130_000, NOW - 1_000), // past its stale time
  ];
  const a = buildUnitAttributes(units, NOW);

  it('an expired unit is not drawn at all', () => {
    expect(a.ids).toEqual(['fading', 'fresh', 'halfway', 'no-expiry']);
    expect(a.length).toBe(4);
  });

  it('a fresh unit, and one without a stale time, are opaque', () => {
    expect(alphaOf(a, 'fresh')).toBe(255);
    expect(alphaOf(a, 'no-expiry')).toBe(255);
  });

  it('opacity falls with the time left, towards the faded floor', () => {
    const floor = Math.round(255 * FADED_ALPHA);
    expect(alphaOf(a, 'fading')).toBeGreaterThan(floor);
    expect(alphaOf(a, 'fading')).toBeLessThan(alphaOf(a, 'halfway')!);
    // 15 s of a 35 s fade left: 0.3 + 0.7 × 15/35 = 0.6 of full.
    expect(alphaOf(a, 'halfway')).toBe(Math.round(255 * (FADED_ALPHA + (1 - FADED_ALPHA) * (15 / 35))));
    expect(alphaOf(a, 'halfway')).toBeLessThan(255);
  });

  it('the same unit, a minute later, is gone', () => {
    expect(buildUnitAttributes(units, NOW + 60_000).ids).toEqual(['fresh', 'no-expiry']);
  });
});

describe('a unit status from a feed that names what every object inherits', () => {
  it('is drawn in the colour of any status Vigie does not know (it read as Object’s own members)', () => {
    for (const status of ['constructor', 'toString', '__proto__']) expect(unitColor(status), status).toEqual(unitColor('patrolling'));
    const a = buildUnitAttributes([{ ...unit('odd', NOW - 1_000), status: 'constructor' }], NOW);
    expect([...a.colors.slice(0, 4)]).toEqual(unitColor('patrolling'));
  });
});
