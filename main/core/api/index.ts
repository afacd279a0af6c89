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
import { actionHandlers } from './actions';
import { dispatchHandlers } from './dispatching';
import { auditHandlers } from './audit';
import { annotationHandlers } from './annotations';
import { indicatorHandlers } from './indicators';
import { signalHandlers } from './signals';
import { calendarHandlers } from './calendar';
import { trainingHandlers } from './training';
import { syncHandlers } from './sync';
import { cameraHandlers } from './cameras';
import { searchHandlers } from './search';

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
    ...actionHandlers(core),
    ...dispatchHandlers(core),
    ...auditHandlers(core),
    ...annotationHandlers(core),
    ...cameraHandlers(core),
    ...searchHandlers(core),
    ...indicatorHandlers(core),
    ...signalHandlers(core),
    ...calendarHandlers(core),
    ...trainingHandlers(core),
    ...syncHandlers(core),
  };
}
