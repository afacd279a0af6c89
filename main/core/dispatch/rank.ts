import type { Assignment, Availability, Capability, Recommendation, RecommendationList } from '../../../common/domain/dispatch';
import type { Unit } from '../../../common/domain/entities';
import type { Incident } from '../../../common/domain/incident';
import type { UnitType } from '../../../common/domain/unit';
import type { EtaModel } from './eta';

/**
 * The ranking, explicit so a supervisor can check it:
 *
 * 1. Transit vehicles (buses, trams) are never dispatched and are left out.
 * 2. Availability: a unit Vigie already assigned elsewhere (a unit cannot take two incidents) or
 *    whose last position is older than STALE_AFTER_MS cannot be assigned; a unit whose own feed
 *    says it is busy can, but only after every available one, and choosing it is an override.
 * 3. Capability: whether the unit type fits the category (CAPABILITY below). A partial fit
 *    counts its ETA × 1.5; no fit × 3.
 * 4. Score = ETA (from the pluggable EtaModel) × capability factor (+ 1 h when busy). Lower first.
 */
export const STALE_AFTER_MS = 10 * 60_000;
const CAPABILITY_FACTOR: Record<Capability, number> = { match: 1, partial: 1.5, none: 3 };
const BUSY_PENALTY_S = 3600;

/** Categories that need a vehicle (equipment, transport, speed); the rest suit foot patrols too. */
const NEEDS_VEHICLE = new Set(['fire', 'medical', 'traffic_accident', 'suspicious_package', 'assault', 'burglary']);

export function capabilityOf(unitType: UnitType, category: string): Capability {
  switch (unitType) {
    case 'vehicle':
      return 'match';
    case 'person':
      return NEEDS_VEHICLE.has(category) ? 'partial' : 'match';
    case 'aircraft':
      return category === 'missing_person' ? 'match' : 'partial';
    case 'vessel':
    case 'unknown':
      return 'partial';
    case 'transit':
      return 'none';
  }
}

/** Words unit feeds use for "busy" (CAD exports in French and English, our own demo). */
const BUSY_WORDS = /^(en[ _-]?route|on[ _-]?scene|sur[ _-]?place|busy|engag[ée]|occup[ée]|out[ _-]?of[ _-]?service|hors[ _-]?service|indisponible|unavailable|committed)/i;

export function availabilityOf(unit: Unit, active: Assignment | undefined, now: number): Availability {
  if (active) return 'assigned';
  if ((unit.expiresAt !== undefined && unit.expiresAt < now) || now - unit.t > STALE_AFTER_MS) return 'stale';
  if (unit.status && BUSY_WORDS.test(unit.status.trim())) return 'busy';
  return 'available';
}

export function rankUnits(incident: Incident, units: readonly Unit[], active: readonly Assignment[], model: EtaModel, now: number): RecommendationList {
  const byUnit = new Map(active.map((a) => [a.unitId, a]));
  const ranked = units
    .filter((u) => u.unitType !== 'transit')
    .map((u) => {
      const { distanceM, etaS } = model.estimate(u, incident, u.unitType);
      const capability = capabilityOf(u.unitType, incident.category);
      const assignment = byUnit.get(u.id);
      const availability = availabilityOf(u, assignment, now);
      const assignable = availability === 'available' || availability === 'busy';
      const score = etaS * CAPABILITY_FACTOR[capability] + (availability === 'busy' ? BUSY_PENALTY_S : 0);
      return {
        unitId: u.id,
        callsign: u.callsign ?? u.unitId,
        unitType: u.unitType,
        distanceM: Math.round(distanceM),
        etaS: Math.round(etaS),
        capability,
        availability,
        ...(assignment ? { assignedIncidentId: assignment.incidentId } : {}),
        ...(u.status ? { feedStatus: u.status } : {}),
        score: Math.round(score),
        assignable,
      };
    })
    .sort((a, b) => Number(b.assignable) - Number(a.assignable) || a.score - b.score || a.unitId.localeCompare(b.unitId));
  const units_: Recommendation[] = ranked.map((r, i) => ({ rank: i + 1, ...r }));
  return { incidentId: incident.id, model: model.id, computedAt: now, units: units_ };
}
