import { createStore } from 'zustand';
import type { Alarm, AlarmPolicy } from '../../common/domain/alarm';
import { createStoreContext } from './createStoreContext';

export type AlarmOrder = 'priority' | 'newest';

/** What this desk's person chose for the alarm sound, kept across reloads on this workstation. */
export interface DeskSound {
  muted: boolean;
  volume: number;
}

const SOUND_KEY = 'vigie.alarmSound';

function readDeskSound(): DeskSound {
  try {
    const saved = JSON.parse(localStorage.getItem(SOUND_KEY) ?? 'null') as Partial<DeskSound> | null;
    return { muted: saved?.muted === true, volume: typeof saved?.volume === 'number' ? Math.min(1, Math.max(0, saved.volume)) : 1 };
  } catch {
    return { muted: false, volume: 1 };
  }
}

export interface AlarmsState {
  byId: Record<number, Alarm>;
  policy: AlarmPolicy | null;
  selectedId: number | null;
  order: AlarmOrder;
  sound: DeskSound;
  /** The last announcement for the live region ("New alarm: …"). */
  announcement: string;
  actions: {
    load(alarms: Alarm[], policy: AlarmPolicy): void;
    /** A pushed change: a closed alarm leaves the queue. */
    upsert(alarm: Alarm): void;
    select(id: number | null): void;
    setOrder(order: AlarmOrder): void;
    setSound(sound: Partial<DeskSound>): void;
    announce(text: string): void;
  };
}

export const alarmsStore = createStoreContext<AlarmsState>('alarms', () =>
  createStore<AlarmsState>((set) => ({
    byId: {},
    policy: null,
    selectedId: null,
    order: 'priority',
    sound: readDeskSound(),
    announcement: '',
    actions: {
      load: (alarms, policy) => set({ byId: Object.fromEntries(alarms.map((a) => [a.id, a])), policy }),
      upsert: (alarm) =>
        set((s) => {
          const byId = { ...s.byId };
          if (alarm.state === 'closed') delete byId[alarm.id];
          else byId[alarm.id] = alarm;
          return { byId, selectedId: s.selectedId === alarm.id && alarm.state === 'closed' ? null : s.selectedId };
        }),
      select: (selectedId) => set({ selectedId }),
      announce: (announcement) => set({ announcement }),
      setOrder: (order) => set({ order }),
      setSound: (change) =>
        set((s) => {
          const sound = { ...s.sound, ...change };
          localStorage.setItem(SOUND_KEY, JSON.stringify(sound));
          return { sound };
        }),
    },
  })),
);

export const useAlarms = alarmsStore.useSelector;

/**
 * The queue's order: unacknowledged before acknowledged; then priority and age (oldest first: it
 * has waited longest), or newest first.
 */
export function sortedAlarms(byId: Record<number, Alarm>, order: AlarmOrder): Alarm[] {
  const acked = (a: Alarm) => (a.state === 'acknowledged' ? 1 : 0);
  return Object.values(byId).sort(
    (a, b) => acked(a) - acked(b) || (order === 'priority' ? a.priority - b.priority || a.raisedAt - b.raisedAt : b.lastAt - a.lastAt) || a.id - b.id,
  );
}
