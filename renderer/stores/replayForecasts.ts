import { createStore } from 'zustand';
import type { AreaForecast } from '../../common/methods/forecasts';
import { createStoreContext } from './createStoreContext';

/**
 * In replay, the forecasts published at or before the replayed instant, per horizon (hours), as
 * `replay.pictureAt` returns them; the forecasts layer shows these instead of the live one.
 */
export interface ReplayForecastsState {
  byHorizon: Record<string, AreaForecast>;
  actions: { load(byHorizon: Record<string, AreaForecast>): void };
}

export const replayForecastsStore = createStoreContext<ReplayForecastsState>('replayForecasts', () =>
  createStore<ReplayForecastsState>((set) => ({
    byHorizon: {},
    actions: { load: (byHorizon) => set({ byHorizon }) },
  })),
);

export const useReplayForecasts = replayForecastsStore.useSelector;
