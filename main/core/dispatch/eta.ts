import { haversineM } from '../../../common/geo/distance';
import type { UnitType } from '../../../common/domain/unit';

export interface EtaEstimate {
  /** Straight-line distance, metres (shown to the supervisor as is). */
  distanceM: number;
  /** Estimated travel time, seconds. */
  etaS: number;
  /** How this one was estimated: over the pack's roads, or the straight-line fallback (off the network, no road model). */
  via?: 'road' | 'straight-line';
  /** The way over the roads, [lon, lat] points, computed only for the units the ranking shows a route for. */
  path?: () => [number, number][];
}

/**
 * Estimates how long a unit takes to reach a point. Pluggable: a routing engine (OSRM, Valhalla)
 * can implement the same interface and replace the straight-line model without touching the
 * ranking. Kept synchronous; a routing engine would batch one call per ranking.
 */
export interface EtaModel {
  /** Recorded with every ranking so a later reader knows which model produced it. */
  readonly id: string;
  estimate(from: { lon: number; lat: number }, to: { lon: number; lat: number }, unitType: UnitType): EtaEstimate;
  /** Batch form for one incident: a road model searches once from the incident and answers every unit from that. */
  towards?(to: { lon: number; lat: number }): (from: { lon: number; lat: number }, unitType: UnitType) => EtaEstimate;
}

/**
 * Typical urban travel per unit type: speed (m/s, average including stops, not top speed) and
 * road factor (how much longer the road is than the straight line; ~1.3–1.4 in a dense European
 * city). Vehicles also lose a fixed minute getting going.
 */
export const TRAVEL: Record<UnitType, { speed: number; roadFactor: number; startS: number }> = {
  vehicle: { speed: 8.3, roadFactor: 1.4, startS: 60 }, // ≈ 30 km/h with priority lights
  person: { speed: 1.4, roadFactor: 1.3, startS: 0 }, // on foot, ≈ 5 km/h
  aircraft: { speed: 50, roadFactor: 1.0, startS: 300 }, // helicopter: straight line, but take-off
  vessel: { speed: 8, roadFactor: 1.2, startS: 120 },
  transit: { speed: 5, roadFactor: 1.5, startS: 0 }, // never dispatched; listed for completeness
  unknown: { speed: 5, roadFactor: 1.4, startS: 60 },
};

// The one great-circle distance (common/geo), re-exported for the ETA models that import it from here.
export { haversineM };

/** ETA = start-up time + straight-line distance × road factor ÷ unit-type speed. */
export const straightLineEta: EtaModel = {
  id: 'straight-line-v1',
  estimate(from, to, unitType) {
    const distanceM = haversineM(from, to);
    const t = TRAVEL[unitType];
    return { distanceM, etaS: t.startS + (distanceM * t.roadFactor) / t.speed, via: 'straight-line' };
  },
};
