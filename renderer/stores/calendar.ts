import { createStore } from 'zustand';
import type { Clash, PlannedEvent } from '../../common/domain/plannedEvent';
import { createStoreContext } from './createStoreContext';

export interface CalendarState {
  events: PlannedEvent[];
  clashes: Clash[];
  actions: { load(events: PlannedEvent[], clashes: Clash[]): void };
}

export const calendarStore = createStoreContext<CalendarState>('calendar', () =>
  createStore<CalendarState>((set) => ({
    events: [],
    clashes: [],
    actions: { load: (events, clashes) => set({ events, clashes }) },
  })),
);

export const useCalendar = calendarStore.useSelector;
