import type { Clock, Timer } from '../main/core/clock';

interface Pending {
  id: number;
  due: number;
  every: number | null;
  fn: () => void;
}

/**
 * A clock that moves only when a test says so. Timers fire inside `advance`, in the order they
 * fall due, with `now()` set to each one's due time, so a test reads like the story it tells
 * ("600 ms later the injection is there") and never sleeps.
 */
export class TestClock implements Clock {
  private current: number;
  private pending: Pending[] = [];
  private nextId = 1;

  /** Starts at the wall time by default, so what the core stores still looks current to the rest of it. */
  constructor(start = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, null);
  }

  setInterval(fn: () => void, ms: number): Timer {
    // A zero interval would loop for ever inside advance(); Node treats it as 1 ms too.
    return this.schedule(fn, ms, Math.max(1, ms));
  }

  /** How many timers are waiting (a component that stopped must leave none behind). */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      const next = this.pending.reduce<Pending | null>((a, p) => (a === null || p.due < a.due || (p.due === a.due && p.id < a.id) ? p : a), null);
      if (!next || next.due > until) break;
      this.current = Math.max(this.current, next.due);
      if (next.every === null) this.pending = this.pending.filter((p) => p !== next);
      else next.due += next.every;
      next.fn();
    }
    this.current = until;
  }

  private schedule(fn: () => void, ms: number, every: number | null): Timer {
    const entry: Pending = { id: this.nextId++, due: this.current + Math.max(0, ms), every, fn };
    this.pending.push(entry);
    const timer: Timer = {
      cancel: () => {
        this.pending = this.pending.filter((p) => p !== entry);
      },
      unref: () => timer,
    };
    return timer;
  }
}
