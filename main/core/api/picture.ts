import type { pictureMethods } from '../../../common/methods/picture';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';
import { withoutStream } from '../db/cameras';
import { latestSensors } from '../db/events';

export function pictureHandlers(core: VigieCore): DomainHandlers<typeof pictureMethods> {
  const { units, cameras, alerts } = core.store;
  return {
    'units.list': () => units.list(core.simulatedFeeds),
    'units.trails': ({ minutes }) => units.trails(Date.now() - minutes * 60_000),
    'cameras.list': () => cameras.list(core.simulatedFeeds).map(withoutStream),
    // Sensors have no projection of their own yet: their latest reading is the last event per datastream.
    'sensors.list': () => latestSensors(core.store.db),
    'alerts.list': ({ includeEnded }) => alerts.list(Date.now(), core.simulatedFeeds, includeEnded),
  };
}
