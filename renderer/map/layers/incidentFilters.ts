import type { Incident } from '../../../common/domain/incident';
import { WINDOW_MS, type IncidentFilters } from '../../stores/mapLayers';

/** The map's own filters (time window, category, status, source), applied on top of the list's. */
export function filterIncidents(incidents: readonly Incident[], f: IncidentFilters, now: number): Incident[] {
  const since = now - WINDOW_MS[f.window];
  return incidents.filter(
    (i) =>
      i.occurredAt >= since &&
      (f.category === 'all' || i.category === f.category) &&
      (f.source === 'all' || i.feedId === f.source) &&
      (f.status === 'all' || (f.status === 'open' ? i.status !== 'closed' : f.status === 'closed' ? i.status === 'closed' : i.status === f.status)),
  );
}
