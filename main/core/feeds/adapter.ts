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
  /**
   * Items read but deliberately not turned into records, by kind ("index entries: links only",
   * "TripUpdates"): every summary says them, so that "stored 0" is never a silent zero.
   */
  ignored?: Record<string, number>;
}

export interface ParseContext<C> {
  feedId: string;
  config: C;
  /** When the bytes arrived; adapters use it for records that carry no time of their own. */
  receivedAt: number;
  /** The charset the transport declared (HTTP `Content-Type: …; charset=`), if any. */
  charset?: string | undefined;
  /** The feed's `encoding` option: what to assume when the bytes declare nothing. */
  encoding?: string | undefined;
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

/** Bytes that do not decode in the encoding they declare (or, declaring none, the feed's). */
export class DecodeError extends Error {}

const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/**
 * Bytes to text. Which encoding, first found wins: a byte-order mark, the transport's declared
 * charset (RFC 7303: it outranks the XML declaration), the XML declaration's `encoding`, the
 * feed's `encoding` option, UTF-8. Decoding is fatal: bytes that are not valid in that encoding
 * throw a DecodeError (the payload is quarantined with the reason) rather than becoming U+FFFD.
 */
export function asText(raw: string | Uint8Array, declared: { charset?: string | undefined; encoding?: string | undefined } = {}): string {
  if (typeof raw === 'string') return raw;
  const bom = BOMS.find(([mark]) => mark.every((b, i) => raw[i] === b));
  const label = bom?.[1] ?? declared.charset ?? xmlDeclaredEncoding(raw) ?? declared.encoding ?? 'utf-8';
  const source = bom ? `its byte-order mark` : declared.charset ? `the HTTP charset` : xmlDeclaredEncoding(raw) ? `its XML declaration` : declared.encoding ? `the feed's "encoding" option` : `the default (no BOM, charset, XML declaration or "encoding" option)`;
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new DecodeError(`encoding "${label}" (from ${source}) is not one Vigie knows; use e.g. utf-8, windows-1252, iso-8859-15`);
  }
  try {
    // ignoreBOM off (the default): the mark itself is not part of the text.
    const text = decoder.decode(raw);
    return decoder.encoding === 'windows-1252' ? fixWindows1252(text) : text;
  } catch {
    const loose = new TextDecoder(label).decode(raw);
    const at = loose.indexOf('\uFFFD');
    const line = loose.slice(0, Math.max(0, at)).split('\n').length;
    throw new DecodeError(
      `bytes on line ${line} are not valid ${decoder.encoding} (the encoding from ${source}); nothing was stored with replacement characters. ` +
        `If the source is a Windows or legacy export, set the feed's "encoding" option (e.g. "windows-1252" or "iso-8859-15").`,
    );
  }
}

/**
 * WHATWG windows-1252 (which "iso-8859-1" and "latin1" also name) for bytes 0x80-0x9F. Node 20's
 * TextDecoder decodes those as C1 controls (Latin-1), so "€" (0x80) and "—" (0x97) vanish; a
 * correct decoder never yields U+0080-U+009F except the five bytes that stay controls, so
 * re-mapping is safe either way.
 */
const CP1252_HIGH = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';
function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** `<?xml … encoding="…"?>` at the very start, read as ASCII (every encoding we accept keeps it ASCII). */
function xmlDeclaredEncoding(raw: Uint8Array): string | undefined {
  if (raw[0] !== 0x3c || raw[1] !== 0x3f) return undefined;
  const head = Buffer.from(raw.subarray(0, 200)).toString('latin1');
  const decl = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return decl?.[1];
}

/** Whether a name is an encoding TextDecoder knows (for config validation). */
export function isKnownEncoding(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/**
 * asText for an adapter's parse, which must not throw: the text, or the ParseResult that
 * quarantines the undecodable payload (as base64: re-decoding it as text would corrupt it).
 */
export function decodeOrQuarantine(raw: string | Uint8Array, ctx: { charset?: string | undefined; encoding?: string | undefined }): string | ParseResult {
  try {
    return asText(raw, ctx);
  } catch (error) {
    if (!(error instanceof DecodeError) || typeof raw === 'string') throw error;
    return undecodable(raw, error);
  }
}

function undecodable(raw: Uint8Array, error: DecodeError): ParseResult {
  return { records: [], errors: [{ raw: clipRaw(`base64:${Buffer.from(raw).toString('base64')}`), reason: error.message }] };
}

/**
 * Runs an adapter, turning a payload that does not decode into one quarantined error that keeps
 * the bytes (base64: re-decoding them as text would corrupt them).
 */
export function parsePayload<C>(adapter: FeedAdapter<C>, raw: string | Uint8Array, ctx: ParseContext<C>): ParseResult {
  try {
    return adapter.parse(raw, ctx);
  } catch (error) {
    if (!(error instanceof DecodeError) || typeof raw === 'string') throw error;
    return undecodable(raw, error);
  }
}

/** "163 index entries: links only, 12 TripUpdates" — for summaries. */
export function describeIgnored(ignored: Record<string, number> | undefined): string {
  return Object.entries(ignored ?? {})
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
}

/** Adds one batch's ignored counts to a running total. */
export function addIgnored(total: Record<string, number>, ignored: Record<string, number> | undefined): void {
  for (const [kind, n] of Object.entries(ignored ?? {})) total[kind] = (total[kind] ?? 0) + n;
}

/** Keeps quarantined raw input bounded: a 50 MB garbage payload must not be stored whole. */
export const MAX_RAW_KEPT = 64 * 1024;
export function clipRaw(raw: string): string {
  return raw.length > MAX_RAW_KEPT ? `${raw.slice(0, MAX_RAW_KEPT)}… [${raw.length - MAX_RAW_KEPT} more characters not kept]` : raw;
}
