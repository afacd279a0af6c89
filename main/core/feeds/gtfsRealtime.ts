/**
 * GTFS-realtime VehiclePositions: where the buses, trams and metros are. Protobuf, decoded with
 * the generated classes of `gtfs-realtime-bindings`; JSON renderings of the same message (some
 * agencies serve `?format=json`, and debugging tools print it) are read too.
 *
 * The FeedMessage is split into its entities by hand before decoding, rather than decoded in one
 * call: one entity missing a required field (a position without latitude) would otherwise make
 * the whole message unreadable and lose every good position with it. Each entity is then decoded
 * alone, and a bad one is quarantined with its own bytes.
 *
 * Privacy: `vehicle.license_plate` is not carried. The fleet number (`vehicle.label`) is kept as
 * the callsign: it names the vehicle, not a person.
 */
import { Buffer } from 'node:buffer';
import { z } from 'zod';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { clipRaw, type FeedAdapter, type ParseError, type ParseResult } from './adapter';
import {
  checkLonLat,
  checkTime,
  clipText,
  describe,
  fail,
  nonEmpty,
  normaliseHeading,
  toParseError,
} from './fieldValues';

const { transit_realtime: rt } = GtfsRealtimeBindings;
type Entity = GtfsRealtimeBindings.transit_realtime.IFeedEntity;

export const GtfsRealtimeConfig = z.object({
  /** Keep only these routes (route_id); unset keeps every vehicle. */
  routes: z.array(z.string().min(1)).max(10_000).optional(),
});
export type GtfsRealtimeConfig = z.infer<typeof GtfsRealtimeConfig>;

const STOP_STATUS: Record<number, string> = { 0: 'incoming_at', 1: 'stopped_at', 2: 'in_transit_to' };

export const gtfsRealtimeAdapter: FeedAdapter<GtfsRealtimeConfig> = {
  type: 'gtfs-rt',
  configSchema: GtfsRealtimeConfig,
  parse(raw, ctx): ParseResult {
    try {
      const split = typeof raw === 'string' || looksLikeJson(raw) ? splitJson(raw) : splitProtobuf(raw);
      if ('error' in split) return { records: [], errors: [split.error] };
      const records: FeedRecord[] = [];
      const errors: ParseError[] = [];
      const routes = ctx.config.routes ? new Set(ctx.config.routes) : undefined;
      split.entities.forEach((item, i) => {
        try {
          const entity = item.decode();
          const record = readEntity(entity, split.headerTime, ctx.receivedAt);
          // No zod pass here: readEntity checks every field it sets, and this is the high-rate feed
          // (zod would be a third of the parse time); the pipeline validates again before storing.
          if (record && (!routes || (record.routeId !== undefined && routes.has(record.routeId)))) records.push(record);
        } catch (err) {
          const e = toParseError(item.raw(), err);
          errors.push({ ...e, reason: `entity ${i}: ${e.reason}` });
        }
      });
      return { records, errors };
    } catch (err) {
      return { records: [], errors: [toParseError(typeof raw === 'string' ? raw : base64(raw), err)] };
    }
  },
};

interface Split {
  /** Header timestamp in ms, used for vehicles that carry none of their own. */
  headerTime: number | undefined;
  /** raw is a function: quarantine text is only built for the rare entity that needs it. */
  entities: { raw: () => string; decode: () => Entity }[];
}

function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes.subarray(0, 64)) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b; // '{'
  }
  return false;
}

function base64(bytes: Uint8Array): string {
  return `base64:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

// --- protobuf ---------------------------------------------------------------------------------

/** FeedMessage fields: 1 = header, 2 = entity (repeated). */
function splitProtobuf(bytes: Uint8Array): Split | { error: ParseError } {
  const whole = (reason: string): { error: ParseError } => ({ error: { raw: clipRaw(base64(bytes)), reason } });
  if (bytes.length === 0) return whole('empty payload: no FeedMessage');
  let header: Uint8Array | undefined;
  const entityBytes: Uint8Array[] = [];
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
      else if (field === 2) entityBytes.push(body);
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
    headerTime = seconds(rt.FeedHeader.decode(header).timestamp);
  } catch (err) {
    return whole(`header: ${(err as Error).message}`);
  }
  return {
    headerTime,
    entities: entityBytes.map((b) => ({ raw: () => base64(b), decode: () => decodeEntity(b) })),
  };
}

/** protobufjs reports damaged bytes by throwing; that is bad data, not a bug of ours. */
function decodeEntity(bytes: Uint8Array): Entity {
  try {
    return rt.FeedEntity.decode(bytes);
  } catch (err) {
    fail('entity', `not a readable FeedEntity: ${(err as Error).message}`);
  }
}

/** A base-128 varint; undefined when it runs off the end or is longer than 10 bytes. */
function readVarint(bytes: Uint8Array, pos: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  // Up to 10 bytes (a full uint64); beyond 2^53 the value is inexact, which only matters for
  // lengths and keys, and those are far smaller.
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    const b = bytes[i] as number;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return { value, next: i + 1 };
    scale *= 128;
  }
  return undefined;
}

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
    headerTime = seconds(rt.FeedHeader.fromObject(msg.header).timestamp);
  } catch (err) {
    return whole(`header: ${(err as Error).message}`);
  }
  const list = msg.entity ?? [];
  if (!Array.isArray(list)) return whole(`entity: ${describe(list)} is not a list`);
  return {
    headerTime,
    entities: list.map((e: unknown) => ({
      raw: () => JSON.stringify(e) ?? String(e),
      decode: () => {
        if (!e || typeof e !== 'object' || Array.isArray(e)) fail('entity', `${describe(e)} is not an object`);
        try {
          return rt.FeedEntity.fromObject(e);
        } catch (err) {
          // fromObject throws a TypeError naming the field ("….position: object expected").
          fail('entity', `does not match FeedEntity: ${(err as Error).message}`);
        }
      },
    })),
  };
}

/** The JSON rendering uses the proto field names (snake_case); the generated classes, camelCase. */
function camelKeys(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => camelKeys(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = camelKeys(v, depth + 1);
  return out;
}

// --- entity → unit ----------------------------------------------------------------------------

/** A uint64 of seconds (number or Long) to epoch ms; undefined when absent or zero. */
function seconds(v: number | { toNumber(): number } | null | undefined): number | undefined {
  const n = typeof v === 'number' ? v : v ? v.toNumber() : 0;
  return n > 0 ? n * 1000 : undefined;
}

/** A unit position, or undefined for entities that are not vehicle positions (trip updates, alerts). */
function readEntity(entity: Entity, headerTime: number | undefined, receivedAt: number): (FeedRecord & { kind: 'unit' }) | undefined {
  const v = entity.vehicle;
  if (!v || entity.isDeleted) return undefined;
  const p = v.position;
  if (!p) fail('vehicle.position', 'missing');
  // Required in the proto; the JSON path would otherwise read an absent one as the default 0.
  if (!Object.hasOwn(p, 'latitude')) fail('vehicle.position.latitude', 'missing');
  if (!Object.hasOwn(p, 'longitude')) fail('vehicle.position.longitude', 'missing');
  // proto2 floats default to 0: a vehicle at exactly 0,0 is a vehicle without a fix.
  if (p.latitude === 0 && p.longitude === 0) fail('vehicle.position', 'is 0,0 (no GPS fix)');
  if (!Number.isFinite(p.latitude) || !Number.isFinite(p.longitude)) fail('vehicle.position', 'latitude or longitude is not a number');
  checkLonLat('vehicle.position.longitude', 'vehicle.position.latitude', p.longitude, p.latitude);

  const unitId = nonEmpty(v.vehicle?.id) ?? nonEmpty(v.vehicle?.label) ?? nonEmpty(entity.id);
  if (!unitId) fail('vehicle.vehicle.id', 'missing, and no label or entity id to stand in');
  const vehicleTime = seconds(v.timestamp);
  const t = checkTime(vehicleTime !== undefined ? 'vehicle.timestamp' : 'header.timestamp', vehicleTime ?? headerTime ?? receivedAt, receivedAt);

  const record: FeedRecord & { kind: 'unit' } = { kind: 'unit', unitId: clipText(unitId, 200), unitType: 'transit', lon: p.longitude, lat: p.latitude, t };
  const label = nonEmpty(v.vehicle?.label);
  if (label) record.callsign = clipText(label, 100);
  if (p.bearing !== undefined && p.bearing !== null && Object.hasOwn(p, 'bearing')) {
    if (!Number.isFinite(p.bearing)) fail('vehicle.position.bearing', 'is not a number');
    record.heading = normaliseHeading(p.bearing);
  }
  if (p.speed !== undefined && p.speed !== null && Object.hasOwn(p, 'speed')) {
    if (!Number.isFinite(p.speed) || p.speed < 0 || p.speed > 1000) fail('vehicle.position.speed', `${p.speed} is not a speed in m/s`);
    record.speed = p.speed;
  }
  if (v.currentStatus !== undefined && v.currentStatus !== null && Object.hasOwn(v, 'currentStatus')) {
    const status = STOP_STATUS[v.currentStatus];
    if (status) record.status = status;
  }
  const route = nonEmpty(v.trip?.routeId);
  if (route) record.routeId = clipText(route, 100);
  return record;
}
