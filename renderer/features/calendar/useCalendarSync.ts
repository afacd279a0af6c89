import { useEffect } from 'react';
import type { VigieClient } from '../../../common/rpc';
import { calendarStore } from '../../stores/calendar';
import { isLive, reloadWhenLive } from '../../stores/replayClock';

/** The coming week's planned events and clashes: on each connection, on each change, and hourly (clashes move with the clock). In replay, useReplaySync feeds the calendar known then. */
export function useCalendarSync(client: VigieClient) {
  const store = calendarStore.useStoreApi();
  useEffect(() => {
    const { actions } = store.getState();
    const load = async () => {
      if (!isLive()) return;
      try {
        const [events, clashes] = await Promise.all([client.call('calendar.list', {}), client.call('calendar.clashes', {})]);
        if (isLive()) actions.load(events, clashes);
      } catch (error) {
        console.error('[calendar] could not load:', (error as Error).message);
      }
    };
    const timer = setInterval(() => void load(), 3_600_000);
    const offs = [
      client.on('calendar.changed', () => void load()),
      ...reloadWhenLive(client, () => void load()),
    ];
    return () => {
      clearInterval(timer);
      offs.forEach((off) => off());
    };
  }, [client, store]);
}
