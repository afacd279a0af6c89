import { useEffect } from 'react';
import type { VigieClient } from '../../../common/rpc';
import { indicatorsStore } from '../../stores/indicators';

/** Indicator alerts and definitions, loaded on each (re)connection and kept live by pushed events. */
export function useIndicatorSync(client: VigieClient) {
  const store = indicatorsStore.useStoreApi();
  useEffect(() => {
    const { actions } = store.getState();
    const load = async () => {
      try {
        actions.loadAlerts(await client.call('indicators.alerts'));
        actions.setIndicators(await client.call('indicators.list'));
      } catch (error) {
        console.error('[indicators] could not load:', (error as Error).message);
      }
    };
    const offs = [
      client.on('indicator.alert', ({ alert }) => actions.alert(alert)),
      client.onConnection((state) => {
        if (state === 'open') void load();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, store]);
}
