import type { forecastMethods } from '../../../common/methods/forecasts';
import type { VigieCore } from '../core';
import { ForecastService } from '../forecast/service';
import type { DomainHandlers } from './handlers';

export function forecastHandlers(core: VigieCore): DomainHandlers<typeof forecastMethods> {
  const forecasts = ForecastService.forProfile(core.store, core.profileDir, () => core.indicators.districts(), () => !core.readOnly, core.config.forecast.model);
  return {
    'forecasts.latest': ({ horizonHours }) => forecasts.live.latest(horizonHours),
    'forecasts.explain': ({ horizonHours, lon, lat }) => forecasts.explain(horizonHours, lon, lat),
    'forecasts.modelCard': ({ horizonHours }) => forecasts.modelCard(horizonHours),
    'forecasts.runCheck': ({ horizonHours }) => forecasts.check(horizonHours),
  };
}
