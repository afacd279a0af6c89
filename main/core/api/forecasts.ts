import type { forecastMethods } from '../../../common/methods/forecasts';
import type { VigieCore } from '../core';
import { LiveForecasts } from '../forecast/live';
import { forecastEntity } from '../replay/kindsAt';
import type { DomainHandlers } from './handlers';

export function forecastHandlers(core: VigieCore): DomainHandlers<typeof forecastMethods> {
  const { store } = core;
  // Each forecast shown is also an event of the log, so replay shows what the supervisor saw then.
  const live = LiveForecasts.fromStore(store, (forecast) => {
    if (core.readOnly) return;
    try {
      store.db.transaction(() => store.log.append({ t: forecast.computedAt, source: 'forecast', kind: 'forecast.published', entity: forecastEntity(forecast.horizonHours), payload: forecast }))();
    } catch (error) {
      store.log.resync();
      console.error('[forecast] could not log the published forecast:', (error as Error).message);
    }
  });
  return {
    'forecasts.latest': ({ horizonHours }) => live.latest(horizonHours),
  };
}
