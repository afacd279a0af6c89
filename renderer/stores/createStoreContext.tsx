import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';

/**
 * A zustand store per domain, created once per provider and read through selector hooks, so that
 * each window (and each test) gets its own store and components never import a global one.
 *
 * The rule has exactly two exceptions, module-level stores on purpose (checked by
 * scripts/rendererRules.test.ts):
 * - the replay clock (stores/replayClock.ts): "now" for the whole window, read outside React by
 *   appNow() in timers, subscriptions and the replay keys, and kept equal across the windows of a
 *   desk through a BroadcastChannel; a second clock in one window would be a bug, not a test seam;
 * - the interface language (i18n/index.ts): read before React mounts (the page's `lang`, the
 *   message shown when no token was given) and saved in localStorage for every window.
 */
export function createStoreContext<S>(name: string, create: () => StoreApi<S>) {
  const Context = createContext<StoreApi<S> | null>(null);
  function Provider({ children }: { children: ReactNode }) {
    const [store] = useState(create);
    return <Context.Provider value={store}>{children}</Context.Provider>;
  }
  function useStoreApi(): StoreApi<S> {
    const store = useContext(Context);
    if (!store) throw new Error(`${name} store used outside its provider`);
    return store;
  }
  function useSelector<T>(selector: (state: S) => T): T {
    return useStore(useStoreApi(), selector);
  }
  return { Provider, useSelector, useStoreApi };
}
