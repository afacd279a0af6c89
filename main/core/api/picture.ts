import type { pictureMethods } from '../../../common/methods/picture';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';
import { withoutStream } from '../db/cameras';
import type { SensorFields } from '../../../common/domain/sensor';

export function pictureHandlers(core: VigieCore): DomainHandlers<typeof pictureMethods> {
  const { units, cameras, alerts } = core.store;
  return {
    'units.list': () => units.list(core.simulatedFeeds),
    'units.trails': ({ minutes }) => units.trails(Date.now() - minutes * 60_000),
    'cameras.list': () => cameras.list(core.simulatedFeeds).map(withoutStream),
    // Sensors have no projection of their own yet: their latest reading is the last event per datastream.
    'sensors.list': () =>
      (
        core.store.db
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
    'alerts.list': ({ includeEnded }) => alerts.list(Date.now(), core.simulatedFeeds, includeEnded),
  };
}
