import type { VigieClient } from '../../../common/rpc';
import { clockTime, useClock } from '../../stores/replayClock';

// The replay clock's commands, shared by the timeline's buttons (TimelineBar.tsx) and its keys
// (useReplayShortcuts.ts): in a file of their own so that neither imports the other.

export const DAY = 86_400_000;
/** What the step buttons and [ ] move by. */
export const STEP_MS = 60_000;

/** Local midnight of the day holding `t`. */
export function dayStart(t: number): number {
  const d = new Date(t);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Replay opens on the last day the event log covers, at its first event of that day. */
export async function enterReplay(client: VigieClient, enter: (at: number, end: number | null) => void, report: (e: unknown) => void) {
  try {
    const range = await client.call('replay.range');
    const last = range.last ?? Date.now();
    const day = dayStart(last);
    const first = range.first !== null && range.first > day ? range.first : day;
    const at = (await client.call('replay.nextEvent', { at: first - 1 })) ?? first;
    enter(at, day + DAY);
  } catch (error) {
    report(error);
  }
}

/** To the next event that changed the picture, or (`back`) the previous one. */
export async function jumpToNextEvent(client: VigieClient, report: (e: unknown) => void, back = false) {
  const s = useClock.getState();
  try {
    const at = clockTime(s);
    const next = await client.call('replay.nextEvent', { at: back ? Math.ceil(at) : Math.floor(at), back });
    if (next !== null) {
      s.actions.seek(next);
      if ((s.end !== null && next > s.end) || next < dayStart(at)) s.actions.setEnd(dayStart(next) + DAY);
    }
  } catch (error) {
    report(error);
  }
}

const DEFAULT_LOOP_MS = 3_600_000;

/** First press: loop from here (an hour until the end is set); second, later on: the loop ends here; else: no loop. */
export function cycleLoop(at: number) {
  const { loop, actions } = useClock.getState();
  if (!loop) actions.setLoop({ from: at, to: at + DEFAULT_LOOP_MS });
  else if (loop.to === loop.from + DEFAULT_LOOP_MS && at > loop.from && at < loop.to) actions.setLoop({ from: loop.from, to: at });
  else actions.setLoop(null);
}

