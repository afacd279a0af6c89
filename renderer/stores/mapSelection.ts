import { createStore } from 'zustand';
import { createStoreContext } from './createStoreContext';

/** A thing on the map other than an incident (incidents keep their own selection in the incidents store). */
export type FeatureKind = 'unit' | 'camera' | 'alert';
export interface FeatureRef {
  kind: FeatureKind;
  id: string;
}

export interface MapSelectionState {
  /** The unit, camera or alert whose details are open; null when none (or when an incident's are). */
  selected: FeatureRef | null;
  actions: {
    select(feature: FeatureRef | null): void;
  };
}

/** Which unit, camera or CAP alert the details panel shows. */
export const mapSelectionStore = createStoreContext<MapSelectionState>('mapSelection', () =>
  createStore<MapSelectionState>((set) => ({
    selected: null,
    actions: {
      select: (selected) => set((s) => (s.selected?.kind === selected?.kind && s.selected?.id === selected?.id ? s : { selected })),
    },
  })),
);

export const useMapSelection = mapSelectionStore.useSelector;
