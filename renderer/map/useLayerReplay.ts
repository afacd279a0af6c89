import { useEffect } from 'react';
import type { VigieClient } from '../../common/rpc';
import type { LayerSet } from '../../common/methods/replay';
import { contract } from '../../common/contract';
import { layerSetOf, mapLayersStore, type MapLayersState } from '../stores/mapLayers';
import { replayLayersStore } from '../stores/replayLayers';
import { useClock } from '../stores/replayClock';
import { sessionStore } from '../stores/session';
import { MAP_LAYERS } from './layers/registry';

/** A slider dragged across its range, or a few quick toggles, write one event: the set they end on. */
const RECORD_AFTER_MS = 600;

/**
 * The layer set and the replay clock. Live, every change of the visible layers or their opacity
 * (panel, Shift+1…9) is recorded (`layers.record`, debounced), and so is the set the window opens
 * with, so replay can show the layers as they were. In replay, the set recorded at the replayed
 * instant is applied when it changes; what the user toggles meanwhile is a local view, never
 * recorded; back to live, the set the user had before replay returns.
 */
export function useLayerReplay(client: VigieClient) {
  const store = mapLayersStore.useStoreApi();
  const session = sessionStore.useStoreApi();
  const replayLayers = replayLayersStore.useStoreApi();
  useEffect(() => {
    const ids = MAP_LAYERS.map((d) => d.id);
    let lastSent: string | null = null;
    let pending: { set: LayerSet; onlyLive: boolean } | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    /** The live settings, kept while replaying. */
    let live: MapLayersState['settings'] | null = null;
    /** The replayed set last applied (as JSON): a refresh with the same set leaves local toggles alone. */
    let applied: string | null = null;

    const send = () => {
      timer = null;
      const p = pending;
      pending = null;
      if (!p || (p.onlyLive && useClock.getState().mode !== 'live')) return;
      // A role that records nothing (auditor) or a read-only service: the view still changes, quietly.
      const who = session.getState().session;
      if (who && (!contract['layers.record'].roles.includes(who.role) || who.readOnly !== null)) return;
      const key = JSON.stringify(p.set);
      if (key === lastSent) return;
      lastSent = key;
      client.call('layers.record', p.set).catch((error: Error) => {
        lastSent = null;
        session.getState().actions.setError(error.message);
      });
    };
    const schedule = (set: LayerSet, onlyLive = false) => {
      pending = { set, onlyLive };
      if (timer) clearTimeout(timer);
      timer = setTimeout(send, RECORD_AFTER_MS);
    };

    const enter = () => {
      live ??= store.getState().settings;
      applied = null;
    };
    if (useClock.getState().mode === 'replay') enter();
    // The set the window opens with, unless it opens into a replay (another window's clock).
    else schedule(layerSetOf(store.getState().settings, ids), true);

    const offSettings = store.subscribe((s, prev) => {
      if (s.settings !== prev.settings && useClock.getState().mode === 'live') schedule(layerSetOf(s.settings, ids));
    });
    const offClock = useClock.subscribe((s, prev) => {
      if (s.mode === prev.mode) return;
      if (s.mode === 'replay') enter();
      else {
        // Recorded only if it differs from the last set sent (it does not, unless that send failed).
        if (live) store.getState().actions.restore(live);
        live = null;
        applied = null;
      }
    });
    const offReplay = replayLayers.subscribe(({ layers }) => {
      if (useClock.getState().mode !== 'replay' || layers === null) return;
      const key = JSON.stringify(layers);
      if (key === applied) return;
      applied = key;
      store.getState().actions.applySet(layers);
    });
    return () => {
      offSettings();
      offClock();
      offReplay();
      if (timer) clearTimeout(timer);
      // A change made just before the window closes is still recorded.
      send();
    };
  }, [client, store, session, replayLayers]);
}
