import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';

/**
 * A zustand store per domain, created once per provider and read through selector hooks, so that
 * each window (and each test) gets its own store and components never import a global one.
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
