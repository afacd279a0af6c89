/**
 * GTFS-realtime: where the buses, trams and metros are (VehiclePositions), what is disrupted
 * (service Alerts) and how late trips run (TripUpdates). Protobuf, read with a compact decoder on
 * `pbf` written from the official gtfs-realtime.proto (google/transit), only the fields used here;
 * JSON renderings of the same message (some agencies serve `?format=json`, and debugging tools
 * print it) are read too.
 *
 * Each entity is decoded alone, and a bad one is quarantined with its own bytes: one entity missing
 * a required field (a position without latitude) must not lose every good position with it.
 *
 * - VehiclePosition → a unit, with its route and occupancy.
 * - Alert → an alert: active periods, cause and effect, informed routes and stops, the header and
 *   description in every language given (the UI shows its own), drawn at the informed stops that the
 *   city pack places (ParseContext.stops) and listed without a place otherwise.
 * - TripUpdate → one summary alert per route with late trips: how many run late and the worst delay, or, with
 *   `tripUpdates: 'ignore'`, counted in `ignored` so that the ingest summary says so.
 *
 * Privacy: `vehicle.license_plate` is not carried. The fleet number (`vehicle.label`) is kept as
 * the callsign: it names the vehicle, not a person.
 */
import { z } from 'zod';
import { OCCUPANCIES } from '../../../common/domain/unit';
import { TRANSIT_CAUSES, TRANSIT_EFFECTS, type AlertFields, type AlertTranslation } from '../../../common/domain/alert';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { clipRaw, type FeedAdapter, type ParseContext, type ParseError, type ParseResult } from './adapter';
import { checkLonLat, checkTime, clipText, describe, fail, nonEmpty, normaliseHeading, PLANNED_AHEAD_MS, toParseError } from './fieldValues';
import { base64, ProtoReader, readVarint } from './protobuf';

export const GtfsRealtimeConfig = z.object({
  /** Keep only these routes (route_id); unset keeps every vehicle. */
  routes: z.array(z.string().min(1)).max(10_000).optional(),
  /** TripUpdates: a per-route delay summary (default), or counted as ignored. */
  tripUpdates: z.enum(['summary', 'ignore']).optional(),
  /** A trip counts as late from this delay, seconds (default 300). */
  lateAfterSeconds: z.number().int().min(0).max(86_400).optional(),
});
export type GtfsRealtimeConfig = z.infer<typeof GtfsRealtimeConfig>;

const STOP_STATUS = ['incoming_at', 'stopped_at', 'in_transit_to'] as const;
/** Alert.SeverityLevel (1-4) to CAP severity. */
const SEVERITY: Record<number, AlertFields['severity']> = { 1: 'Unknown', 2: 'Minor', 3: 'Moderate', 4: 'Severe' };
/** What is drawn around an informed stop: a platform, not a district. */
const STOP_RADIUS_M = 40;

// --- the decoded shape (proto field names in camelCase, only what is read) ----------------------

interface Translated { text: string; language?: string }
interface TripDescriptor { tripId?: string; routeId?: string }
interface VehiclePosition {
  trip?: TripDescriptor;
  vehicle?: { id?: string; label?: string };
  position?: { latitude?: number; longitude?: number; bearing?: number; speed?: number };
  currentStatus?: number;
  timestamp?: number;
  occupancyStatus?: number;
}
interface StopTimeEvent { delay?: number; time?: number }
interface TripUpdate {
  trip?: TripDescriptor;
  stopTimeUpdate: { stopId?: string; arrival?: StopTimeEvent; departure?: StopTimeEvent }[];
  delay?: number;
  timestamp?: number;
}
interface RtAlert {
  activePeriod: { start?: number; end?: number }[];
  informedEntity: { routeId?: string; stopId?: string; trip?: TripDescriptor }[];
  cause?: number;
  effect?: number;
  severityLevel?: number;
  headerText?: Translated[];
  descriptionText?: Translated[];
}
interface Entity { id?: string; isDeleted?: boolean; vehicle?: VehiclePosition; tripUpdate?: TripUpdate; alert?: RtAlert }

export const gtfsRealtimeAdapter: FeedAdapter<GtfsRealtimeConfig> = {
  type: 'gtfs-rt',
  configSchema: GtfsRealtimeConfig,
  parse(raw, ctx): ParseResult {
    try {
      const split = typeof raw === 'string' || looksLikeJson(raw) ? splitJson(raw) : splitProtobuf(raw);
      if ('error' in split) return { records: [], errors: [split.error] };
      const records: FeedRecord[] = [];
      const errors: ParseError[] = [];
      const ignored: Record<string, number> = {};
      const delays = new Map<string, RouteDelay>();
      const routes = ctx.config.routes ? new Set(ctx.config.routes) : undefined;
      const sent = split.headerTime ?? ctx.receivedAt;
      for (let i = 0; i < split.count; i++) {
        try {
          const entity = split.decode(i);
          if (entity.isDeleted) continue;
          if (entity.vehicle) {
            const unit = vehicleUnit(entity, split.headerTime, ctx.receivedAt);
            // No zod pass here: vehicleUnit checks every field it sets, and this is the high-rate feed
            // (zod would be a third of the parse time); the pipeline validates again before storing.
            if (!routes || (unit.routeId !== undefined && routes.has(unit.routeId))) records.push(unit);
          }
          if (entity.alert) records.push(...readAlert(entity, entity.alert, sent, ctx));
          if (entity.tripUpdate) {
            if (ctx.config.tripUpdates === 'ignore') count(ignored, 'TripUpdates');
            else if (!addDelay(delays, entity.tripUpdate, ctx.config.lateAfterSeconds ?? 300)) count(ignored, 'TripUpdates without route_id');
          }
          if (!entity.vehicle && !entity.alert && !entity.tripUpdate) count(ignored, 'other entities (Shape, Stop, TripModifications)');
        } catch (err) {
          const e = toParseError(split.raw(i), err);
          errors.push({ ...e, reason: `entity ${i}: ${e.reason}` });
        }
      }
      for (const d of delays.values()) {
        // Routes running on time make no alert: the summary is there to say where it goes wrong.
        if (d.late === 0 || (routes && !routes.has(d.routeId))) continue;
        records.push(delaySummary(d, sent, ctx));
      }
      return Object.keys(ignored).length > 0 ? { records, errors, ignored } : { records, errors };
    } catch (err) {
      return { records: [], errors: [toParseError(typeof raw === 'string' ? raw : base64(raw), err)] };
    }
  },
};

function count(ignored: Record<string, number>, kind: string): void {
  ignored[kind] = (ignored[kind] ?? 0) + 1;
}

interface Split {
  /** Header timestamp in ms, used for vehicles that carry none of their own. */
  headerTime: number | undefined;
  count: number;
  /** raw is a function: quarantine text is only built for the rare entity that needs it. */
  raw: (i: number) => string;
  decode: (i: number) => Entity;
}

function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes.subarray(0, 64)) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b; // '{'
  }
  return false;
}

// --- protobuf ---------------------------------------------------------------------------------

/** FeedMessage fields: 1 = header, 2 = entity (repeated). */
function splitProtobuf(bytes: Uint8Array): Split | { error: ParseError } {
  const whole = (reason: string): { error: ParseError } => ({ error: { raw: clipRaw(base64(bytes)), reason } });
  if (bytes.length === 0) return whole('empty payload: no FeedMessage');
  let header: Uint8Array | undefined;
  const entityAt: number[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const key = readVarint(bytes, pos);
    if (!key) return whole(`not a GTFS-realtime FeedMessage: unreadable protobuf at byte ${pos}`);
    pos = key.next;
    const field = Math.floor(key.value / 8);
    const wire = key.value % 8;
    if (wire === 2) {
      const len = readVarint(bytes, pos);
      if (!len || len.next + len.value > bytes.length) return whole(`not a GTFS-realtime FeedMessage: field ${field} runs past the end (truncated?) at byte ${pos}`);
      const body = bytes.subarray(len.next, len.next + len.value);
      if (field === 1) header = body;
      else if (field === 2) entityAt.push(len.next, len.next + len.value);
      pos = len.next + len.value;
    } else if (wire === 0) {
      const v = readVarint(bytes, pos);
      if (!v) return whole(`not a GTFS-realtime FeedMessage: bad varint at byte ${pos}`);
      pos = v.next;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > bytes.length) return whole('not a GTFS-realtime FeedMessage: truncated fixed-size field');
    } else {
      return whole(`not a GTFS-realtime FeedMessage: wire type ${wire} at byte ${pos}`);
    }
  }
  if (!header) return whole('not a GTFS-realtime FeedMessage: no header');
  let headerTime: number | undefined;
  try {
    // FeedHeader: 1 gtfs_realtime_version, 2 incrementality, 3 timestamp (uint64 seconds).
    const h = new ProtoReader(header).read<{ version?: string; timestamp?: number }>((tag, o, r) => {
      if (tag === 1) o.version = r.string('header.gtfs_realtime_version');
      else if (tag === 3) o.timestamp = r.uint('header.timestamp');
    }, {});
    if (h.version === undefined) fail('header.gtfs_realtime_version', "missing (required): is this a GTFS-realtime feed?");
    headerTime = seconds(h.timestamp);
  } catch (err) {
    return whole(`header: ${(err as Error).message}`);
  }
  // One reader for the whole message, and no object per entity until one is decoded: a 100,000
  // vehicle feed must not cost 100,000 readers of garbage (the collector was half the parse time).
  const reader = new ProtoReader(bytes);
  return {
    headerTime,
    count: entityAt.length / 2,
    raw: (i) => base64(bytes.subarray(entityAt[2 * i]!, entityAt[2 * i + 1]!)),
    decode: (i) => reader.readAt(entityAt[2 * i]!, entityAt[2 * i + 1]!, readEntity, {}),
  };
}

type Read<T> = (tag: number, obj: T, r: ProtoReader) => void;

const readTranslated: Read<Translated[]> = (tag, list, r) => {
  if (tag !== 1) return;
  const t = r.message<Partial<Translated>>('translation', (tg, o, rr) => {
    if (tg === 1) o.text = rr.string('translation.text');
    else if (tg === 2) o.language = rr.string('translation.language');
  }, {});
  if (t.text === undefined) fail('translation.text', "missing required 'text'");
  list.push(t as Translated);
};
const readTrip: Read<TripDescriptor> = (tag, o, r) => {
  if (tag === 1) o.tripId = r.string('trip.trip_id');
  else if (tag === 5) o.routeId = r.string('trip.route_id');
};
const readStopTimeEvent: Read<StopTimeEvent> = (tag, o, r) => {
  if (tag === 1) o.delay = r.int('stop_time_event.delay');
  else if (tag === 2) o.time = r.int('stop_time_event.time');
};
// Readers are module-level functions, not closures made per entity: this is the hot path.
const readVehicleDescriptor: Read<NonNullable<VehiclePosition['vehicle']>> = (tag, o, r) => {
  if (tag === 1) o.id = r.string('vehicle.vehicle.id');
  else if (tag === 2) o.label = r.string('vehicle.vehicle.label');
  // 3 license_plate: not read (privacy).
};
const readPosition: Read<NonNullable<VehiclePosition['position']>> = (tag, o, r) => {
  if (tag === 1) o.latitude = r.float('vehicle.position.latitude');
  else if (tag === 2) o.longitude = r.float('vehicle.position.longitude');
  else if (tag === 3) o.bearing = r.float('vehicle.position.bearing');
  else if (tag === 5) o.speed = r.float('vehicle.position.speed');
};
const readVehicleFields: Read<VehiclePosition> = (tag, v, r) => {
  if (tag === 1) v.trip = r.message('vehicle.trip', readTrip, {});
  else if (tag === 8) v.vehicle = r.message('vehicle.vehicle', readVehicleDescriptor, {});
  else if (tag === 2) {
    const p = r.message<NonNullable<VehiclePosition['position']>>('vehicle.position', readPosition, {});
    // Required in the proto: an absent latitude must not read as 0.
    if (p.latitude === undefined) fail('vehicle.position', "missing required 'latitude'");
    if (p.longitude === undefined) fail('vehicle.position', "missing required 'longitude'");
    v.position = p;
  } else if (tag === 4) v.currentStatus = r.uint('vehicle.current_status');
  else if (tag === 5) v.timestamp = r.uint('vehicle.timestamp');
  else if (tag === 9) v.occupancyStatus = r.uint('vehicle.occupancy_status');
};
const readTripUpdate: Read<TripUpdate> = (tag, u, r) => {
  if (tag === 1) u.trip = r.message('trip_update.trip', readTrip, {});
  else if (tag === 2) {
    u.stopTimeUpdate.push(r.message<TripUpdate['stopTimeUpdate'][number]>('trip_update.stop_time_update', (tg, o, rr) => {
      if (tg === 4) o.stopId = rr.string('stop_time_update.stop_id');
      else if (tg === 2) o.arrival = rr.message('stop_time_update.arrival', readStopTimeEvent, {});
      else if (tg === 3) o.departure = rr.message('stop_time_update.departure', readStopTimeEvent, {});
    }, {}));
  } else if (tag === 4) u.timestamp = r.uint('trip_update.timestamp');
  else if (tag === 5) u.delay = r.int('trip_update.delay');
};
const readAlertFields: Read<RtAlert> = (tag, a, r) => {
  if (tag === 1) {
    a.activePeriod.push(r.message<RtAlert['activePeriod'][number]>('alert.active_period', (tg, o, rr) => {
      if (tg === 1) o.start = rr.uint('active_period.start');
      else if (tg === 2) o.end = rr.uint('active_period.end');
    }, {}));
  } else if (tag === 5) {
    a.informedEntity.push(r.message<RtAlert['informedEntity'][number]>('alert.informed_entity', (tg, o, rr) => {
      if (tg === 2) o.routeId = rr.string('informed_entity.route_id');
      else if (tg === 5) o.stopId = rr.string('informed_entity.stop_id');
      else if (tg === 4) o.trip = rr.message('informed_entity.trip', readTrip, {});
    }, {}));
  } else if (tag === 6) a.cause = r.uint('alert.cause');
  else if (tag === 7) a.effect = r.uint('alert.effect');
  else if (tag === 14) a.severityLevel = r.uint('alert.severity_level');
  else if (tag === 10) a.headerText = r.message('alert.header_text', readTranslated, []);
  else if (tag === 11) a.descriptionText = r.message('alert.description_text', readTranslated, []);
};

/** FeedEntity: 1 id, 2 is_deleted, 3 trip_update, 4 vehicle, 5 alert. */
const readEntity: Read<Entity> = (tag, e, r) => {
  if (tag === 1) e.id = r.string('entity.id');
  else if (tag === 2) e.isDeleted = r.bool('entity.is_deleted');
  else if (tag === 3) e.tripUpdate = r.message('trip_update', readTripUpdate, { stopTimeUpdate: [] });
  else if (tag === 4) e.vehicle = r.message('vehicle', readVehicleFields, {});
  else if (tag === 5) e.alert = r.message('alert', readAlertFields, { activePeriod: [], informedEntity: [] });
};

// --- JSON -------------------------------------------------------------------------------------

function splitJson(raw: string | Uint8Array): Split | { error: ParseError } {
  const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8').decode(raw);
  const whole = (reason: string): { error: ParseError } => ({ error: { raw: clipRaw(text), reason } });
  if (!/^\s*\uFEFF?\s*\{/.test(text)) {
    return whole('GTFS-realtime arrived as text that is not JSON; protobuf must be handed over as bytes, not decoded text');
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\s*\uFEFF/, ''));
  } catch (err) {
    return whole(`not readable as JSON: ${(err as Error).message}`);
  }
  const msg = camelKeys(json) as { header?: unknown; entity?: unknown };
  if (!msg.header || typeof msg.header !== 'object') return whole('header: missing');
  let headerTime: number | undefined;
  try {
    headerTime = seconds(jsonUint('header.timestamp', (msg.header as { timestamp?: unknown }).timestamp));
  } catch (err) {
    return whole((err as Error).message);
  }
  const list = msg.entity ?? [];
  if (!Array.isArray(list)) return whole(`entity: ${describe(list)} is not a list`);
  return {
    headerTime,
    count: list.length,
    raw: (i) => JSON.stringify(list[i]) ?? String(list[i]),
    decode: (i) => entityFromJson(list[i]),
  };
}

/** The JSON rendering uses the proto field names (snake_case); the decoded shape, camelCase. */
function camelKeys(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => camelKeys(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = camelKeys(v, depth + 1);
  return out;
}

type Obj = Record<string, unknown>;
function jsonObj(field: string, v: unknown): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) fail(field, `${describe(v)} is not an object`);
  return v as Obj;
}
function jsonList(field: string, v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(field, `${describe(v)} is not a list`);
  return v;
}
function jsonString(field: string, v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(field, `${describe(v)} is not a string`);
  return v;
}
function jsonNumber(field: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  // proto3 JSON writes 64-bit integers as strings.
  const n = typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(field, `${describe(v)} is not a number`);
  return n;
}
function jsonUint(field: string, v: unknown): number | undefined {
  const n = jsonNumber(field, v);
  if (n !== undefined && (n < 0 || !Number.isInteger(n))) fail(field, `${n} is not a non-negative integer`);
  return n;
}
/** An enum as a number or by its name in the proto. */
function jsonEnum(field: string, v: unknown, names: readonly string[], first = 0): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const i = names.indexOf(v.toLowerCase());
    if (i >= 0) return i + first;
  }
  fail(field, `${describe(v)} is not one of ${names.join(', ')}`);
}
function jsonTranslated(field: string, v: unknown): Translated[] | undefined {
  const o = jsonObj(field, v);
  if (!o) return undefined;
  return jsonList(`${field}.translation`, o.translation).map((t) => {
    const to = jsonObj(`${field}.translation`, t) ?? {};
    const text = jsonString(`${field}.translation.text`, to.text);
    if (text === undefined) fail(`${field}.translation.text`, 'missing');
    const language = jsonString(`${field}.translation.language`, to.language);
    return language === undefined ? { text } : { text, language };
  });
}
function jsonTrip(field: string, v: unknown): TripDescriptor | undefined {
  const o = jsonObj(field, v);
  return o && defined({ tripId: jsonString(`${field}.trip_id`, o.tripId), routeId: jsonString(`${field}.route_id`, o.routeId) });
}
function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function entityFromJson(e: unknown): Entity {
  if (!e || typeof e !== 'object' || Array.isArray(e)) fail('entity', `${describe(e)} is not an object`);
  const o = e as Obj;
  const out: Entity = { id: jsonString('id', o.id) };
  if (o.isDeleted === true) out.isDeleted = true;
  const v = jsonObj('vehicle', o.vehicle);
  if (v) {
    const p = jsonObj('vehicle.position', v.position);
    const vd = jsonObj('vehicle.vehicle', v.vehicle);
    out.vehicle = defined({
      trip: jsonTrip('vehicle.trip', v.trip),
      vehicle: vd && defined({ id: jsonString('vehicle.vehicle.id', vd.id), label: jsonString('vehicle.vehicle.label', vd.label) }),
      position: p && (() => {
        // JSON has no float type: a latitude written as text is a wrong type, not a number to guess at.
        if ((p.latitude !== undefined && typeof p.latitude !== 'number') || (p.longitude !== undefined && typeof p.longitude !== 'number')) {
          fail('vehicle.position', 'latitude or longitude is not a number');
        }
        if (p.latitude === undefined) fail('vehicle.position.latitude', 'missing');
        if (p.longitude === undefined) fail('vehicle.position.longitude', 'missing');
        return defined({
          latitude: p.latitude as number, longitude: p.longitude as number,
          bearing: jsonNumber('vehicle.position.bearing', p.bearing), speed: jsonNumber('vehicle.position.speed', p.speed),
        });
      })(),
      currentStatus: jsonEnum('vehicle.current_status', v.currentStatus, STOP_STATUS),
      timestamp: jsonUint('vehicle.timestamp', v.timestamp),
      occupancyStatus: jsonEnum('vehicle.occupancy_status', v.occupancyStatus, OCCUPANCIES),
    });
  }
  const a = jsonObj('alert', o.alert);
  if (a) {
    out.alert = defined({
      activePeriod: jsonList('alert.active_period', a.activePeriod).map((p) => {
        const po = jsonObj('alert.active_period', p) ?? {};
        return defined({ start: jsonUint('alert.active_period.start', po.start), end: jsonUint('alert.active_period.end', po.end) });
      }),
      informedEntity: jsonList('alert.informed_entity', a.informedEntity).map((ie) => {
        const io = jsonObj('alert.informed_entity', ie) ?? {};
        return defined({ routeId: jsonString('informed_entity.route_id', io.routeId), stopId: jsonString('informed_entity.stop_id', io.stopId), trip: jsonTrip('informed_entity.trip', io.trip) });
      }),
      cause: jsonEnum('alert.cause', a.cause, TRANSIT_CAUSES, 1),
      effect: jsonEnum('alert.effect', a.effect, TRANSIT_EFFECTS, 1),
      severityLevel: jsonEnum('alert.severity_level', a.severityLevel, ['unknown_severity', 'info', 'warning', 'severe'], 1),
      headerText: jsonTranslated('alert.header_text', a.headerText),
      descriptionText: jsonTranslated('alert.description_text', a.descriptionText),
    });
  }
  const tu = jsonObj('trip_update', o.tripUpdate);
  if (tu) {
    const event = (field: string, x: unknown): StopTimeEvent | undefined => {
      const eo = jsonObj(field, x);
      return eo && defined({ delay: jsonNumber(`${field}.delay`, eo.delay), time: jsonNumber(`${field}.time`, eo.time) });
    };
    out.tripUpdate = defined({
      trip: jsonTrip('trip_update.trip', tu.trip),
      stopTimeUpdate: jsonList('trip_update.stop_time_update', tu.stopTimeUpdate).map((s) => {
        const so = jsonObj('trip_update.stop_time_update', s) ?? {};
        return defined({ stopId: jsonString('stop_time_update.stop_id', so.stopId), arrival: event('stop_time_update.arrival', so.arrival), departure: event('stop_time_update.departure', so.departure) });
      }),
      delay: jsonNumber('trip_update.delay', tu.delay),
      timestamp: jsonUint('trip_update.timestamp', tu.timestamp),
    });
  }
  return defined(out);
}

// --- entity → records -------------------------------------------------------------------------

/** A uint64 of seconds to epoch ms; undefined when absent or zero. */
function seconds(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n * 1000 : undefined;
}

function vehicleUnit(entity: Entity, headerTime: number | undefined, receivedAt: number): FeedRecord & { kind: 'unit' } {
  const v = entity.vehicle!;
  const p = v.position;
  if (!p) fail('vehicle.position', 'missing');
  const { latitude, longitude } = p as { latitude: number; longitude: number };
  // proto2 floats default to 0: a vehicle at exactly 0,0 is a vehicle without a fix.
  if (latitude === 0 && longitude === 0) fail('vehicle.position', 'is 0,0 (no GPS fix)');
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) fail('vehicle.position', 'latitude or longitude is not a number');
  checkLonLat('vehicle.position.longitude', 'vehicle.position.latitude', longitude, latitude);

  const unitId = nonEmpty(v.vehicle?.id) ?? nonEmpty(v.vehicle?.label) ?? nonEmpty(entity.id);
  if (!unitId) fail('vehicle.vehicle.id', 'missing, and no label or entity id to stand in');
  const vehicleTime = seconds(v.timestamp);
  const t = checkTime(vehicleTime !== undefined ? 'vehicle.timestamp' : 'header.timestamp', vehicleTime ?? headerTime ?? receivedAt, receivedAt);

  const record: FeedRecord & { kind: 'unit' } = { kind: 'unit', unitId: clipText(unitId, 200), unitType: 'transit', lon: longitude, lat: latitude, t };
  const label = nonEmpty(v.vehicle?.label);
  if (label) record.callsign = clipText(label, 100);
  if (p.bearing !== undefined) {
    if (!Number.isFinite(p.bearing)) fail('vehicle.position.bearing', 'is not a number');
    record.heading = normaliseHeading(p.bearing);
  }
  if (p.speed !== undefined) {
    if (!Number.isFinite(p.speed) || p.speed < 0 || p.speed > 1000) fail('vehicle.position.speed', `${p.speed} is not a speed in m/s`);
    record.speed = p.speed;
  }
  const status = v.currentStatus !== undefined ? STOP_STATUS[v.currentStatus] : undefined;
  if (status) record.status = status;
  const route = nonEmpty(v.trip?.routeId);
  if (route) record.routeId = clipText(route, 100);
  const occupancy = v.occupancyStatus !== undefined ? OCCUPANCIES[v.occupancyStatus] : undefined;
  if (occupancy) record.occupancy = occupancy;
  return record;
}

/** The translation in `language`, else the untagged one, else the first. */
function pick(list: Translated[] | undefined, language: string | undefined): Translated | undefined {
  if (!list || list.length === 0) return undefined;
  const base = language?.toLowerCase().split('-')[0];
  return list.find((t) => t.language?.toLowerCase().split('-')[0] === base) ?? list.find((t) => !t.language) ?? list[0];
}

/** A GTFS-rt Alert as one alert record, drawn at the informed stops the city pack places. */
function readAlert(entity: Entity, a: RtAlert, sent: number, ctx: ParseContext<GtfsRealtimeConfig>): (FeedRecord & { kind: 'alert' })[] {
  const id = nonEmpty(entity.id);
  if (!id) fail('entity.id', 'missing: an alert needs an id to be updated or cleared later');
  const periods = a.activePeriod.map((p, i) => {
    const start = seconds(p.start);
    const end = seconds(p.end);
    if (start !== undefined) checkTime(`alert.active_period[${i}].start`, start, ctx.receivedAt, PLANNED_AHEAD_MS);
    if (end !== undefined) checkTime(`alert.active_period[${i}].end`, end, ctx.receivedAt, PLANNED_AHEAD_MS);
    if (start !== undefined && end !== undefined && end < start) fail(`alert.active_period[${i}]`, 'ends before it starts');
    return defined({ start, end });
  });
  const routes = unique(a.informedEntity.map((e) => nonEmpty(e.routeId) ?? nonEmpty(e.trip?.routeId)));
  const stops = unique(a.informedEntity.map((e) => nonEmpty(e.stopId)));
  const placed = stops.flatMap((s) => {
    const at = ctx.stops?.get(s);
    return at ? [{ stop: s, lon: at[0], lat: at[1] }] : [];
  });
  const unplacedStops = stops.filter((s) => !ctx.stops?.has(s));
  const cause = TRANSIT_CAUSES[(a.cause ?? 1) - 1] ?? 'unknown_cause';
  const effect = TRANSIT_EFFECTS[(a.effect ?? 8) - 1] ?? 'unknown_effect';
  const languages = unique([...(a.headerText ?? []), ...(a.descriptionText ?? [])].map((t) => t.language));
  const header = pick(a.headerText, undefined);
  const description = pick(a.descriptionText, header?.language);
  const translations: AlertTranslation[] = languages.map((language) =>
    defined({ language, headline: pick(a.headerText, language) && clipText(pick(a.headerText, language)!.text, 300), description: pick(a.descriptionText, language) && clipText(pick(a.descriptionText, language)!.text, 4000) }),
  );
  const now = ctx.receivedAt;
  const starts = periods.map((p) => p.start ?? -Infinity);
  const active = periods.length === 0 || periods.some((p) => (p.start ?? -Infinity) <= now && now <= (p.end ?? Infinity));
  const ends = periods.map((p) => p.end);
  const record: FeedRecord & { kind: 'alert' } = {
    ...alertHead(id, sent),
    language: header?.language ? clipText(header.language, 35) : undefined,
    categories: ['Transport'],
    event: `${effect.replace(/_/g, ' ')} (${cause.replace(/_/g, ' ')})`,
    headline: header && clipText(header.text, 300),
    description: description && clipText(description.text, 4000),
    severity: SEVERITY[a.severityLevel ?? 1] ?? 'Unknown',
    urgency: active ? 'Immediate' : Math.min(...starts) > now ? 'Future' : 'Past',
    certainty: 'Observed',
    areaDesc: clipText([routes.length > 0 ? `routes ${routes.join(', ')}` : '', stops.length > 0 ? `stops ${stops.join(', ')}` : ''].filter(Boolean).join('; '), 1000),
    polygons: [],
    circles: placed.slice(0, 100).map((p) => ({ lon: p.lon, lat: p.lat, radiusM: STOP_RADIUS_M })),
    geocodes: [...routes.map((value) => ({ valueName: 'gtfs:route_id', value })), ...stops.map((value) => ({ valueName: 'gtfs:stop_id', value }))].slice(0, 1000),
    transit: { cause, effect, activePeriods: periods.slice(0, 100), routes: routes.slice(0, 500), stops: stops.slice(0, 1000), unplacedStops: unplacedStops.slice(0, 1000) },
  };
  const first = periods.length > 0 && starts.every((s) => s > -Infinity) ? Math.min(...starts) : undefined;
  if (first !== undefined) record.effective = first;
  // The alert ends with its last period; one open-ended period keeps it without an end.
  if (ends.length > 0 && ends.every((e) => e !== undefined)) record.expires = Math.max(...(ends as number[]));
  if (translations.length > 1) record.translations = translations;
  return [defined(record)];
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}

interface RouteDelay { routeId: string; trips: number; late: number; worst: number; latest: number | undefined }

/** A trip's delay: its own, else the last stop time event that gives one. */
function tripDelay(u: TripUpdate): number | undefined {
  if (u.delay !== undefined) return u.delay;
  for (let i = u.stopTimeUpdate.length - 1; i >= 0; i--) {
    const s = u.stopTimeUpdate[i]!;
    const d = s.departure?.delay ?? s.arrival?.delay;
    if (d !== undefined) return d;
  }
  return undefined;
}

/** False for a trip that names no route (valid GTFS-rt: the route is in the static GTFS, which we do not read). */
function addDelay(delays: Map<string, RouteDelay>, u: TripUpdate, lateAfter: number): boolean {
  const routeId = nonEmpty(u.trip?.routeId);
  if (!routeId) return false;
  const d = delays.get(routeId) ?? { routeId, trips: 0, late: 0, worst: 0, latest: undefined };
  const delay = tripDelay(u);
  d.trips++;
  if (delay !== undefined && delay >= lateAfter) d.late++;
  if (delay !== undefined) d.worst = Math.max(d.worst, delay);
  const ts = seconds(u.timestamp);
  if (ts !== undefined) d.latest = Math.max(d.latest ?? 0, ts);
  delays.set(routeId, d);
  return true;
}

/** What every alert this feed makes shares: its id under the feed's namespace, an actual first message. */
function alertHead(id: string, sent: number) {
  return { kind: 'alert' as const, externalId: clipText(`gtfs-rt:${id}`, 300), alertId: clipText(id, 200), msgType: 'Alert' as const, status: 'Actual' as const, references: [], sent };
}

/** One alert per route: "3 of 12 trips 5+ min late, worst 14 min", replaced by the next summary. */
function delaySummary(d: RouteDelay, sent: number, ctx: ParseContext<GtfsRealtimeConfig>): FeedRecord & { kind: 'alert' } {
  const minutes = Math.round(d.worst / 60);
  const lateAfter = Math.round((ctx.config.lateAfterSeconds ?? 300) / 60);
  const id = `trip-delays:${d.routeId}`;
  return {
    ...alertHead(id, sent),
    categories: ['Transport'],
    event: 'trip delays',
    headline: clipText(`Route ${d.routeId}: ${d.late} of ${d.trips} trips ${lateAfter}+ min late, worst ${minutes} min`, 300),
    severity: minutes >= 15 ? 'Moderate' : 'Minor',
    urgency: 'Immediate',
    certainty: 'Observed',
    areaDesc: clipText(`route ${d.routeId}`, 1000),
    polygons: [],
    circles: [],
    geocodes: [{ valueName: 'gtfs:route_id', value: clipText(d.routeId, 100) }],
    // A summary is only true until the next one: it lapses if the feed stops sending.
    expires: sent + 5 * 60_000,
  };
}
