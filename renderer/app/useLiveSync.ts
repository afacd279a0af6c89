import { useEffect } from 'react';
import type { VigieClient } from '../../common/rpc';
import { contract, type MethodName } from '../../common/contract';
import { incidentsStore } from '../stores/incidents';
import { sessionStore } from '../stores/session';
import { pictureStore } from '../stores/picture';
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
        // Who is asking first: each role loads only what the contract grants it (an auditor's
        // screen is the journal; asking for the picture would only be refused and journaled).
        const who = await client.call('session.whoami');
        ses.setSession(who);
        const may = (method: MethodName) => contract[method].roles.includes(who.role);
        // A screen with the map asks for its city pack (the largest answer, which the map waits
        // for) beside the settings, not after them.
        const packing = may('incidents.list') && !session.getState().cityPack ? client.call('map.cityPack') : Promise.resolve(null);
        packing.catch(() => undefined); // its failure is reported below, where it is awaited
        const effective = await client.call('settings.get');
        ses.setSettings(effective.values);
        if (!may('incidents.list')) {
          ses.setFeeds(await client.call('feeds.list'));
          ses.setError(null);
          return;
        }
        const trailMinutes = effective.values.trailMinutes;
        const [pack, list, feeds, units, trails, cameras, alerts] = await Promise.all([
          packing,
          client.call('incidents.list', { limit: 5000 }),
          client.call('feeds.list'),
          client.call('units.list'),
          client.call('units.trails', { minutes: Math.max(1, trailMinutes) }),
          client.call('cameras.list'),
          client.call('alerts.list'),
        ]);
        if (pack) ses.setCityPack(pack);
        ses.setFeeds(feeds);
        // In replay every store shows the replayed instant (useReplaySync): nothing live is loaded into it.
        if (!isLive()) {
          ses.setError(null);
          return;
        }
        inc.replaceAll(list);
        pic.loadUnits(units, trails, trailMinutes);
        pic.loadAlerts(alerts);
        pic.loadCameras(cameras);
        // A wall shows no annotations, dispatch lines or geofence alerts: its policy grants none of them.
        if (!may('dispatch.list')) {
          ses.setError(null);
          return;
        }
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
      // A new trail length (Settings) takes effect at once: the trails are reloaded at that length.
      session.subscribe((s, prev) => {
        const minutes = s.settings?.trailMinutes;
        if (minutes === undefined || prev.settings === null || minutes === prev.settings.trailMinutes || !isLive()) return;
        if (!s.session || !contract['units.trails'].roles.includes(s.session.role)) return;
        void Promise.all([client.call('units.list'), client.call('units.trails', { minutes: Math.max(1, minutes) })]).then(([units, trails]) => pic.loadUnits(units, trails, minutes), () => undefined);
      }),
      useClock.subscribe((s, prev) => {
        if (s.mode === 'live' && prev.mode !== 'live') void load(true);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, incidents, session, picture, dispatch, annotations]);
}
