import type { forecastMethods } from '../../../common/methods/forecasts';
import type { ForecastService } from '../forecast/service';
import type { DomainHandlers } from './handlers';

export function forecastHandlers({ forecasts }: { forecasts: Pick<ForecastService, 'live' | 'explain' | 'modelCard' | 'check'> }): DomainHandlers<typeof forecastMethods> {
  return {
    'forecasts.latest': ({ horizonHours }) => forecasts.live.latest(horizonHours),
    'forecasts.explain': ({ horizonHours, lon, lat }) => forecasts.explain(horizonHours, lon, lat),
    'forecasts.modelCard': ({ horizonHours }) => forecasts.modelCard(horizonHours),
    'forecasts.runCheck': ({ horizonHours }) => forecasts.check(horizonHours),
  };
}
