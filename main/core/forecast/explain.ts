import type { History } from './history';
import { DAY_MS } from './model';

/**
 * Why a cell scores what it scores: the model's value for the cell split into additive parts, so
 * that the parts add up to the value (up to rounding). Parts group the past events that reach the
 * cell by kind, category, age and ring (the cell itself or its neighbours). Area-level only: a part
 * names a category and a count of events, never an incident or a person.
 */
export interface ExplanationPart {
  /**
   * recent: time-decayed, kernel-smoothed past events (KDE); count: a baseline's plain count;
   * background: the long-term rate a self-exciting model attributes to the place;
   * triggering: the near-repeat part of a self-exciting model (recent events raising the rate nearby).
   */
  kind: 'recent' | 'count' | 'background' | 'triggering';
  category: string;
  /** Age of the events, in days since the forecast time: [ageFromDays, ageToDays). Null for background. */
  ageFromDays: number | null;
  ageToDays: number | null;
  /** 0: events in this cell; 1: events in neighbouring cells. Null for background. */
  ring: 0 | 1 | null;
  events: number;
  /** Expected incidents in the horizon this part adds to the cell. */
  value: number;
}

export interface Weight {
  /** What the number is, in words the card shows (halfLifeDays, bandwidthM, theta…). */
  name: string;
  value: number | string;
}

export interface CellExplanation {
  value: number;
  parts: ExplanationPart[];
  weights: Weight[];
}

/** Age buckets, in days: a supervisor reads "this week" and "this month" better than exact ages. */
export const AGE_BUCKETS_DAYS = [0, 1, 7, 28, 90, Infinity] as const;

function ageBucket(ageDays: number): number {
  for (let k = AGE_BUCKETS_DAYS.length - 2; k >= 0; k--) if (ageDays >= AGE_BUCKETS_DAYS[k]!) return k;
  return 0;
}

/** Collects per-event contributions into parts keyed by kind, category, age bucket and ring. */
export class PartCollector {
  private readonly parts = new Map<string, ExplanationPart>();

  constructor(private readonly history: History, private readonly at: number) {}

  /** Event i (index into history.events) adds `value` to the explained cell. */
  add(kind: 'recent' | 'count' | 'triggering', event: number, sameCell: boolean, value: number): void {
    const { events } = this.history;
    const category = events.categories[events.category[event]!] ?? '';
    const bucket = ageBucket((this.at - events.t[event]!) / DAY_MS);
    const ring = sameCell ? 0 : 1;
    const key = `${kind}|${category}|${bucket}|${ring}`;
    let part = this.parts.get(key);
    if (!part) {
      const to = AGE_BUCKETS_DAYS[bucket + 1]!;
      part = { kind, category, ageFromDays: AGE_BUCKETS_DAYS[bucket]!, ageToDays: Number.isFinite(to) ? to : null, ring, events: 0, value: 0 };
      this.parts.set(key, part);
    }
    part.events += 1;
    part.value += value;
  }

  background(category: string, events: number, value: number): void {
    const key = `background|${category}`;
    const part = this.parts.get(key) ?? { kind: 'background' as const, category, ageFromDays: null, ageToDays: null, ring: null, events: 0, value: 0 };
    part.events += events;
    part.value += value;
    this.parts.set(key, part);
  }

  /** Parts with a value, largest first. */
  result(weights: Weight[]): CellExplanation {
    const parts = [...this.parts.values()].filter((p) => p.value > 0).sort((a, b) => b.value - a.value);
    // Summed in a fixed order so the total does not depend on the sort.
    let value = 0;
    for (const p of this.parts.values()) value += p.value;
    return { value, parts, weights };
  }
}
