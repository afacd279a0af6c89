/**
 * When to restart the data service after it exits: quickly at first, doubling up to a ceiling
 * while it keeps crashing, and quickly again once a run has lasted `stableMs` (a crash an hour
 * after the last one is a new incident, not the seventh of a loop).
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  stableMs: number;
}

export const SERVICE_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, stableMs: 60_000 };

export class RestartBackoff {
  private failures = 0;
  private startedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: BackoffOptions = SERVICE_BACKOFF) {}

  /** The service started at `now` (ms). */
  started(now: number): void {
    this.startedAt = now;
  }

  /** The service exited at `now`: how long to wait before starting it again. */
  exited(now: number): number {
    if (now - this.startedAt >= this.options.stableMs) this.failures = 0;
    const delay = Math.min(this.options.maxMs, this.options.baseMs * 2 ** this.failures);
    this.failures++;
    return delay;
  }
}
