import { SIGNAL_KINDS, type SignalAnswer, type SignalKind } from '../../../common/domain/signal';

export interface AreaSignal {
  area: string;
  /** Where the count is written: the district's label point. */
  position: [number, number];
  /** The newest bucket of each kind, in SIGNAL_KINDS order; `count: null` when it was below k (written "< k"). */
  counts: { kind: SignalKind; count: number | null; belowK?: number; start: number; minutes: number }[];
  /** 0…1: the area's largest count against the largest of the same kind elsewhere (the shade). */
  share: number;
  /** Every newest bucket of the area is below k: drawn apart, grey, not as "few". */
  belowKOnly: boolean;
}

/**
 * Per area and kind, the newest bucket's count: summing an hour of quarter-hour presence counts
 * would count the same people four times. Areas the city pack does not place are left out (the
 * service takes only known areas).
 */
export function signalAreas(readings: readonly SignalAnswer[], places: readonly { name: string; position: [number, number] }[]): AreaSignal[] {
  const at = new Map(places.map((p) => [p.name, p.position]));
  const newest = new Map<string, SignalAnswer>();
  for (const r of readings) {
    if (!at.has(r.area)) continue;
    const key = `${r.area}\n${r.kind}`;
    const seen = newest.get(key);
    if (!seen || r.start >= seen.start) newest.set(key, r);
  }
  const maxOf = new Map<SignalKind, number>();
  for (const r of newest.values()) maxOf.set(r.kind, Math.max(maxOf.get(r.kind) ?? 0, r.count ?? 0));
  const byArea = new Map<string, AreaSignal>();
  for (const r of newest.values()) {
    const area = byArea.get(r.area) ?? { area: r.area, position: at.get(r.area)!, counts: [], share: 0, belowKOnly: true };
    if (r.count === null) {
      area.counts.push({ kind: r.kind, count: null, belowK: r.belowK, start: r.start, minutes: r.minutes });
    } else {
      area.counts.push({ kind: r.kind, count: r.count, start: r.start, minutes: r.minutes });
      area.share = Math.max(area.share, r.count / Math.max(1, maxOf.get(r.kind)!));
      area.belowKOnly = false;
    }
    byArea.set(r.area, area);
  }
  for (const a of byArea.values()) a.counts.sort((x, y) => SIGNAL_KINDS.indexOf(x.kind) - SIGNAL_KINDS.indexOf(y.kind));
  return [...byArea.values()];
}

/** "1500 present · < 10 mentions": what is written on the area. */
export function signalText(area: Pick<AreaSignal, 'counts'>, kindLabel: (kind: SignalKind) => string): string {
  return area.counts.map((c) => `${c.count === null ? `< ${c.belowK}` : c.count} ${kindLabel(c.kind)}`).join(' · ');
}
