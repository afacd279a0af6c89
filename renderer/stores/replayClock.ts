import { create } from 'zustand';
import { exerciseTime, type ExerciseClock } from '../../common/domain/exercise';
import type { VigieClient } from '../../common/rpc';

export const SPEEDS = [1, 2, 10, 60, 600, 3600] as const;
export type Speed = (typeof SPEEDS)[number];

/**
 * The app's clock: live, or replaying a past instant. While playing, the replay time is not ticked
 * into the store: it is `base + (wall clock − wallAt) × speed`, so every window of the desk that
 * holds the same four numbers shows the same instant without a leader window or drift.
 */
export interface ClockState {
  mode: 'live' | 'replay';
  /** Replay time at wall-clock instant `wallAt`. */
  base: number;
  wallAt: number;
  playing: boolean;
  speed: Speed;
  /** Playback wraps from `to` back to `from`. */
  loop: { from: number; to: number } | null;
  /** Playback stops here (end of the event log or of the chosen day). */
  end: number | null;
}

export type ClockSnapshot = Omit<ClockState, 'actions'>;

interface ClockStore extends ClockState {
  /**
   * A training sandbox's exercise clock (null elsewhere): "live" in a sandbox is exercise time, so
   * ages and timers read "2 min ago" on the exercise clock, never against the wall date. Each
   * window asks the data service for it, so it is not part of the snapshot windows share.
   */
  exercise: ExerciseClock | null;
  actions: {
    setExercise(clock: ExerciseClock | null): void;
    enterReplay(at: number, end: number | null): void;
    goLive(): void;
    seek(at: number): void;
    play(): void;
    pause(): void;
    togglePlay(): void;
    setSpeed(speed: Speed): void;
    setLoop(loop: ClockState['loop']): void;
    setEnd(end: number | null): void;
    /** Another window's clock (BroadcastChannel). */
    apply(snapshot: ClockSnapshot): void;
  };
}

/** The replay instant a clock shows at wall time `wall`. */
export function clockTime(s: ClockSnapshot, wall = Date.now()): number {
  if (!s.playing) return s.base;
  let t = s.base + (wall - s.wallAt) * s.speed;
  if (s.loop && s.loop.to > s.loop.from && t >= s.loop.to) t = s.loop.from + ((t - s.loop.from) % (s.loop.to - s.loop.from));
  if (s.end !== null && t > s.end) t = s.end;
  return t;
}

// Module-level, not in a provider: one clock per window, read outside React by appNow() (see the
// exceptions listed in createStoreContext.tsx).
export const useClock = create<ClockStore>((set, get) => {
  const now = () => clockTime(get());
  return {
    mode: 'live',
    base: Date.now(),
    wallAt: Date.now(),
    playing: false,
    speed: 60,
    loop: null,
    end: null,
    exercise: null,
    actions: {
      setExercise: (exercise) => set({ exercise }),
      enterReplay: (at, end) => set({ mode: 'replay', base: at, wallAt: Date.now(), playing: false, end, loop: null }),
      goLive: () => set({ mode: 'live', playing: false, loop: null }),
      seek: (at) => set({ base: at, wallAt: Date.now() }),
      play: () => set({ base: now(), wallAt: Date.now(), playing: true }),
      pause: () => set({ base: now(), wallAt: Date.now(), playing: false }),
      togglePlay: () => (get().playing ? get().actions.pause() : get().actions.play()),
      setSpeed: (speed) => set({ base: now(), wallAt: Date.now(), speed }),
      setLoop: (loop) => set({ base: now(), wallAt: Date.now(), loop }),
      setEnd: (end) => set({ end }),
      apply: (snapshot) => set(snapshot),
    },
  };
});

export const snapshotOf = ({ mode, base, wallAt, playing, speed, loop, end }: ClockState): ClockSnapshot => ({ mode, base, wallAt, playing, speed, loop, end });

/** "Now" for the whole app: the wall clock live (the exercise clock in a training sandbox), the replayed instant in replay. */
export function appNow(): number {
  const s = useClock.getState();
  if (s.mode === 'replay') return clockTime(s);
  return s.exercise ? exerciseTime(s.exercise, Date.now()) : Date.now();
}

export const isLive = () => useClock.getState().mode === 'live';

/**
 * Calls `load` when the window (re)connects and when it comes back from replay to live: what a
 * live view must reload, since neither a closed connection nor replay delivered its pushed events.
 * Returns the unsubscribes.
 */
export function reloadWhenLive(client: Pick<VigieClient, 'onConnection'>, load: () => void): (() => void)[] {
  return [
    useClock.subscribe((s, prev) => {
      if (s.mode === 'live' && prev.mode !== 'live') load();
    }),
    client.onConnection((state) => {
      if (state === 'open') load();
    }),
  ];
}
