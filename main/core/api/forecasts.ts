import type { forecastMethods } from '../../../common/methods/forecasts';
import type { VigieCore } from '../core';
import { LiveForecasts } from '../forecast/live';
import type { DomainHandlers } from './handlers';

export function forecastHandlers(core: VigieCore): DomainHandlers<typeof forecastMethods> {
  const live = LiveForecasts.fromStore(core.store);
  return {
    'forecasts.latest': ({ horizonHours }) => live.latest(horizonHours),
  };
}
