import { useEffect } from 'react';
import type { VigieClient } from '../../common/rpc';
import { incidentsStore } from '../stores/incidents';
import { sessionStore } from '../stores/session';
import { pictureStore, TRAIL_MINUTES } from '../stores/picture';
import { dispatchStore } from '../stores/dispatch';
import { annotationsStore } from '../stores/annotations';
import { isLive, useClock } from '../stores/replayClock';

/**
 * Keeps the stores in step with the data service: subscribe to pushed events first, then load the
 * current state each time the connection opens (so nothing that happens in between is missed,
 * including during a disconnection). Merging keeps the newer copy of each incident (by seq).
 */
export function useLiveSync(client: VigieClient) {
  const incidents = incidentsStore.useStoreApi();
  const session = sessionStore.useStoreApi();
  const picture = pictureStore.useStoreApi();
  const dispatch = dispatchStore.useStoreApi();
  const annotations = annotationsStore.useStoreApi();
  useEffect(() => {
    const { actions: inc } = incidents.getState();
    const { actions: ses } = session.getState();
    const { actions: pic } = picture.getState();
    const { actions: dis } = dispatch.getState();
    const { actions: ann } = annotations.getState();
    const load = async () => {
      try {
        const [who, pack, list, feeds, units, trails, cameras, alerts] = await Promise.all([
          client.call('session.whoami'),
          session.getState().cityPack ? Promise.resolve(null) : client.call('map.cityPack'),
          client.call('incidents.list', { limit: 5000 }),
          client.call('feeds.list'),
          client.call('units.list'),
          client.call('units.trails', { minutes: TRAIL_MINUTES }),
          client.call('cameras.list'),
          client.call('alerts.list'),
        ]);
        ses.setSession(who);
        if (pack) ses.setCityPack(pack);
        ses.setFeeds(feeds);
        pic.loadCameras(cameras);
        // In replay the incidents and units shown are those of the replayed instant (useReplaySync).
        if (isLive()) {
          inc.replaceAll(list);
          pic.loadUnits(units, trails);
          pic.loadAlerts(alerts);
        }
        dis.load(await client.call('dispatch.list', { activeOnly: true }));
        ann.load(await client.call('annotations.list'));
        ann.loadAlerts(await client.call('geofences.alerts'));
        ses.setError(null);
      } catch (error) {
        ses.setError((error as Error).message);
      }
    };
    const offs = [
      client.on('incident.changed', ({ incident }) => isLive() && inc.upsert(incident)),
      client.on('feed.status', ({ feed }) => ses.updateFeed(feed)),
      client.on('units.changed', ({ units }) => isLive() && pic.unitsMoved(units)),
      client.on('camera.changed', ({ camera }) => pic.cameraChanged(camera)),
      client.on('alert.changed', ({ alert }) => isLive() && pic.alertChanged(alert)),
      client.on('assignment.changed', ({ assignment }) => dis.changed(assignment)),
      client.on('annotation.changed', ({ annotation }) => ann.changed(annotation)),
      client.on('geofence.alert', ({ alert }) => ann.alert(alert)),
      client.on('incidents.changed', ({ incidents }) => incidents.forEach((incident) => inc.upsert(incident))),
      client.on('feed.removed', () => void client.call('feeds.list').then(ses.setFeeds, () => undefined)),
      client.onConnection((state) => {
        ses.setConnection(state);
        if (state === 'open') void load();
      }),
      useClock.subscribe((s, prev) => {
        if (s.mode === 'live' && prev.mode !== 'live') void load();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, incidents, session, picture, dispatch, annotations]);
}
