/**
 * Reads the times feeds actually send: ISO 8601 (with or without zone; without one it is taken as
 * UTC), epoch seconds or milliseconds as numbers or digit strings. Returns epoch ms, or null.
 */
export function parseTime(value: unknown): number | null {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^\d{9,13}(\.\d+)?$/.test(s)) return fromEpoch(Number(s));
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const hasZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(s);
  const iso = s.length === 10 ? `${s}T00:00:00Z` : hasZone ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

function fromEpoch(n: number): number | null {
  if (!Number.isFinite(n) || n < 0) return null;
  // Ten digits or fewer are seconds (until the year 2286); more are milliseconds.
  return Math.round(n < 1e11 ? n * 1000 : n);
}
