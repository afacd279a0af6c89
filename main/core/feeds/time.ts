import { checkTime, FieldError, parseIsoTime } from './fieldValues';

/**
 * Reads the times feeds send: ISO 8601 strings, or epoch seconds / milliseconds as numbers or
 * digit strings. One rule for every adapter (the same as fieldValues.parseIsoTime): a date-time
 * without a UTC offset is refused unless the feed's options say its times are UTC (`timesAreUtc`),
 * because guessing the zone silently shifts records by hours. Absurd times (before 1990, more than
 * a day ahead of arrival) are refused too. Returns epoch ms, or the reason it cannot.
 */
export function readFeedTime(field: string, value: unknown, receivedAt: number, assumeUtc = false): number | string {
  try {
    if (typeof value === 'number') return checkTime(field, fromEpoch(value), receivedAt);
    if (typeof value !== 'string') return `${field}: ${JSON.stringify(value)} is not a date`;
    const s = value.trim();
    if (/^\d{9,13}(\.\d+)?$/.test(s)) return checkTime(field, fromEpoch(Number(s)), receivedAt);
    // A bare date is a day, not an instant: midnight UTC of that day, whatever the feed's zone.
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return checkTime(field, parseIsoTime(field, `${s}T00:00:00Z`), receivedAt);
    return checkTime(field, parseIsoTime(field, s, assumeUtc), receivedAt);
  } catch (error) {
    if (error instanceof FieldError) return `${error.message}`;
    throw error;
  }
}

function fromEpoch(n: number): number {
  // Ten digits or fewer are seconds (until the year 2286); more are milliseconds.
  return n < 1e11 ? n * 1000 : n;
}
