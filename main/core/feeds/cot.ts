/**
 * Cursor on Target, as TAK devices and gateways send it over TCP, UDP or in files: CoT 2.0 XML
 * events (one `<event>` or many concatenated), or TAK Protocol Version 1 messages (protobuf, see
 * takProtocol.ts), told apart by their first byte. The type decides the kind:
 * - atoms of our side (`a-f-…` friend, `a-a-…` assumed friend) are unit positions;
 * - other atoms (hostile, neutral, unknown…) and map points (`b-…`, `u-…`) are markers;
 * - tasking and control events (`t-…`: pings, deletes, chat receipts) carry no position to show
 *   and are skipped without error.
 * `stale` becomes expiresAt: after it the point must not be shown as current.
 *
 * From the detail: callsign, track (course, speed), `__group` (team and role), status (battery) and
 * takv (platform and version), from protobuf messages or the xmlDetail fallback.
 *
 * Privacy: from `<contact>` only the callsign is kept (the operational name on the map);
 * `phone`, `email` and the network `endpoint` are not carried, nor `<remarks>` free text, and
 * phone and e-mail attributes are cut from the raw text kept for quarantine as well.
 */
import { z } from 'zod';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import type { MarkerFields } from '../../../common/domain/marker';
import type { UnitFields } from '../../../common/domain/unit';
import { clipRaw, type FeedAdapter, type ParseError, type ParseResult } from './adapter';
import {
  checkLonLat,
  checkTime,
  clipText,
  fail,
  FieldError,
  normaliseHeading,
  parseIsoTime,
  PLANNED_AHEAD_MS,
  toNumber,
  toParseError,
} from './fieldValues';
import { base64 } from './protobuf';
import { decodeTakMessage, TAK_MAGIC, takFrame, type TakCotEvent, type TakMessage } from './takProtocol';
import { child, parseXml, parseXmlStream, type XmlElement } from './xml';

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
    const unitTypes = ctx.config.unitTypes ?? DEFAULT_UNIT_TYPES;
    // TAK protocol (protobuf) and XML arrive on the same sockets: the first byte tells them apart
    // (XML never starts with 0xbf; a UTF-8 byte-order mark starts with 0xef).
    if (typeof raw !== 'string' && firstByte(raw) === TAK_MAGIC) return parseTak(raw, unitTypes, ctx.receivedAt);
    let text: string;
    if (typeof raw === 'string') text = raw;
    else {
      try {
        text = STRICT_UTF8.decode(raw);
      } catch {
        // Not text: kept as the bytes that came, never as a guess at text with replacement characters.
        return { records: [], errors: [{ raw: clipRaw(base64(raw)), reason: 'neither CoT XML (not valid UTF-8) nor a TAK protocol message (no 0xbf header); the bytes are kept as base64' }] };
      }
    }
    const records: FeedRecord[] = [];
    const errors: ParseError[] = [];
    const ignored: Record<string, number> = {};
    try {
      for (const fragment of parseXmlStream(text)) {
        if (!fragment.ok) {
          errors.push({ raw: clipRaw(withoutContactDetails(fragment.raw)), reason: `not readable as XML: ${fragment.error}` });
          continue;
        }
        try {
          const record = eventRecord(fromXml(fragment.element), unitTypes, ctx.receivedAt);
          // No zod pass: eventRecord checks every field it sets, CoT is a high-rate position stream,
          // and the pipeline validates again before storing.
          if (record) records.push(record);
          else count(ignored, 'CoT tasking/control events (t-…)');
        } catch (err) {
          errors.push(toParseError(withoutContactDetails(fragment.raw), err));
        }
      }
    } catch (err) {
      errors.push(toParseError(withoutContactDetails(text), err));
    }
    return Object.keys(ignored).length > 0 ? { records, errors, ignored } : { records, errors };
  },
};

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function firstByte(bytes: Uint8Array): number | undefined {
  return bytes[0];
}

function count(ignored: Record<string, number>, kind: string): void {
  ignored[kind] = (ignored[kind] ?? 0) + 1;
}

/** One TAK protocol message (mesh or streaming framing): a record, a control message, or quarantine as base64. */
function parseTak(bytes: Uint8Array, unitTypes: string[], receivedAt: number): ParseResult {
  let framing = 'TAK protocol';
  try {
    const frame = takFrame(bytes);
    framing = frame.framing === 'mesh' ? 'TAK protocol mesh message' : 'TAK protocol streaming message';
    let message: TakMessage;
    try {
      message = decodeTakMessage(frame.payload);
    } catch (err) {
      if (err instanceof FieldError) fail(`TakMessage.${err.field}`, err.why);
      throw err;
    }
    if (!message.cotEvent) return { records: [], errors: [], ignored: { 'TAK control messages': 1 } };
    const record = eventRecord(fromTak(message.cotEvent), unitTypes, receivedAt);
    if (!record) return { records: [], errors: [], ignored: { 'CoT tasking/control events (t-…)': 1 } };
    return { records: [record], errors: [] };
  } catch (err) {
    const e = toParseError(base64(bytes), err);
    return { records: [], errors: [{ raw: e.raw, reason: `${framing}: ${e.reason} (the bytes are kept as base64)` }] };
  }
}

/** One CoT event, from XML or from protobuf, with the names the source gives its fields (for errors). */
interface CotEventData {
  type: string | undefined;
  uid: string | undefined;
  t: number;
  expiresAt: number;
  lat: number;
  lon: number;
  latField: string;
  lonField: string;
  callsign?: string | undefined;
  course?: unknown;
  speed?: unknown;
  team?: string | undefined;
  teamRole?: string | undefined;
  battery?: unknown;
  client?: string | undefined;
  names: { type: string; uid: string; course: string; speed: string; battery: string };
}

function fromXml(event: XmlElement): CotEventData {
  if (event.name !== 'event') fail(event.name, `<${event.name}> is not a CoT <event>`);
  const names = { type: 'event@type', uid: 'event@uid', course: 'track@course', speed: 'track@speed', battery: 'status@battery' };
  const type = event.attrs.type?.trim();
  if (!type) fail('event@type', 'missing');
  // A tasking event is skipped before its uid, time and point are required of it.
  if (type.startsWith('t-')) return { type, uid: undefined, t: 0, expiresAt: 0, lat: 0, lon: 0, latField: 'point@lat', lonField: 'point@lon', names };
  const uid = event.attrs.uid?.trim();
  if (!uid) fail('event@uid', 'missing');
  if (uid.length > 200) fail('event@uid', 'longer than 200 characters');
  const timeText = event.attrs.time;
  if (!timeText) fail('event@time', 'missing');
  const t = parseIsoTime('event@time', timeText);
  const staleText = event.attrs.stale;
  if (!staleText) fail('event@stale', 'missing');
  const expiresAt = parseIsoTime('event@stale', staleText);
  const point = child(event, 'point');
  if (!point) fail('point', 'missing');
  const lat = toNumber(point.attrs.lat);
  const lon = toNumber(point.attrs.lon);
  if (lat === undefined) fail('point@lat', point.attrs.lat === undefined ? 'missing' : `'${clipText(point.attrs.lat, 40)}' is not a number`);
  if (lon === undefined) fail('point@lon', point.attrs.lon === undefined ? 'missing' : `'${clipText(point.attrs.lon, 40)}' is not a number`);
  return { type, uid, t, expiresAt, lat, lon, latField: 'point@lat', lonField: 'point@lon', ...detailFromXml(child(event, 'detail')), names };
}

/** The detail elements Vigie shows, from CoT XML (`<detail>` itself, or a TAK message's xmlDetail). */
function detailFromXml(detail: XmlElement | undefined): Partial<CotEventData> {
  if (!detail) return {};
  const track = child(detail, 'track');
  const group = child(detail, '__group');
  const takv = child(detail, 'takv');
  return {
    callsign: child(detail, 'contact')?.attrs.callsign,
    course: track?.attrs.course,
    speed: track?.attrs.speed,
    team: group?.attrs.name,
    teamRole: group?.attrs.role,
    battery: child(detail, 'status')?.attrs.battery,
    client: takv && clientOf(takv.attrs.platform, takv.attrs.version),
  };
}

function clientOf(platform: string | undefined, version: string | undefined): string | undefined {
  const text = [platform?.trim(), version?.trim()].filter(Boolean).join(' ');
  return text === '' ? undefined : text;
}

function fromTak(e: TakCotEvent): CotEventData {
  const tasking = !!e.type?.startsWith('t-');
  if (!tasking) {
    if (!e.sendTime) fail('cotEvent.sendTime', 'missing');
    if (!e.staleTime) fail('cotEvent.staleTime', 'missing');
    // proto3 doubles default to 0: both at exactly 0 is an event sent without a point.
    if (e.lat === undefined && e.lon === undefined) fail('cotEvent.lat', 'missing (no point)');
  }
  const d = e.detail ?? {};
  // The sender moves detail elements without a protobuf message of their own into xmlDetail, and
  // older senders put everything there: read it for whatever the messages did not carry.
  let fallback: Partial<CotEventData> = {};
  if (d.xmlDetail && d.xmlDetail.trim() !== '') {
    const parsed = parseXml(`<detail>${d.xmlDetail}</detail>`, { maxLength: 64 * 1024 });
    if (!parsed.ok) fail('cotEvent.detail.xmlDetail', `not readable as XML: ${parsed.error}`);
    fallback = detailFromXml(parsed.root);
  }
  return {
    type: e.type, uid: e.uid, t: e.sendTime ?? 0, expiresAt: e.staleTime ?? 0, lat: e.lat ?? 0, lon: e.lon ?? 0,
    latField: 'cotEvent.lat', lonField: 'cotEvent.lon',
    callsign: d.contact?.callsign ?? fallback.callsign,
    course: d.track ? d.track.course : fallback.course,
    speed: d.track ? d.track.speed : fallback.speed,
    team: d.group?.name ?? fallback.team,
    teamRole: d.group?.role ?? fallback.teamRole,
    battery: d.status ? d.status.battery : fallback.battery,
    client: (d.takv && clientOf(d.takv.platform, d.takv.version)) ?? fallback.client,
    names: { type: 'cotEvent.type', uid: 'cotEvent.uid', course: 'detail.track.course', speed: 'detail.track.speed', battery: 'detail.status.battery' },
  };
}

function eventRecord(d: CotEventData, unitTypes: string[], receivedAt: number): FeedRecord | undefined {
  const type = d.type?.trim();
  if (!type) fail(d.names.type, 'missing');
  if (type.startsWith('t-')) return undefined;
  const uid = d.uid?.trim();
  if (!uid) fail(d.names.uid, 'missing');
  if (uid.length > 200) fail(d.names.uid, 'longer than 200 characters');
  const timeField = d.latField === 'point@lat' ? 'event@time' : 'cotEvent.sendTime';
  const staleField = d.latField === 'point@lat' ? 'event@stale' : 'cotEvent.staleTime';
  const t = checkTime(timeField, d.t, receivedAt);
  const expiresAt = checkTime(staleField, d.expiresAt, receivedAt, PLANNED_AHEAD_MS);
  if (expiresAt < t) fail(staleField, `is before ${timeField}`);
  const { lat, lon } = d;
  if (!Number.isFinite(lat)) fail(d.latField, 'is not a number');
  if (!Number.isFinite(lon)) fail(d.lonField, 'is not a number');
  checkLonLat(d.lonField, d.latField, lon, lat);
  const callsign = d.callsign?.trim();

  if (unitTypes.some((prefix) => type.startsWith(prefix))) {
    const unit: FeedRecord & { kind: 'unit' } = {
      kind: 'unit', unitId: uid, unitType: unitTypeOf(type), lon, lat, t, expiresAt, sourceType: clipText(type, 100),
    };
    if (callsign) unit.callsign = clipText(callsign, 100);
    const course = toNumber(d.course);
    const speed = toNumber(d.speed);
    if (d.course !== undefined && course === undefined) fail(d.names.course, `'${clipText(String(d.course), 40)}' is not a number`);
    if (d.speed !== undefined && speed === undefined) fail(d.names.speed, `'${clipText(String(d.speed), 40)}' is not a number`);
    if (course !== undefined) unit.heading = normaliseHeading(course);
    // Negative speed is how some devices say "unknown".
    if (speed !== undefined && speed >= 0) {
      if (speed > 1000) fail(d.names.speed, `${speed} m/s is not a plausible speed`);
      unit.speed = speed;
    }
    const team = d.team?.trim();
    if (team) unit.team = clipText(team, 50);
    const role = d.teamRole?.trim();
    if (role) unit.teamRole = clipText(role, 50);
    if (d.battery !== undefined) {
      const battery = toNumber(d.battery);
      // Devices without a battery reading send 0 or nothing; above 100 is a broken value, dropped rather than failing the position.
      if (battery !== undefined && battery > 0 && battery <= 100) unit.battery = Math.round(battery);
    }
    if (d.client) unit.client = clipText(d.client, 100);
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
