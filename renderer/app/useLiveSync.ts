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
    /** `fromReplay`: the stores hold a replayed instant, replaced (not merged) by the live state. */
    const load = async (fromReplay = false) => {
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
        // In replay every store shows the replayed instant (useReplaySync): nothing live is loaded into it.
        if (!isLive()) {
          ses.setError(null);
          return;
        }
        inc.replaceAll(list);
        pic.loadUnits(units, trails);
        pic.loadAlerts(alerts);
        pic.loadCameras(cameras);
        const [assignments, annotationList, fenceAlerts] = await Promise.all([
          client.call('dispatch.list', { activeOnly: true }),
          client.call('annotations.list'),
          client.call('geofences.alerts'),
        ]);
        if (!isLive()) return;
        if (fromReplay) dis.replaceAll(assignments);
        else dis.load(assignments);
        ann.load(annotationList);
        ann.loadAlerts(fenceAlerts);
        ses.setError(null);
      } catch (error) {
        ses.setError((error as Error).message);
      }
    };
    const offs = [
      client.on('incident.changed', ({ incident }) => isLive() && inc.upsert(incident)),
      client.on('feed.status', ({ feed }) => ses.updateFeed(feed)),
      client.on('units.changed', ({ units }) => isLive() && pic.unitsMoved(units)),
      client.on('camera.changed', ({ camera }) => isLive() && pic.cameraChanged(camera)),
      client.on('alert.changed', ({ alert }) => isLive() && pic.alertChanged(alert)),
      client.on('assignment.changed', ({ assignment }) => isLive() && dis.changed(assignment)),
      client.on('annotation.changed', ({ annotation }) => isLive() && ann.changed(annotation)),
      client.on('geofence.alert', ({ alert }) => isLive() && ann.alert(alert)),
      client.on('incidents.changed', ({ incidents }) => isLive() && incidents.forEach((incident) => inc.upsert(incident))),
      client.on('feed.removed', () => void client.call('feeds.list').then(ses.setFeeds, () => undefined)),
      client.onConnection((state) => {
        ses.setConnection(state);
        if (state === 'open') void load();
      }),
      useClock.subscribe((s, prev) => {
        if (s.mode === 'live' && prev.mode !== 'live') void load(true);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, incidents, session, picture, dispatch, annotations]);
}
