import type { z } from 'zod';
import type { FeedRecord } from '../../../common/domain/feedRecord';

/** A record the adapter could not turn into a FeedRecord: kept, byte for byte, with the reason. */
export interface ParseError {
  /** The offending input (one feature, one line, one XML element…), as received. */
  raw: string;
  /** What is wrong and, where it helps, what to change in the feed config. */
  reason: string;
}

export interface ParseResult {
  records: FeedRecord[];
  errors: ParseError[];
  /** Cursor to ask the next poll from (Open311 `updated_after`, a max timestamp, …), if the standard has one. */
  cursor?: string;
  /** What was read but deliberately not turned into records, counted by kind (`{ TripUpdates: 12 }`): never a silent zero. */
  ignored?: Record<string, number>;
}

export interface ParseContext<C> {
  feedId: string;
  config: C;
  /** When the bytes arrived; adapters use it for records that carry no time of their own. */
  receivedAt: number;
  /** Where the city pack places transit stops (GTFS stop_id → [lon, lat]), for feeds that name stops. */
  stops?: ReadonlyMap<string, readonly [number, number]>;
}

/**
 * One feed standard. A new standard is one file implementing this plus one line in registry.ts.
 * Adapters are pure: bytes in, records and errors out. Fetching, timing and storage live elsewhere.
 * A malformed record must become a ParseError; a whole payload that cannot be read at all (not
 * JSON, not XML) is one ParseError holding the payload. parse never throws on bad input.
 */
export interface FeedAdapter<C = unknown> {
  readonly type: string;
  /** Options specific to this standard (field mapping, category mapping…), validated at config load. */
  readonly configSchema: z.ZodType<C>;
  parse(raw: string | Uint8Array, ctx: ParseContext<C>): ParseResult;
}

export function asText(raw: string | Uint8Array): string {
  return typeof raw === 'string' ? raw : new TextDecoder('utf-8').decode(raw);
}

/** Keeps quarantined raw input bounded: a 50 MB garbage payload must not be stored whole. */
export const MAX_RAW_KEPT = 64 * 1024;
export function clipRaw(raw: string): string {
  return raw.length > MAX_RAW_KEPT ? `${raw.slice(0, MAX_RAW_KEPT)}… [${raw.length - MAX_RAW_KEPT} more characters not kept]` : raw;
}
