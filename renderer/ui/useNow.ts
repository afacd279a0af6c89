import { useEffect, useState } from 'react';
import { appNow, useClock } from '../stores/replayClock';

/**
 * The current time, refreshed every `periodMs`: for "5 min ago" labels and the clock. In replay it
 * is the replayed instant (so windows and ages are those of that moment), refreshed at least every
 * second since playback can run an hour per second.
 */
export function useNow(periodMs: number): number {
  const [now, setNow] = useState(appNow);
  // An exercise faster than real time moves labels as fast as replay does.
  const replaying = useClock((s) => s.mode === 'replay' || (s.exercise !== null && s.exercise.running && s.exercise.speed > 1));
  const clock = useClock((s) => `${s.mode}:${s.base}:${s.wallAt}:${s.exercise ? `${s.exercise.at}:${s.exercise.wallAt}:${s.exercise.speed}:${s.exercise.running}` : ''}`);
  useEffect(() => {
    setNow(appNow());
    const timer = setInterval(() => setNow(appNow()), replaying ? Math.min(periodMs, 1000) : periodMs);
    return () => clearInterval(timer);
  }, [periodMs, replaying, clock]);
  return now;
}
