/**
 * How imported items close. History exports rarely carry a closing time; without one every report
 * of six months stays "open" forever and replay shows a day no supervisor ever saw. So the person
 * who imports states a rule, it is stored with the import (history_imports) and shown in replay.
 *
 *   --map closedAt=COLUMN            the file's own closing time (rows where it is empty follow the rule below, if any)
 *   --lifecycle reports:45m          every item is open for 45 minutes after it occurred
 *   --lifecycle "BURGLARY=2h,THEFT=1h,*=30m"   per category (case-insensitive); `*` for the others
 */
export type Lifecycle =
  | { kind: 'reports'; durationMs: number }
  | { kind: 'categories'; durations: Map<string, number>; otherwiseMs: number | null };

export class LifecycleError extends Error {
  override name = 'LifecycleError';
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "2h", "1h30m", "1d": a positive duration in milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim().toLowerCase();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)\s*([smhd])/g)];
  const total = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0);
  if (parts.length === 0 || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== trimmed.replace(/\s/g, '') || !(total > 0)) {
    throw new LifecycleError(`"${text}" is not a duration: write it as 90s, 30m, 2h, 1h30m or 1d`);
  }
  return Math.round(total);
}

export function parseLifecycle(text: string): Lifecycle {
  const trimmed = text.trim();
  const reports = /^reports?\s*:\s*(.+)$/i.exec(trimmed);
  if (reports) return { kind: 'reports', durationMs: parseDuration(reports[1]!) };
  const durations = new Map<string, number>();
  let otherwiseMs: number | null = null;
  for (const pair of trimmed.split(',')) {
    const eq = pair.lastIndexOf('=');
    const category = pair.slice(0, eq).trim();
    if (eq < 0 || !category) throw new LifecycleError(`--lifecycle ${pair.trim() || '(empty)'}: expected CATEGORY=DURATION (e.g. BURGLARY=2h,*=30m) or reports:DURATION`);
    const ms = parseDuration(pair.slice(eq + 1));
    if (category === '*') otherwiseMs = ms;
    else durations.set(category.toLowerCase(), ms);
  }
  return { kind: 'categories', durations, otherwiseMs };
}

/** How long an item of `category` stays open, or null when the rule says nothing about it. */
export function openFor(rule: Lifecycle, category: string): number | null {
  if (rule.kind === 'reports') return rule.durationMs;
  return rule.durations.get(category.toLowerCase()) ?? rule.otherwiseMs;
}

function formatDuration(ms: number): string {
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  let left = ms;
  let out = '';
  for (const [u, size] of units) {
    const n = Math.floor(left / size);
    if (n > 0) out += `${n}${u}`;
    left -= n * size;
  }
  return out || '0s';
}

/** The rule as stored and shown: canonical, so two imports with the same rule read the same. */
export function describeLifecycle(rule: Lifecycle | null, closedColumn: string | null): string {
  const parts: string[] = [];
  if (closedColumn) parts.push(`closedAt=${closedColumn}`);
  if (rule?.kind === 'reports') parts.push(`reports:${formatDuration(rule.durationMs)}`);
  if (rule?.kind === 'categories') {
    const pairs = [...rule.durations].map(([c, ms]) => `${c.toUpperCase()}=${formatDuration(ms)}`);
    if (rule.otherwiseMs !== null) pairs.push(`*=${formatDuration(rule.otherwiseMs)}`);
    parts.push(pairs.join(','));
  }
  return parts.length ? parts.join(' then ') : 'none';
}
