import { useEffect } from 'react';
import type { VigieClient } from '../../../common/rpc';
import { syncStore } from '../../stores/sync';

/** The hub link's state: on each connection, then on each push. */
export function useSyncStatus(client: VigieClient) {
  const store = syncStore.useStoreApi();
  useEffect(() => {
    const { actions } = store.getState();
    const load = async () => {
      try {
        actions.load(await client.call('sync.status', {}));
      } catch (error) {
        console.error('[sync] could not load:', (error as Error).message);
      }
    };
    const offs = [
      client.on('sync.changed', ({ status }) => actions.load(status)),
      client.onConnection((state) => {
        if (state === 'open') void load();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, store]);
}
