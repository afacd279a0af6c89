import { useEffect } from 'react';
import { incidentsStore } from '../stores/incidents';
import { mapSelectionStore, type FeatureRef } from '../stores/mapSelection';

interface SelectionMessage {
  selectedId: string | null;
  feature?: FeatureRef | null;
}

/**
 * One thing's details at a time: selecting an incident closes a unit's, camera's or alert's, and
 * the other way round. Every window of this desk shows the same selection: selecting in the queue
 * pops the details up on the other screen. Same-origin windows share a BroadcastChannel.
 */
export function useSelectionSync() {
  const store = incidentsStore.useStoreApi();
  const features = mapSelectionStore.useStoreApi();
  useEffect(() => {
    const offIncident = store.subscribe((s, prev) => {
      if (s.selectedId && s.selectedId !== prev.selectedId) features.getState().actions.select(null);
    });
    const offFeature = features.subscribe((s, prev) => {
      if (s.selected && s.selected !== prev.selected) store.getState().actions.select(null);
    });
    return () => {
      offIncident();
      offFeature();
    };
  }, [store, features]);

  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel('vigie-selection');
    let applying = false;
    channel.onmessage = (e: MessageEvent<SelectionMessage>) => {
      applying = true;
      if (store.getState().selectedId !== e.data.selectedId) store.getState().actions.select(e.data.selectedId);
      if (e.data.feature !== undefined) features.getState().actions.select(e.data.feature);
      applying = false;
    };
    const post = () => {
      if (!applying) channel.postMessage({ selectedId: store.getState().selectedId, feature: features.getState().selected } satisfies SelectionMessage);
    };
    const offIncident = store.subscribe((s, prev) => s.selectedId !== prev.selectedId && post());
    const offFeature = features.subscribe((s, prev) => s.selected !== prev.selected && post());
    return () => {
      offIncident();
      offFeature();
      channel.close();
    };
  }, [store, features]);
}
