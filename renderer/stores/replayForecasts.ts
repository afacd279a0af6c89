import { create } from 'zustand';
import type { AreaForecast } from '../../common/methods/forecasts';

/**
 * In replay, the forecasts published at or before the replayed instant, per horizon (hours), as
 * `replay.pictureAt` returns them; the forecasts layer shows these instead of the live one.
 */
export const useReplayForecasts = create<{ byHorizon: Record<string, AreaForecast>; set(byHorizon: Record<string, AreaForecast>): void }>((set) => ({
  byHorizon: {},
  set: (byHorizon) => set({ byHorizon }),
}));
