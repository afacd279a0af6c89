import { systemClock, type Clock, type Timer } from '../clock';

/** What the exercise clock reads and how it moves; pushed to every window (`training.clock`). */
export interface ExerciseClockState {
  /** Exercise time (the historical day's instants) at base-clock instant `wallAt`. */
  at: number;
  wallAt: number;
  speed: number;
  running: boolean;
}

interface Pending {
  id: number;
  /** Due in exercise time. */
  due: number;
  every: number | null;
  fn: () => void;
}

/**
 * The time of a training exercise: the historical day's own instants, moving at `speed` times the
 * base clock while running, standing still while the trainer pauses it. It is a `Clock`, so what
 * takes a clock (the scenario runner, operator actions' timestamps) runs on it unchanged. Timers
 * are kept in exercise time; one base-clock timer waits for the earliest, and is re-armed when the
 * trainer pauses, resumes or changes the speed, so a timer never fires early or late in exercise time.
 */
export class ExerciseClock implements Clock {
  private at: number;
  private wallAt: number;
  private speedNow: number;
  private runningNow: boolean;
  private pending: Pending[] = [];
  private nextId = 1;
  private armed: Timer | null = null;
  private listeners: ((s: ExerciseClockState) => void)[] = [];

  constructor(start: { at: number; speed: number; running: boolean }, private readonly base: Clock = systemClock) {
    if (!(start.speed > 0)) throw new Error(`the exercise speed must be above 0, got ${start.speed}`);
    this.at = start.at;
    this.wallAt = base.now();
    this.speedNow = start.speed;
    this.runningNow = start.running;
  }

  now(): number {
    return this.runningNow ? this.at + (this.base.now() - this.wallAt) * this.speedNow : this.at;
  }

  state(): ExerciseClockState {
    return { at: this.now(), wallAt: this.base.now(), speed: this.speedNow, running: this.runningNow };
  }

  /** Called after every pause, resume or speed change (to push it to the windows, to save it). */
  onChange(listener: (s: ExerciseClockState) => void): void {
    this.listeners.push(listener);
  }

  pause(): void {
    this.rebase({ running: false });
  }

  resume(): void {
    this.rebase({ running: true });
  }

  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`the exercise speed must be a number above 0, got ${speed}`);
    this.rebase({ speed });
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, null);
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, Math.max(1, ms));
  }

  /** Stops the base timer (the service closes); pending timers stay listed but never fire. */
  stop(): void {
    this.armed?.cancel();
    this.armed = null;
    this.pending = [];
  }

  private rebase(change: { running?: boolean; speed?: number }): void {
    this.at = this.now();
    this.wallAt = this.base.now();
    if (change.running !== undefined) this.runningNow = change.running;
    if (change.speed !== undefined) this.speedNow = change.speed;
    this.arm();
    const s = this.state();
    for (const l of this.listeners) l(s);
  }

  private schedule(fn: () => void, ms: number, every: number | null): Timer {
    const entry: Pending = { id: this.nextId++, due: this.now() + Math.max(0, ms), every, fn };
    this.pending.push(entry);
    this.arm();
    const timer: Timer = {
      cancel: () => {
        this.pending = this.pending.filter((p) => p !== entry);
        this.arm();
      },
      unref: () => timer,
    };
    return timer;
  }

  /** One base timer for the earliest pending one, or none while paused. */
  private arm(): void {
    this.armed?.cancel();
    this.armed = null;
    if (!this.runningNow || this.pending.length === 0) return;
    const due = Math.min(...this.pending.map((p) => p.due));
    const wait = Math.max(0, Math.ceil((due - this.now()) / this.speedNow));
    this.armed = this.base.setTimeout(() => this.fire(), wait);
    this.armed.unref();
  }

  private fire(): void {
    this.armed = null;
    const now = this.now();
    // In due order; a timer a callback adds for now or earlier fires in this same pass.
    for (;;) {
      const next = this.pending.reduce<Pending | null>((a, p) => (p.due <= now && (a === null || p.due < a.due || (p.due === a.due && p.id < a.id)) ? p : a), null);
      if (!next) break;
      if (next.every === null) this.pending = this.pending.filter((p) => p !== next);
      else next.due += next.every;
      next.fn();
    }
    this.arm();
  }
}
