/**
 * Cursor on Target (CoT 2.0 XML events), as TAK devices and gateways send them over TCP, UDP or
 * in files: one `<event>` or many concatenated. The type decides the kind:
 * - atoms of our side (`a-f-…` friend, `a-a-…` assumed friend) are unit positions;
 * - other atoms (hostile, neutral, unknown…) and map points (`b-…`, `u-…`) are markers;
 * - tasking and control events (`t-…`: pings, deletes, chat receipts) carry no position to show
 *   and are skipped without error.
 * `stale` becomes expiresAt: after it the point must not be shown as current.
 *
 * Privacy: from `<contact>` only the callsign is kept (the operational name on the map);
 * `phone`, `email` and the network `endpoint` are not carried, nor `<remarks>` free text, and
 * phone and e-mail attributes are cut from the raw text kept for quarantine as well.
 */
import { z } from 'zod';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import type { MarkerFields } from '../../../common/domain/marker';
import type { UnitFields } from '../../../common/domain/unit';
import { clipRaw, decodeOrQuarantine, type FeedAdapter, type ParseError, type ParseResult } from './adapter';
import {
  checkLonLat,
  checkTime,
  clipText,
  fail,
  normaliseHeading,
  parseIsoTime,
  PLANNED_AHEAD_MS,
  toNumber,
  toParseError,
} from './fieldValues';
import { child, parseXmlStream, type XmlElement } from './xml';

export const CotConfig = z.object({
  /** Type prefixes that are our own units; everything else with a point is a marker. */
  unitTypes: z.array(z.string().min(1).max(50)).max(100).optional(),
});
export type CotConfig = z.infer<typeof CotConfig>;

const DEFAULT_UNIT_TYPES = ['a-f-', 'a-a-'];

/** The second letter of an atom type: MIL-STD-2525 standard identity. */
const AFFILIATION: Record<string, MarkerFields['affiliation']> = {
  f: 'friend', a: 'friend', h: 'hostile', s: 'hostile', j: 'hostile', k: 'hostile', n: 'neutral', u: 'unknown', p: 'pending', o: 'none',
};

export const cotAdapter: FeedAdapter<CotConfig> = {
  type: 'cot',
  configSchema: CotConfig,
  parse(raw, ctx): ParseResult {
    // Bytes that are not text (TAK protobuf, noise) are quarantined as base64, not re-decoded.
    const text = decodeOrQuarantine(raw, ctx);
    if (typeof text !== 'string') return text;
    const records: FeedRecord[] = [];
    const errors: ParseError[] = [];
    try {
      const unitTypes = ctx.config.unitTypes ?? DEFAULT_UNIT_TYPES;
      for (const fragment of parseXmlStream(text)) {
        if (!fragment.ok) {
          errors.push({ raw: clipRaw(withoutContactDetails(fragment.raw)), reason: `not readable as XML: ${fragment.error}` });
          continue;
        }
        try {
          const record = readEvent(fragment.element, unitTypes, ctx.receivedAt);
          // No zod pass: readEvent checks every field it sets, CoT is a high-rate position stream,
          // and the pipeline validates again before storing.
          if (record) records.push(record);
        } catch (err) {
          errors.push(toParseError(withoutContactDetails(fragment.raw), err));
        }
      }
    } catch (err) {
      errors.push(toParseError(withoutContactDetails(text), err));
    }
    return { records, errors };
  },
};

function readEvent(event: XmlElement, unitTypes: string[], receivedAt: number): FeedRecord | undefined {
  if (event.name !== 'event') fail(event.name, `<${event.name}> is not a CoT <event>`);
  const type = event.attrs.type?.trim();
  if (!type) fail('event@type', 'missing');
  if (type.startsWith('t-')) return undefined;
  const uid = event.attrs.uid?.trim();
  if (!uid) fail('event@uid', 'missing');
  if (uid.length > 200) fail('event@uid', 'longer than 200 characters');

  const timeText = event.attrs.time;
  if (!timeText) fail('event@time', 'missing');
  const t = checkTime('event@time', parseIsoTime('event@time', timeText), receivedAt);
  const staleText = event.attrs.stale;
  if (!staleText) fail('event@stale', 'missing');
  const expiresAt = checkTime('event@stale', parseIsoTime('event@stale', staleText), receivedAt, PLANNED_AHEAD_MS);
  if (expiresAt < t) fail('event@stale', 'is before event@time');

  const point = child(event, 'point');
  if (!point) fail('point', 'missing');
  const lat = toNumber(point.attrs.lat);
  const lon = toNumber(point.attrs.lon);
  if (lat === undefined) fail('point@lat', point.attrs.lat === undefined ? 'missing' : `'${clipText(point.attrs.lat, 40)}' is not a number`);
  if (lon === undefined) fail('point@lon', point.attrs.lon === undefined ? 'missing' : `'${clipText(point.attrs.lon, 40)}' is not a number`);
  checkLonLat('point@lon', 'point@lat', lon, lat);

  const detail = child(event, 'detail');
  const callsign = detail && child(detail, 'contact')?.attrs.callsign?.trim();

  if (unitTypes.some((prefix) => type.startsWith(prefix))) {
    const unit: FeedRecord & { kind: 'unit' } = {
      kind: 'unit', unitId: uid, unitType: unitTypeOf(type), lon, lat, t, expiresAt, sourceType: clipText(type, 100),
    };
    if (callsign) unit.callsign = clipText(callsign, 100);
    const track = detail && child(detail, 'track');
    if (track) {
      const course = toNumber(track.attrs.course);
      const speed = toNumber(track.attrs.speed);
      if (track.attrs.course !== undefined && course === undefined) fail('track@course', `'${clipText(track.attrs.course, 40)}' is not a number`);
      if (track.attrs.speed !== undefined && speed === undefined) fail('track@speed', `'${clipText(track.attrs.speed, 40)}' is not a number`);
      if (course !== undefined) unit.heading = normaliseHeading(course);
      // Negative speed is how some devices say "unknown".
      if (speed !== undefined && speed >= 0) {
        if (speed > 1000) fail('track@speed', `${speed} m/s is not a plausible speed`);
        unit.speed = speed;
      }
    }
    return unit;
  }
  const marker: FeedRecord & { kind: 'marker' } = {
    kind: 'marker', externalId: uid, markerType: clipText(type, 100), affiliation: affiliationOf(type), lon, lat, t, expiresAt,
  };
  if (callsign) marker.label = clipText(callsign, 200);
  return marker;
}

function affiliationOf(type: string): MarkerFields['affiliation'] {
  if (!type.startsWith('a-')) return 'none';
  return AFFILIATION[type.charAt(2)] ?? 'unknown';
}

/** The battle dimension and function of an atom type, as far as the map symbol needs it. */
function unitTypeOf(type: string): UnitFields['unitType'] {
  const rest = type.split('-').slice(2).join('-');
  if (rest.startsWith('A')) return 'aircraft';
  if (rest.startsWith('S') || rest.startsWith('U')) return 'vessel';
  if (rest.startsWith('G-E-V')) return 'vehicle';
  // a-f-G-U-C is what TAK devices report for a team member on foot.
  if (rest.startsWith('G-U')) return 'person';
  return 'unknown';
}

function withoutContactDetails(raw: string): string {
  return raw.replace(/\s(phone|email|emailAddress)\s*=\s*("[^"]*"|'[^']*')/gi, ' $1="[dropped at ingest]"');
}
