import { createStore } from 'zustand';
import type { Indicator, IndicatorAlert } from '../../common/domain/indicator';
import { createStoreContext } from './createStoreContext';

export interface IndicatorsState {
  alerts: IndicatorAlert[];
  indicators: Indicator[];
  /** The alert whose reflex sheet is open, by seq. */
  sheetSeq: number | null;
  actions: {
    loadAlerts(alerts: IndicatorAlert[]): void;
    /** A new alert joins the list; an acknowledgement replaces the alert in place. */
    alert(a: IndicatorAlert): void;
    setIndicators(list: Indicator[]): void;
    openSheet(seq: number | null): void;
  };
}

export const indicatorsStore = createStoreContext<IndicatorsState>('indicators', () =>
  createStore<IndicatorsState>((set) => ({
    alerts: [],
    indicators: [],
    sheetSeq: null,
    actions: {
      loadAlerts: (alerts) => set({ alerts }),
      alert: (a) =>
        set((s) => {
          const known = s.alerts.some((x) => x.seq === a.seq);
          if (known) return { alerts: s.alerts.map((x) => (x.seq === a.seq ? a : x)) };
          // A new alert never opens its sheet by itself: it is an alarm in the queue, whose side panel shows the sheet when selected.
          return { alerts: [a, ...s.alerts].slice(0, 50) };
        }),
      setIndicators: (indicators) => set({ indicators }),
      openSheet: (sheetSeq) => set({ sheetSeq }),
    },
  })),
);

export const useIndicators = indicatorsStore.useSelector;
