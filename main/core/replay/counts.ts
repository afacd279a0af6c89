import type { Store } from '../store';

/**
 * The replay bar's two counts at instant `at`. Both include what occurred at `at` itself: "open"
 * always did (occurred ≤ at, not closed by then), and "since midnight" now counts [dayStart, at]
 * instead of [dayStart, at). Hourly data (Houston) has hundreds of reports stamped exactly on the
 * hour: with the half-open window, at 01:00 they were open but not yet "since midnight".
 */
export function replayCounts(store: Pick<Store, 'incidents'>, at: number, dayStart: number): { open: number; sinceMidnight: number } {
  return {
    open: store.incidents.count({ at }),
    // Times are whole milliseconds: [dayStart, at + 1) is [dayStart, at].
    sinceMidnight: at >= dayStart ? store.incidents.count({ from: dayStart, to: at + 1 }) : 0,
  };
}
