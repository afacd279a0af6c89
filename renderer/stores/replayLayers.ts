import { createStore } from 'zustand';
import type { LayerSet } from '../../common/methods/replay';
import { createStoreContext } from './createStoreContext';

/**
 * In replay, the layer set shown at the replayed instant as `replay.pictureAt` returns it (null:
 * none recorded by then). The map window applies it to its layer panel (map/useLayerReplay.ts);
 * a new object each refresh, so the map can tell "the same set again" from a change.
 */
export interface ReplayLayersState {
  layers: LayerSet | null;
  actions: { load(layers: LayerSet | null): void };
}

export const replayLayersStore = createStoreContext<ReplayLayersState>('replayLayers', () =>
  createStore<ReplayLayersState>((set) => ({
    layers: null,
    actions: { load: (layers) => set({ layers }) },
  })),
);
