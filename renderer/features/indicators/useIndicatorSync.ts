import { useEffect } from 'react';
import type { VigieClient } from '../../../common/rpc';
import { indicatorsStore } from '../../stores/indicators';
import { isLive, reloadWhenLive } from '../../stores/replayClock';

/** Indicator alerts and definitions, loaded on each (re)connection and kept live by pushed events (in replay, useReplaySync feeds the alerts). */
export function useIndicatorSync(client: VigieClient) {
  const store = indicatorsStore.useStoreApi();
  useEffect(() => {
    const { actions } = store.getState();
    const load = async () => {
      try {
        const alerts = await client.call('indicators.alerts');
        if (isLive()) actions.loadAlerts(alerts);
        actions.setIndicators(await client.call('indicators.list'));
      } catch (error) {
        console.error('[indicators] could not load:', (error as Error).message);
      }
    };
    const offs = [
      client.on('indicator.alert', ({ alert }) => isLive() && actions.alert(alert)),
      ...reloadWhenLive(client, () => void load()),
    ];
    return () => offs.forEach((off) => off());
  }, [client, store]);
}
