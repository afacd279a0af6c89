import type { z } from 'zod';
import { feedMethods } from './methods/feeds';
import { incidentMethods } from './methods/incidents';
import { pictureMethods } from './methods/picture';
import { sessionMethods } from './methods/session';
import { settingsMethods } from './methods/settings';
import { replayMethods } from './methods/replay';
import { forecastMethods } from './methods/forecasts';
import { basemapMethods } from './methods/basemap';
import { actionMethods } from './methods/actions';
import { dispatchMethods } from './methods/dispatch';
import { auditMethods } from './methods/audit';
import { annotationMethods } from './methods/annotations';
import { indicatorMethods } from './methods/indicators';
import { signalMethods } from './methods/signals';
import { calendarMethods } from './methods/calendar';
import { trainingMethods } from './methods/training';
import { syncMethods } from './methods/sync';
import { cameraMethods } from './methods/cameras';
import { searchMethods } from './methods/search';
import { alarmMethods } from './methods/alarms';
import { historyMethods } from './methods/history';
import { handoverMethods } from './methods/handover';
import { mediaMethods } from './methods/media';

export { CityPack, Session } from './methods/session';
export { QuarantineEntry } from './methods/feeds';

/**
 * Every method the data service offers, declared once (one file per domain under methods/). The
 * client type (common/rpc.ts) and the server dispatch (main/core/rpc.ts) are both derived
 * from this table: adding a method is one entry in its domain file plus its handler in
 * main/core/api/. Adding a domain is one line here.
 */
export const contract = {
  ...sessionMethods,
  ...incidentMethods,
  ...feedMethods,
  ...pictureMethods,
  ...settingsMethods,
  ...replayMethods,
  ...forecastMethods,
  ...basemapMethods,
  ...actionMethods,
  ...dispatchMethods,
  ...auditMethods,
  ...annotationMethods,
  ...cameraMethods,
  ...searchMethods,
  ...indicatorMethods,
  ...signalMethods,
  ...calendarMethods,
  ...trainingMethods,
  ...syncMethods,
  ...alarmMethods,
  ...historyMethods,
  ...handoverMethods,
  ...mediaMethods,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type Params<M extends MethodName> = z.input<Contract[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<Contract[M]['params']>;
export type Result<M extends MethodName> = z.output<Contract[M]['result']>;
