import { useEffect } from 'react';
import type { VigieClient } from '../../common/rpc';
import { incidentsStore } from '../stores/incidents';
import { sessionStore } from '../stores/session';

/**
 * Keeps the stores in step with the data service: subscribe to pushed events first, then load the
 * current state each time the connection opens (so nothing that happens in between is missed,
 * including during a disconnection). Merging keeps the newer copy of each incident (by seq).
 */
export function useLiveSync(client: VigieClient) {
  const incidents = incidentsStore.useStoreApi();
  const session = sessionStore.useStoreApi();
  useEffect(() => {
    const { actions: inc } = incidents.getState();
    const { actions: ses } = session.getState();
    const load = async () => {
      try {
        const [who, pack, list, feeds] = await Promise.all([
          client.call('session.whoami'),
          session.getState().cityPack ? Promise.resolve(null) : client.call('map.cityPack'),
          client.call('incidents.list', { limit: 5000 }),
          client.call('feeds.list'),
        ]);
        ses.setSession(who);
        if (pack) ses.setCityPack(pack);
        inc.replaceAll(list);
        ses.setFeeds(feeds);
        ses.setError(null);
      } catch (error) {
        ses.setError((error as Error).message);
      }
    };
    const offs = [
      client.on('incident.changed', ({ incident }) => inc.upsert(incident)),
      client.on('feed.status', ({ feed }) => ses.updateFeed(feed)),
      client.onConnection((state) => {
        ses.setConnection(state);
        if (state === 'open') void load();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, incidents, session]);
}
