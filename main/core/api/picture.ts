import type { pictureMethods } from '../../../common/methods/picture';
import type { Store } from '../store';
import type { DomainHandlers } from './handlers';
import { withoutStream } from '../db/cameras';
import type { SensorFields } from '../../../common/domain/sensor';

export interface PictureDeps {
  units: Pick<Store['units'], 'list' | 'trails'>;
  cameras: Pick<Store['cameras'], 'list'>;
  alerts: Pick<Store['alerts'], 'list'>;
  /** Only for the sensors query below, until it moves into db/ (issue 20). */
  db: Store['db'];
  simulatedFeeds: ReadonlySet<string>;
}

export function pictureHandlers({ units, cameras, alerts, db, simulatedFeeds }: PictureDeps): DomainHandlers<typeof pictureMethods> {
  return {
    'units.list': () => units.list(simulatedFeeds),
    'units.trails': ({ minutes }) => units.trails(Date.now() - minutes * 60_000),
    'cameras.list': () => cameras.list(simulatedFeeds).map(withoutStream),
    // Sensors have no projection of their own yet: their latest reading is the last event per datastream.
    'sensors.list': () =>
      (
        db
          .prepare(
            `SELECT e.entity, e.source, e.payload FROM events e
             JOIN (SELECT entity, max(seq) AS seq FROM events WHERE kind = 'sensor.upsert' GROUP BY entity) last ON last.seq = e.seq
             ORDER BY e.entity`,
          )
          .all() as { entity: string; source: string; payload: string }[]
      ).map((r) => {
        const { kind: _kind, ...fields } = JSON.parse(r.payload) as SensorFields & { kind?: string };
        return { ...fields, id: r.entity.replace(/^sensor:/, ''), feedId: r.source };
      }),
    'alerts.list': ({ includeEnded }) => alerts.list(Date.now(), simulatedFeeds, includeEnded),
  };
}
