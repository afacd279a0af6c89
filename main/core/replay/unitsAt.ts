import type { Unit } from '../../../common/domain/entities';
import type { UnitFields } from '../../../common/domain/unit';
import { unitStatesAt } from '../db/replay';
import type { Store } from '../store';
import { assignmentsAt } from './kindsAt';
import type { Assignment } from '../../../common/domain/dispatch';

/**
 * The units as they were at `at`: where each was last seen by then and what it was (its identity
 * and status events by then), so that ranking and coverage in replay use the day's units, not
 * today's. A unit's own feed status and time come from then, hence its availability (stale, busy).
 */
export function unitsAt(store: Store, at: number, simulatedFeeds: ReadonlySet<string> = new Set()): Unit[] {
  return unitStatesAt(store.db, at).map(([id, feedId, t, lon, lat, heading, seq, payload]) => {
    const identity = JSON.parse(payload) as Omit<UnitFields, 'lon' | 'lat' | 'heading' | 'speed'>;
    return { ...identity, id, feedId, simulated: simulatedFeeds.has(feedId), lon, lat, t, ...(heading !== null ? { heading } : {}), updatedAt: t, seq };
  });
}

/** Dispatches still running at `at` (a unit then cannot take a second incident). */
export function activeAssignmentsAt(store: Store, at: number): Assignment[] {
  return assignmentsAt(store, at).filter((a) => a.status !== 'cleared');
}
