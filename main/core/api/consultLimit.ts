/**
 * Bounds what one session (user + origin) may write to the journal through audit.consult: at most
 * `perMinute` consultations in any rolling minute, and the same consultation repeated within
 * `repeatMs` is journaled once. A normal desk stays far below (a search is journaled 1.5 s after
 * typing stops; an incident opened once per opening), while a script can no longer write
 * thousands of rows a second to drown the trail.
 */
export class ConsultLimit {
  private readonly recent = new Map<string, number[]>();
  private readonly last = new Map<string, number>();

  constructor(
    readonly perMinute = 120,
    readonly repeatMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** 'ok': journal it; 'repeat': already journaled just now; 'limit': too many this minute. */
  check(session: string, consultation: string): 'ok' | 'repeat' | 'limit' {
    const t = this.now();
    const key = `${session}\u0000${consultation}`;
    const previous = this.last.get(key);
    if (previous !== undefined && t - previous < this.repeatMs) return 'repeat';
    const times = (this.recent.get(session) ?? []).filter((x) => t - x < 60_000);
    if (times.length >= this.perMinute) {
      this.recent.set(session, times);
      return 'limit';
    }
    times.push(t);
    this.recent.set(session, times);
    this.last.set(key, t);
    // Forget repeats older than the window, so the map stays as small as the last minutes' activity.
    if (this.last.size > 10 * this.perMinute) for (const [k, at] of this.last) if (t - at >= this.repeatMs) this.last.delete(k);
    return 'ok';
  }
}
