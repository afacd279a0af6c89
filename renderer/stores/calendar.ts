import { createStore } from 'zustand';
import type { Clash, PlannedEvent, PlannedKind } from '../../common/domain/plannedEvent';
import { createStoreContext } from './createStoreContext';

/** The manual entry form, kept while its polygon is drawn on the map (the dialog closes meanwhile). */
export interface CalendarDraft {
  title: string;
  kind: PlannedKind;
  start: string;
  end: string;
  attendance: string;
  shape: 'point' | 'polygon';
  lat: string;
  lon: string;
  /** Closed outer ring, [lon, lat] corners, first repeated last; null until drawn. */
  polygon: [number, number][] | null;
}

export const BLANK_DRAFT: CalendarDraft = { title: '', kind: 'public_event', start: '', end: '', attendance: '', shape: 'point', lat: '', lon: '', polygon: null };

export interface CalendarState {
  events: PlannedEvent[];
  clashes: Clash[];
  draft: CalendarDraft | null;
  /** True while the supervisor draws the draft's polygon on the map. */
  drawing: boolean;
  actions: {
    load(events: PlannedEvent[], clashes: Clash[]): void;
    setDraft(draft: CalendarDraft | null): void;
    startDrawing(draft: CalendarDraft): void;
    /** Ends drawing: a closed ring keeps it on the draft; null (cancelled) keeps the previous one. */
    finishDrawing(polygon: [number, number][] | null): void;
  };
}

export const calendarStore = createStoreContext<CalendarState>('calendar', () =>
  createStore<CalendarState>((set) => ({
    events: [],
    clashes: [],
    draft: null,
    drawing: false,
    actions: {
      load: (events, clashes) => set({ events, clashes }),
      setDraft: (draft) => set({ draft }),
      startDrawing: (draft) => set({ draft, drawing: true }),
      finishDrawing: (polygon) => set((s) => ({ drawing: false, draft: s.draft && polygon ? { ...s.draft, shape: 'polygon', polygon } : s.draft })),
    },
  })),
);

export const useCalendar = calendarStore.useSelector;
