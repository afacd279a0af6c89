import type { pictureMethods } from '../../../common/methods/picture';
import type { Store } from '../store';
import type { DomainHandlers } from './handlers';
import { withoutStream } from '../db/cameras';
import { latestSensors } from '../db/events';

export interface PictureDeps {
  units: Pick<Store['units'], 'list' | 'trails'>;
  cameras: Pick<Store['cameras'], 'list'>;
  alerts: Pick<Store['alerts'], 'list'>;
  /** For the sensors' latest readings (db/events latestSensors). */
  db: Store['db'];
  simulatedFeeds: ReadonlySet<string>;
}

export function pictureHandlers({ units, cameras, alerts, db, simulatedFeeds }: PictureDeps): DomainHandlers<typeof pictureMethods> {
  return {
    'units.list': () => units.list(simulatedFeeds),
    'units.trails': ({ minutes }) => units.trails(Date.now() - minutes * 60_000),
    'cameras.list': () => cameras.list(simulatedFeeds).map(withoutStream),
    // Sensors have no projection of their own yet: their latest reading is the last event per datastream.
    'sensors.list': () => latestSensors(db),
    'alerts.list': ({ includeEnded }) => alerts.list(Date.now(), simulatedFeeds, includeEnded),
  };
}
