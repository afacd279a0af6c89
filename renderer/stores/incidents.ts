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
  actions: {
    /** The full list from the service: merged, keeping whichever copy of each incident is newer. */
    replaceAll(incidents: Incident[]): void;
    upsert(incident: Incident): void;
    /** Replay: exactly the incidents open at the replayed instant, as they stood then. */
    showReplay(incidents: Incident[]): void;
    select(id: string | null): void;
    setOpenOnly(openOnly: boolean): void;
    setSearch(search: string): void;
  };
}

const newer = (a: Incident | undefined, b: Incident) => !a || b.seq >= a.seq;

export const incidentsStore = createStoreContext<IncidentsState>('incidents', () =>
  createStore<IncidentsState>((set) => ({
    byId: {},
    loaded: false,
    selectedId: null,
    openOnly: true,
    search: '',
    actions: {
      replaceAll(incidents) {
        set((s) => {
          const byId: Record<string, Incident> = {};
          for (const incident of incidents) byId[incident.id] = newer(s.byId[incident.id], incident) ? incident : s.byId[incident.id]!;
          return { byId, loaded: true };
        });
      },
      upsert(incident) {
        set((s) => (newer(s.byId[incident.id], incident) ? { byId: { ...s.byId, [incident.id]: incident } } : s));
      },
      showReplay: (incidents) => set({ byId: Object.fromEntries(incidents.map((i) => [i.id, i])), loaded: true }),
      select: (selectedId) => set({ selectedId }),
      setOpenOnly: (openOnly) => set({ openOnly }),
      setSearch: (search) => set({ search }),
    },
  })),
);

export const useIncidents = incidentsStore.useSelector;
export const useIncidentActions = () => incidentsStore.useSelector((s) => s.actions);

/** What the list and the map show: filtered by the queue's settings, most recent first. */
export function visibleIncidents(s: Pick<IncidentsState, 'byId' | 'openOnly' | 'search'>): Incident[] {
  const needle = s.search.trim().toLowerCase();
  return Object.values(s.byId)
    .filter((i) => !s.openOnly || i.status !== 'closed')
    .filter((i) => !needle || `${i.title} ${i.address ?? ''} ${i.category} ${i.externalId}`.toLowerCase().includes(needle))
    .sort((a, b) => b.occurredAt - a.occurredAt || a.id.localeCompare(b.id));
}
