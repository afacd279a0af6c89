import { EventBus } from '../bus';
import { geojsonAdapter } from '../feeds/geojson';
import { storeAndPublish } from '../feeds/scheduler';
import { Store } from '../store';
import { AnnotationService } from './annotations';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';
import { entityEvents } from '../db/events';

/** A square around the Vieux-Port, about 500 m a side. */
export const SQUARE: [number, number][] = [[5.368, 43.292], [5.374, 43.292], [5.374, 43.297], [5.368, 43.297]];

/**
 * For the annotation tests: a real store and annotation service, the geofence alerts it raises
 * ("kind subject fence"), a unit and an incident feed to move things in and out of shapes, and the
 * annotation's log events and journal rows.
 */
export function annotationBench() {
  const store = Store.open(tempDir());
  const bus = new EventBus();
  const service = new AnnotationService(store, bus);
  service.watch();
  const alerts: string[] = [];
  bus.subscribe((event, payload) => {
    if (event === 'geofence.alert') {
      const { alert } = payload as { alert: { kind: string; subject: string; fence: string } };
      alerts.push(`${alert.kind} ${alert.subject} ${alert.fence}`);
    }
  });
  const unitAt = (lon: number, lat: number, t: number) =>
    storeAndPublish({ store, bus }, { id: 'avl', simulated: false }, { records: [{ kind: 'unit', unitId: 'PM-1', callsign: 'PM 1', unitType: 'vehicle', lon, lat, t }], errors: [] }, t);
  const incidentAt = (id: string, lon: number, lat: number) =>
    storeAndPublish({ store, bus }, { id: 'city', simulated: false }, geojsonAdapter.parse(featureCollection([incidentFeature(id, { title: `Incident ${id}` }, [lon, lat])]), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: Date.now() }), Date.now());
  const events = (id: string) =>
    entityEvents(store.db, `annotation:${id}`).map((e) => ({ kind: e.kind, ...e.payload }));
  const journal = () => store.audit.list({ limit: 20 }).reverse().map((r) => `${r.user} ${r.action}`);
  return { store, bus, service, alerts, unitAt, incidentAt, events, journal };
}
