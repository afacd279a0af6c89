import { createStore } from 'zustand';
import type { SyncStatus } from '../../common/domain/sync';
import { createStoreContext } from './createStoreContext';

export interface SyncState {
  /** This workstation's link to its hub; null until loaded (and "standalone" without a hub). */
  status: SyncStatus | null;
  actions: { load(status: SyncStatus): void };
}

export const syncStore = createStoreContext<SyncState>('sync', () =>
  createStore<SyncState>((set) => ({
    status: null,
    actions: { load: (status) => set({ status }) },
  })),
);

export const useSync = syncStore.useSelector;
