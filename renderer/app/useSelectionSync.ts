import { useEffect } from 'react';
import { incidentsStore } from '../stores/incidents';

/**
 * Every window of this desk shows the same selected incident: selecting in the queue pops the
 * details up on the other screen. Same-origin windows share a BroadcastChannel.
 */
export function useSelectionSync() {
  const store = incidentsStore.useStoreApi();
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel('vigie-selection');
    let applying = false;
    channel.onmessage = (e: MessageEvent<{ selectedId: string | null }>) => {
      if (store.getState().selectedId === e.data.selectedId) return;
      applying = true;
      store.getState().actions.select(e.data.selectedId);
      applying = false;
    };
    const unsubscribe = store.subscribe((s, prev) => {
      if (!applying && s.selectedId !== prev.selectedId) channel.postMessage({ selectedId: s.selectedId });
    });
    return () => {
      unsubscribe();
      channel.close();
    };
  }, [store]);
}
