import { createStore } from 'zustand';
import type { CityPack, Session } from '../../common/contract';
import type { FeedStatus } from '../../common/domain/feed';
import type { Settings } from '../../common/domain/settings';
import type { ConnectionState } from '../../common/rpc';
import { createStoreContext } from './createStoreContext';

export interface SessionState {
  session: Session | null;
  cityPack: CityPack | null;
  connection: ConnectionState;
  feeds: Record<string, FeedStatus>;
  error: string | null;
  /** The person's effective settings (theme, trail length, a wall's panels), null until loaded. */
  settings: Settings | null;
  actions: {
    setSession(session: Session): void;
    setCityPack(pack: CityPack): void;
    setConnection(state: ConnectionState): void;
    setFeeds(feeds: FeedStatus[]): void;
    updateFeed(feed: FeedStatus): void;
    setError(error: string | null): void;
    setSettings(settings: Settings): void;
  };
}

export const sessionStore = createStoreContext<SessionState>('session', () =>
  createStore<SessionState>((set) => ({
    session: null,
    cityPack: null,
    connection: 'connecting',
    feeds: {},
    error: null,
    settings: null,
    actions: {
      setSession: (session) => set({ session }),
      setCityPack: (cityPack) => set({ cityPack }),
      setConnection: (connection) => set({ connection }),
      setFeeds: (feeds) => set({ feeds: Object.fromEntries(feeds.map((f) => [f.id, f])) }),
      updateFeed: (feed) => set((s) => ({ feeds: { ...s.feeds, [feed.id]: feed } })),
      setError: (error) => set({ error }),
      setSettings: (settings) => set({ settings }),
    },
  })),
);

export const useSession = sessionStore.useSelector;
