/**
 * Small value readers shared by the feed adapters. Each throws a FieldError naming the field, so
 * an adapter reads a record top to bottom and turns the first problem into one ParseError.
 */
import type { z } from 'zod';
import { FeedRecord } from '../../../common/domain/feedRecord';
import { clipRaw, type ParseError } from './adapter';

/** A value in one record that cannot be used. `field` is the path as the source names it. */
export class FieldError extends Error {
  constructor(readonly field: string, readonly why: string) {
    super(`${field}: ${why}`);
  }
}

export function fail(field: string, why: string): never {
  throw new FieldError(field, why);
}

/** Converts anything thrown while reading one record into its ParseError; parse itself never throws. */
export function toParseError(raw: string, err: unknown): ParseError {
  if (err instanceof FieldError) return { raw: clipRaw(raw), reason: err.message };
  // Not a data problem we foresaw: say so, so that it is reported as a bug and not as bad data.
  const detail = err instanceof Error ? err.message : String(err);
  return { raw: clipRaw(raw), reason: `internal adapter error (please report): ${detail}` };
}

/** Earliest time accepted anywhere: older values are unit mistakes (seconds read as ms, year 0). */
export const EARLIEST_TIME = Date.UTC(1990, 0, 1);
const DAY_MS = 86_400_000;
/** How far ahead of arrival a measured time may be (clock skew of field devices). */
export const OBSERVED_AHEAD_MS = DAY_MS;
/** How far ahead a planned time (an alert's expiry, a marker's stale time) may be. */
export const PLANNED_AHEAD_MS = 366 * DAY_MS;

// YYYY-MM-DDThh:mm[:ss[.fff…]] then Z or ±hh[:]mm. A space instead of T is tolerated (CSV exports).
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads an ISO 8601 / W3C date-time. Date.parse is not used: it reads a time without offset as
 * local time of the machine, which silently shifts records by hours. A missing offset is refused
 * unless the feed says its times are UTC.
 */
export function parseIsoTime(field: string, text: string, assumeUtc = false): number {
  const m = ISO.exec(text.trim());
  if (!m) fail(field, `'${short(text)}' is not an ISO 8601 date-time (expected e.g. 2024-05-09T19:02:21+02:00)`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 24 || minute > 59 || second > 60) {
    fail(field, `'${short(text)}' is not a real date or time`);
  }
  let offsetMin = 0;
  if (zone === undefined) {
    if (!assumeUtc) fail(field, `'${short(text)}' has no UTC offset; add one at the source, or set the feed's times to UTC`);
  } else if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
    if (Math.abs(offsetMin) > 18 * 60) fail(field, `'${short(text)}' has an impossible UTC offset`);
  }
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms) - offsetMin * 60_000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Refuses times that can only be mistakes: before 1990, or further ahead of arrival than `aheadMs`. */
export function checkTime(field: string, ms: number, receivedAt: number, aheadMs = OBSERVED_AHEAD_MS): number {
  if (!Number.isFinite(ms)) fail(field, 'is not a number');
  if (ms < EARLIEST_TIME) fail(field, `${isoOrRaw(ms)} is before 1990: wrong unit (seconds vs milliseconds)?`);
  if (ms > receivedAt + aheadMs) {
    fail(field, `${isoOrRaw(ms)} is too far in the future (received ${isoOrRaw(receivedAt)}): wrong unit or clock?`);
  }
  return Math.round(ms);
}

function isoOrRaw(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** A finite number from a number or a numeric string ("4.5", " -1e3 "); anything else is undefined. */
export function toNumber(value: unknown, decimalComma = false): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  let s = value.trim();
  if (s === '') return undefined;
  if (decimalComma) s = s.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Reads a required number, naming the field when it is absent or not a number. */
export function requireNumber(field: string, value: unknown, decimalComma = false): number {
  if (value === undefined || value === null || value === '') fail(field, 'missing');
  const n = toNumber(value, decimalComma);
  if (n === undefined) fail(field, `${describe(value)} is not a number`);
  return n;
}

/** Checks a WGS84 position and says which coordinate is wrong, and whether they look swapped. */
export function checkLonLat(lonField: string, latField: string, lon: number, lat: number): void {
  const swapped = Math.abs(lat) > 90 && Math.abs(lat) <= 180 && Math.abs(lon) <= 90 ? ' (longitude and latitude swapped?)' : '';
  if (lat < -90 || lat > 90) fail(latField, `${lat} is outside -90…90${swapped}`);
  if (lon < -180 || lon > 180) fail(lonField, `${lon} is outside -180…180`);
}

/** Bearings arrive as -180…180 or 0…360; the domain keeps 0 ≤ heading < 360. */
export function normaliseHeading(deg: number): number {
  const h = deg % 360;
  return h < 0 ? h + 360 : h;
}

/** Shortens free text to the schema's limit rather than losing the whole record over its length. */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The non-empty trimmed string, or undefined. */
export function nonEmpty(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
}

/**
 * Last line of defence: the record must satisfy its domain schema. The adapters check fields as
 * they read them, so this only catches what they did not foresee, and names the field all the same.
 */
export function validateRecord(candidate: unknown): FeedRecord {
  const res = FeedRecord.safeParse(candidate);
  if (res.success) return res.data;
  const first = res.error.issues[0];
  const message = first?.message ?? 'does not match the record schema';
  fail(first ? issuePath(first) : 'record', /received undefined$/.test(message) ? 'missing' : message);
}

function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.length ? issue.path.map(String).join('.') : 'record';
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${short(value)}'`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
