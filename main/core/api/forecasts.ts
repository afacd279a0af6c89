import type { AreaForecast, forecastMethods } from '../../../common/methods/forecasts';
import type { VigieCore } from '../core';
import { ForecastService } from '../forecast/service';
import { forecastEntity } from '../replay/kindsAt';
import type { DomainHandlers } from './handlers';
import { log } from '../log';

const logger = log('forecast');

export function forecastHandlers(core: VigieCore): DomainHandlers<typeof forecastMethods> {
  const { store } = core;
  // Each forecast shown is also an event of the log, so replay shows what the supervisor saw then.
  const publish = (forecast: AreaForecast) => {
    if (core.readOnly) return;
    try {
      store.transaction(() => store.log.append({ t: forecast.computedAt, source: 'forecast', kind: 'forecast.published', entity: forecastEntity(forecast.horizonHours), payload: forecast }))();
    } catch (error) {
      logger.error({ err: error }, 'could not log the published forecast');
    }
  };
  const forecasts = ForecastService.forProfile(store, core.profileDir, () => core.indicators.districts(), () => !core.readOnly, core.config.forecast.model, publish);
  return {
    'forecasts.latest': ({ horizonHours }) => forecasts.live.latest(horizonHours),
    'forecasts.explain': ({ horizonHours, lon, lat }) => forecasts.explain(horizonHours, lon, lat),
    'forecasts.modelCard': ({ horizonHours }) => forecasts.modelCard(horizonHours),
    'forecasts.runCheck': ({ horizonHours }) => forecasts.check(horizonHours),
  };
}
