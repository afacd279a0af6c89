import { createStore } from 'zustand';
import type { Assignment } from '../../common/domain/dispatch';
import { createStoreContext } from './createStoreContext';

export interface DispatchState {
  /** Every assignment this window has heard of (active ones loaded at connection, the rest as they change). */
  assignments: Record<string, Assignment>;
  /** The routes of the ranking open in the details panel, drawn on the map (rank 1 first). */
  routes: { unitId: string; callsign: string; rank: number; path: [number, number][] }[];
  actions: {
    showRoutes(routes: DispatchState['routes']): void;
    load(assignments: Assignment[]): void;
    /** Exactly these (replay: the assignments as they stood at the replayed instant). */
    replaceAll(assignments: Assignment[]): void;
    changed(assignment: Assignment): void;
  };
}

const newer = (a: Assignment | undefined, b: Assignment) => !a || b.seq >= a.seq;

export const dispatchStore = createStoreContext<DispatchState>('dispatch', () =>
  createStore<DispatchState>((set) => ({
    assignments: {},
    routes: [],
    actions: {
      // A ranking without routes (no roads) refreshes every 5 s: keep the same empty list, redraw nothing.
      showRoutes: (routes) => set((s) => (routes.length === 0 && s.routes.length === 0 ? s : { routes })),
      load: (list) =>
        set((s) => {
          const assignments = { ...s.assignments };
          for (const a of list) if (newer(assignments[a.id], a)) assignments[a.id] = a;
          return { assignments };
        }),
      replaceAll: (list) => set({ assignments: Object.fromEntries(list.map((a) => [a.id, a])) }),
      changed: (a) => set((s) => (newer(s.assignments[a.id], a) ? { assignments: { ...s.assignments, [a.id]: a } } : s)),
    },
  })),
);

export const useDispatch = dispatchStore.useSelector;
