/**
 * The core's sense of time, injected so that tests move time instead of sleeping (STYLE 15).
 * Production code takes a `Clock` through its constructor or options, with `systemClock` as the
 * default; tests pass a `TestClock` (test/clock.ts) and call `advance(ms)`.
 */
export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
  /** Calls `fn` once, `ms` from now. */
  setTimeout(fn: () => void, ms: number): Timer;
  /** Calls `fn` every `ms` until cancelled. */
  setInterval(fn: () => void, ms: number): Timer;
}

export interface Timer {
  cancel(): void;
  /** Lets the process exit while this timer is pending (a no-op on a test clock). */
  unref(): Timer;
}

function nodeTimer(handle: NodeJS.Timeout, clear: (h: NodeJS.Timeout) => void): Timer {
  const timer: Timer = {
    cancel: () => clear(handle),
    unref: () => {
      handle.unref();
      return timer;
    },
  };
  return timer;
}

/** The wall clock and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => nodeTimer(setTimeout(fn, ms), clearTimeout),
  setInterval: (fn, ms) => nodeTimer(setInterval(fn, ms), clearInterval),
};
