import { SIGNAL_KINDS, type SignalKind, type SignalReading } from '../../../common/domain/signal';

export interface AreaSignal {
  area: string;
  /** Where the count is written: the district's label point. */
  position: [number, number];
  /** The newest bucket of each kind, in SIGNAL_KINDS order. */
  counts: { kind: SignalKind; count: number; start: number; minutes: number }[];
  /** 0…1: the area's largest count against the largest of the same kind elsewhere (the shade). */
  share: number;
}

/**
 * Per area and kind, the newest bucket's count: summing an hour of quarter-hour presence counts
 * would count the same people four times. Areas the city pack does not place are left out (the
 * service takes only known areas).
 */
export function signalAreas(readings: readonly SignalReading[], places: readonly { name: string; position: [number, number] }[]): AreaSignal[] {
  const at = new Map(places.map((p) => [p.name, p.position]));
  const newest = new Map<string, SignalReading>();
  for (const r of readings) {
    if (!at.has(r.area)) continue;
    const key = `${r.area}\n${r.kind}`;
    const seen = newest.get(key);
    if (!seen || r.start >= seen.start) newest.set(key, r);
  }
  const maxOf = new Map<SignalKind, number>();
  for (const r of newest.values()) maxOf.set(r.kind, Math.max(maxOf.get(r.kind) ?? 0, r.count));
  const byArea = new Map<string, AreaSignal>();
  for (const r of newest.values()) {
    const area = byArea.get(r.area) ?? { area: r.area, position: at.get(r.area)!, counts: [], share: 0 };
    area.counts.push({ kind: r.kind, count: r.count, start: r.start, minutes: r.minutes });
    area.share = Math.max(area.share, r.count / Math.max(1, maxOf.get(r.kind)!));
    byArea.set(r.area, area);
  }
  for (const a of byArea.values()) a.counts.sort((x, y) => SIGNAL_KINDS.indexOf(x.kind) - SIGNAL_KINDS.indexOf(y.kind));
  return [...byArea.values()];
}

/** "1500 present · 38 mentions": what is written on the area. */
export function signalText(area: Pick<AreaSignal, 'counts'>, kindLabel: (kind: SignalKind) => string): string {
  return area.counts.map((c) => `${c.count} ${kindLabel(c.kind)}`).join(' · ');
}
