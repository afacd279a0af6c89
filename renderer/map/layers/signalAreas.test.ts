import { describe, expect, it } from 'vitest';
import type { SignalReading, SuppressedSignal } from '../../../common/domain/signal';
import { signalAreas, signalText } from './signalAreas';

const T = Date.UTC(2026, 11, 5, 20, 0);
const Q = 15 * 60_000;
const places = [
  { name: 'Vieux-Port', position: [5.373, 43.295] as [number, number] },
  { name: 'Noailles', position: [5.382, 43.296] as [number, number] },
];
const r = (area: string, kind: SignalReading['kind'], start: number, count: number): SignalReading => ({ feedId: 'telecom', area, kind, start, minutes: 15, count });

describe('what the signals layer writes on each area', () => {
  it('the newest bucket of each kind, not an hour of quarter hours summed (which counts the same people four times)', () => {
    const areas = signalAreas([r('Vieux-Port', 'presence', T - 3 * Q, 900), r('Vieux-Port', 'presence', T - Q, 1500), r('Vieux-Port', 'presence', T - 2 * Q, 1100), r('Vieux-Port', 'mentions', T - Q, 38)], places);
    expect(areas).toHaveLength(1);
    expect(signalText(areas[0]!, (k) => ({ presence: 'present', mentions: 'mentions', reports: 'reports' })[k])).toBe('1500 present · 38 mentions');
    expect(areas[0]!.position).toEqual([5.373, 43.295]);
  });

  it('shades each area against the largest count of the same kind, and leaves out areas the city pack does not place', () => {
    const areas = signalAreas([r('Vieux-Port', 'presence', T, 2000), r('Noailles', 'presence', T, 500), r('Noailles', 'reports', T, 12), r('Atlantis', 'presence', T, 9000)], places);
    expect(Object.fromEntries(areas.map((a) => [a.area, a.share]))).toEqual({ 'Vieux-Port': 1, Noailles: 1 });
    expect(Object.fromEntries(signalAreas([r('Vieux-Port', 'presence', T, 2000), r('Noailles', 'presence', T, 500)], places).map((a) => [a.area, a.share]))).toEqual({ 'Vieux-Port': 1, Noailles: 0.25 });
  });

  it('writes "< k" for a bucket below k, and marks an area apart when every count it has is below k', () => {
    const below = (area: string, kind: SignalReading['kind']): SuppressedSignal => ({ feedId: 'telecom', area, kind, start: T, minutes: 15, count: null, belowK: 10 });
    const areas = signalAreas([r('Vieux-Port', 'presence', T, 1500), below('Vieux-Port', 'mentions'), below('Noailles', 'presence')], places);
    const label = (k: SignalReading['kind']) => ({ presence: 'présents', mentions: 'mentions', reports: 'signalements' })[k];
    const byName = Object.fromEntries(areas.map((a) => [a.area, a]));
    expect(signalText(byName['Vieux-Port']!, label)).toBe('1500 présents · < 10 mentions');
    expect(signalText(byName['Noailles']!, label)).toBe('< 10 présents');
    expect([byName['Vieux-Port']!.belowKOnly, byName['Noailles']!.belowKOnly]).toEqual([false, true]);
    expect(byName['Vieux-Port']!.share).toBe(1);
  });
});
