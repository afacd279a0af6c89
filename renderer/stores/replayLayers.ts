import { create } from 'zustand';
import type { LayerSet } from '../../common/methods/replay';

/**
 * In replay, the layer set shown at the replayed instant as `replay.pictureAt` returns it (null:
 * none recorded by then). The map window applies it to its layer panel (map/useLayerReplay.ts);
 * a new object each refresh, so the map can tell "the same set again" from a change.
 */
export const useReplayLayers = create<{ layers: LayerSet | null; set(layers: LayerSet | null): void }>((set) => ({
  layers: null,
  set: (layers) => set({ layers }),
}));
