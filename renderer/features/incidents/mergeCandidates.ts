import type { Incident } from '../../../common/domain/incident';
import { distanceAndBearing } from '../../../common/geo/local';

/**
 * How near two incidents are, place and time together: 500 m apart weighs as much as 30 min apart
 * (two calls about one event come from the same streets within the same half hour). The dialog
 * states this rule, so the order is never a mystery.
 */
export const MERGE_METRES_PER_STEP = 500;
export const MERGE_MINUTES_PER_STEP = 30;

export interface MergeCandidate {
  incident: Incident;
  metres: number;
  minutes: number;
  /** metres / 500 + minutes / 30: 1 is "500 m, or 30 min, away". */
  nearness: number;
}

/** Open incidents other than `incident`, nearest first by place and time together. */
export function mergeCandidates(incident: Incident, all: Iterable<Incident>, limit = 30): MergeCandidate[] {
  const out: MergeCandidate[] = [];
  for (const other of all) {
    if (other.id === incident.id || other.status === 'closed') continue;
    const metres = distanceAndBearing(incident, other.lon, other.lat).distance;
    const minutes = Math.abs(other.occurredAt - incident.occurredAt) / 60_000;
    out.push({ incident: other, metres, minutes, nearness: metres / MERGE_METRES_PER_STEP + minutes / MERGE_MINUTES_PER_STEP });
  }
  // Equal nearness: the older one first, as the one a duplicate is usually merged into.
  return out.sort((a, b) => a.nearness - b.nearness || a.incident.occurredAt - b.incident.occurredAt).slice(0, limit);
}

/** "120 m" or "2.4 km". */
export function formatMetres(m: number): string {
  return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(1)} km`;
}

/** "4 min" or "3 h 05". */
export function formatMinutes(min: number): string {
  const whole = Math.round(min);
  return whole < 60 ? `${whole} min` : `${Math.floor(whole / 60)} h ${String(whole % 60).padStart(2, '0')}`;
}

/** Where an incident is, in words when the feed gave an address, else its coordinates. */
export function incidentPlace(i: Pick<Incident, 'address' | 'lat' | 'lon'>): string {
  return i.address ?? `${i.lat.toFixed(4)}, ${i.lon.toFixed(4)}`;
}
