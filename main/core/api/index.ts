import type { Handlers } from '../dispatch';
import type { VigieCore } from '../core';
import { feedHandlers } from './feeds';
import { incidentHandlers } from './incidents';
import { pictureHandlers } from './picture';
import { sessionHandlers } from './session';
import { settingsHandlers } from './settings';
import { replayHandlers } from './replay';
import { forecastHandlers } from './forecasts';
import { basemapHandlers } from './basemap';

/** The contract, implemented: one file per domain, as in common/methods/. */
export function createApi(core: VigieCore): Handlers {
  return {
    ...sessionHandlers(core),
    ...incidentHandlers(core),
    ...feedHandlers(core),
    ...pictureHandlers(core),
    ...settingsHandlers(core),
    ...replayHandlers(core),
    ...forecastHandlers(core),
    ...basemapHandlers(core),
  };
}
