import { createStore } from 'zustand';
import type { Incident } from '../../common/domain/incident';
import { createStoreContext } from './createStoreContext';

export interface IncidentsState {
  /** Replaced (never mutated) on every change, so its identity tells lists and layers to rebuild. */
  byId: Record<string, Incident>;
  loaded: boolean;
  selectedId: string | null;
  openOnly: boolean;
  search: string;
  /** The queue's order: priority, newest first within one (the default), or most recent first. Open P1s are on top in both. */
  order: IncidentOrder;
  /** Where the selected incident stood when it was selected: it stays at that row while others arrive. */
  anchorIndex: number | null;
  /** When each incident arrived on this screen after the first load (a new P1 flashes for a while). */
  arrivedAt: Record<string, number>;
  actions: {
    /** The full list from the service: merged, keeping whichever copy of each incident is newer. */
    replaceAll(incidents: Incident[]): void;
    upsert(incident: Incident): void;
    /** Replay: exactly the incidents open at the replayed instant, as they stood then. */
    showReplay(incidents: Incident[]): void;
    select(id: string | null): void;
    setOpenOnly(openOnly: boolean): void;
    setSearch(search: string): void;
    setOrder(order: IncidentOrder): void;
  };
}

export type IncidentOrder = 'priority' | 'time';

const newer = (a: Incident | undefined, b: Incident) => !a || b.seq >= a.seq;

export const incidentsStore = createStoreContext<IncidentsState>('incidents', () =>
  createStore<IncidentsState>((set) => ({
    byId: {},
    loaded: false,
    selectedId: null,
    openOnly: true,
    search: '',
    order: 'priority',
    anchorIndex: null,
    arrivedAt: {},
    actions: {
      replaceAll(incidents) {
        set((s) => {
          const byId: Record<string, Incident> = {};
          for (const incident of incidents) byId[incident.id] = newer(s.byId[incident.id], incident) ? incident : s.byId[incident.id]!;
          return { byId, loaded: true };
        });
      },
      upsert(incident) {
        set((s) => {
          if (!newer(s.byId[incident.id], incident)) return s;
          const arrived = s.loaded && !s.byId[incident.id] ? { arrivedAt: { ...s.arrivedAt, [incident.id]: Date.now() } } : {};
          return { byId: { ...s.byId, [incident.id]: incident }, ...arrived };
        });
      },
      showReplay: (incidents) => set({ byId: Object.fromEntries(incidents.map((i) => [i.id, i])), loaded: true }),
      // The row it is on now, as shown (with the current anchor), so the selection does not jump.
      select: (selectedId) => set((s) => ({ selectedId, anchorIndex: selectedId ? indexOrNull(visibleIncidents(s).findIndex((i) => i.id === selectedId)) : null })),
      setOpenOnly: (openOnly) => set({ openOnly, anchorIndex: null }),
      setSearch: (search) => set({ search, anchorIndex: null }),
      setOrder: (order) => set({ order, anchorIndex: null }),
    },
  })),
);

export const useIncidents = incidentsStore.useSelector;
export const useIncidentActions = () => incidentsStore.useSelector((s) => s.actions);

const indexOrNull = (i: number) => (i < 0 ? null : i);
const pinned = (i: Incident) => (i.priority === 1 && i.status !== 'closed' ? 0 : 1);

/**
 * What the list and the map show: filtered by the queue's settings; open P1s first, then by
 * priority (newest first within one) or most recent first whatever the priority. The selected
 * incident keeps the row it was selected on while others arrive (`anchorIndex`), so it never
 * moves under the supervisor's eyes or cursor.
 */
export function visibleIncidents(s: Pick<IncidentsState, 'byId' | 'openOnly' | 'search'> & Partial<Pick<IncidentsState, 'order' | 'selectedId' | 'anchorIndex'>>): Incident[] {
  const needle = s.search.trim().toLowerCase();
  const byTime = (a: Incident, b: Incident) => b.occurredAt - a.occurredAt;
  // Within a priority the newest first: what just came in is what the room has not looked at yet.
  const compare = s.order === 'time' ? byTime : (a: Incident, b: Incident) => a.priority - b.priority || byTime(a, b);
  const list = Object.values(s.byId)
    .filter((i) => !s.openOnly || i.status !== 'closed')
    .filter((i) => !needle || `${i.title} ${i.address ?? ''} ${i.category} ${i.externalId}`.toLowerCase().includes(needle))
    .sort((a, b) => pinned(a) - pinned(b) || compare(a, b) || a.id.localeCompare(b.id));
  if (s.selectedId == null || s.anchorIndex == null) return list;
  const at = list.findIndex((i) => i.id === s.selectedId);
  if (at < 0 || at === s.anchorIndex) return list;
  const [selected] = list.splice(at, 1);
  list.splice(Math.min(s.anchorIndex, list.length), 0, selected!);
  return list;
}
