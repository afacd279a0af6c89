import type { Assignment, Coverage } from '../../../common/domain/dispatch';
import type { Unit } from '../../../common/domain/entities';
import { availabilityOf } from '../dispatch/rank';
import { TRAVEL } from '../dispatch/eta';
import type { Router } from './router';
import { TRAVEL_MODES, type TravelMode } from './roadRules';

/** The isochrones shown: reached within 5, 10 and 15 minutes. */
export const COVERAGE_BANDS_S = [300, 600, 900] as const;

/**
 * Which streets the units available now reach within each band: one multi-source search per
 * travel mode (vehicles drive, foot patrols walk, each with its start-up time), then every street
 * segment coloured by the later of its two ends. Units busy, assigned elsewhere or stale do not count.
 */
export function coverage(router: Router, units: readonly Unit[], active: readonly Assignment[], now: number): Coverage {
  const byUnit = new Map(active.map((a) => [a.unitId, a]));
  const available = units.filter((u) => availabilityOf(u, byUnit.get(u.id), now) === 'available');
  const max = COVERAGE_BANDS_S[COVERAGE_BANDS_S.length - 1]!;
  const n = router.n;
  const time = new Float64Array(n).fill(Infinity);
  const modeOf = (u: Unit): TravelMode | null => (u.unitType === 'person' ? 'foot' : u.unitType === 'vehicle' || u.unitType === 'unknown' ? 'vehicle' : null);
  let counted = 0;
  for (const mode of TRAVEL_MODES) {
    const starts = available.filter((u) => modeOf(u) === mode);
    if (starts.length === 0) continue;
    counted += starts.length;
    const t = router.fromMany(mode, starts, max - TRAVEL[mode === 'foot' ? 'person' : 'vehicle'].startS);
    const startS = TRAVEL[mode === 'foot' ? 'person' : 'vehicle'].startS;
    for (let i = 0; i < n; i++) if (t[i]! + startS < time[i]!) time[i] = t[i]! + startS;
  }
  const band = (s: number) => COVERAGE_BANDS_S.findIndex((b) => s <= b);
  const lines: Coverage['lines'] = [];
  const seen = new Set<number>();
  for (const mode of TRAVEL_MODES) {
    const g = router.graph.modes[mode];
    for (let a = 0; a < n; a++) {
      for (let e = g.offsets[a]!; e < g.offsets[a + 1]!; e++) {
        const b = g.targets[e]!;
        const key = Math.min(a, b) * n + Math.max(a, b);
        if (seen.has(key)) continue;
        const k = band(Math.max(time[a]!, time[b]!));
        if (k < 0) continue;
        seen.add(key);
        lines.push({ band: k, path: router.drawEdges(g, a, [e]).map(([x, y]) => [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5]) });
      }
    }
  }
  return { bandsS: [...COVERAGE_BANDS_S], units: counted, computedAt: now, roads: true, lines };
}
