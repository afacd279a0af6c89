import type { Assignment, Availability, Capability, Recommendation, RecommendationList } from '../../../common/domain/dispatch';
import type { Unit } from '../../../common/domain/entities';
import type { Incident } from '../../../common/domain/incident';
import type { UnitType } from '../../../common/domain/unit';
import { straightLineEta, type EtaModel } from './eta';

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
 * 5. Plausibility: a unit farther than PLAUSIBLE_M for its type (by road, or in a straight line
 *    when it is off the road network) is listed last and never recommended: its position is
 *    wrong or it is in another city (a unit 8,570 km away once ranked first with an ETA of 401 h).
 */
export const STALE_AFTER_MS = 10 * 60_000;
const CAPABILITY_FACTOR: Record<Capability, number> = { match: 1, partial: 1.5, none: 3 };
const BUSY_PENALTY_S = 3600;
/** How far a unit of each type can plausibly come from, metres (a city and its outskirts; a helicopter's range). */
export const PLAUSIBLE_M: Record<UnitType, number> = { vehicle: 40_000, unknown: 40_000, person: 4_000, aircraft: 250_000, vessel: 60_000, transit: 40_000 };
/** The first units with a road ETA carry their route, for the map. */
const ROUTES_SHOWN = 3;

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
  const estimate = model.towards?.(incident) ?? ((from, unitType) => model.estimate(from, incident, unitType));
  const paths = new Map<string, () => [number, number][]>();
  let byRoad = false;
  const ranked = units
    .filter((u) => u.unitType !== 'transit')
    .map((u) => {
      const { distanceM, etaS, via, path } = estimate(u, u.unitType);
      if (path) paths.set(u.id, path);
      if (via === 'road') byRoad = true;
      const capability = capabilityOf(u.unitType, incident.category);
      const assignment = byUnit.get(u.id);
      const availability = availabilityOf(u, assignment, now);
      const tooFar = distanceM > PLAUSIBLE_M[u.unitType];
      const assignable = (availability === 'available' || availability === 'busy') && !tooFar;
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
        via: via ?? 'straight-line',
        ...(tooFar ? { tooFar: true } : {}),
      };
    })
    .sort((a, b) => Number(b.assignable) - Number(a.assignable) || a.score - b.score || a.unitId.localeCompare(b.unitId));
  let routes = 0;
  const units_: Recommendation[] = ranked.map((r, i) => {
    const path = r.assignable && routes < ROUTES_SHOWN ? paths.get(r.unitId) : undefined;
    if (path) routes++;
    return { rank: i + 1, ...r, ...(path ? { route: path().map(([x, y]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6] as [number, number]) } : {}) };
  });
  // A road model whose pack has no roads (or no unit near them) ranked by straight line: say so.
  return { incidentId: incident.id, model: byRoad ? model.id : straightLineEta.id, computedAt: now, units: units_ };
}
