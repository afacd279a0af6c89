import { createStore } from 'zustand';
import type { SearchHit } from '../../common/methods/search';
import { createStoreContext } from './createStoreContext';

/** A place to create an incident at: a search result, a map point or the map centre. */
export interface IncidentPlace {
  lon: number;
  lat: number;
  /** The address or place name, when it came from a search result. */
  address?: string;
}

export interface SearchState {
  /** The result the map flew to and rings; null when none. */
  target: SearchHit | null;
  /** The place of the incident being created by hand (its dialog is open); null when none. */
  newIncident: IncidentPlace | null;
  actions: {
    show(hit: SearchHit | null): void;
    startIncident(at: IncidentPlace): void;
    closeIncident(): void;
  };
}

/** The search box's pick (flown to and ringed on the map) and the incident being placed by hand. */
export const searchStore = createStoreContext<SearchState>('search', () =>
  createStore<SearchState>((set) => ({
    target: null,
    newIncident: null,
    actions: {
      show: (target) => set({ target }),
      startIncident: (newIncident) => set({ newIncident }),
      closeIncident: () => set({ newIncident: null }),
    },
  })),
);

export const useSearch = searchStore.useSelector;
