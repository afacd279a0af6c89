/**
 * OGC SensorThings API 1.0: sensors (air quality, water level, noise, traffic counters) and the
 * status of cameras. The API is a graph (Thing → Locations, Datastreams → ObservedProperty,
 * Observations); the transport asks for it in one request with $expand, for example
 *   /v1.0/Things?$expand=Locations,Datastreams/ObservedProperty,Datastreams/Observations($orderby=phenomenonTime desc;$top=1)
 * and follows `@iot.nextLink` (see sensorThingsNextLink) for the next page. Observation-centred
 * answers (Observations?$expand=Datastream/Thing/Locations,Datastream/ObservedProperty) are read
 * too.
 *
 * A Thing whose properties mark it as a camera becomes one camera record, with its status taken
 * from its status Datastream; any other Thing gives one sensor record per Datastream, holding its
 * latest observation.
 *
 * Privacy: of a Thing's free-form `properties` only the camera geometry and stream URL are read;
 * the rest (owners, contacts) is neither carried nor kept in quarantine text.
 */
import { z } from 'zod';
import type { CameraStatus } from '../../../common/domain/camera';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { asText, decodeOrQuarantine, clipRaw, type FeedAdapter, type ParseError, type ParseResult } from './adapter';
import {
  checkLonLat,
  checkTime,
  clipText,
  describe,
  fail,
  nonEmpty,
  normaliseHeading,
  parseIsoTime,
  toNumber,
  toParseError,
  validateRecord,
} from './fieldValues';

export const SensorThingsConfig = z.object({
  /** Which Things are cameras: Thing.properties[property] equals one of values (case-insensitive). */
  camera: z.object({ property: z.string().min(1), values: z.array(z.string().min(1)).min(1) }).optional(),
  /** Names of the Thing properties that hold camera geometry and stream, where they differ from ours. */
  cameraProperties: z.object({
    heading: z.string().optional(),
    fieldOfView: z.string().optional(),
    range: z.string().optional(),
    streamUrl: z.string().optional(),
  }).optional(),
  /** ObservedProperty (or Datastream) names that report a camera's status. */
  statusProperties: z.array(z.string().min(1)).optional(),
});
export type SensorThingsConfig = z.infer<typeof SensorThingsConfig>;

const DEFAULT_CAMERA = { property: 'type', values: ['camera', 'cctv', 'video_camera', 'videoprotection'] };
const DEFAULT_STATUS_PROPERTIES = ['status', 'camera_status', 'operational_status', 'online'];

type Json = Record<string, unknown>;

export const sensorThingsAdapter: FeedAdapter<SensorThingsConfig> = {
  type: 'sensorthings',
  configSchema: SensorThingsConfig,
  parse(raw, ctx): ParseResult {
    const text = decodeOrQuarantine(raw, ctx);
    if (typeof text !== 'string') return text;
    let json: unknown;
    try {
      json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      return { records: [], errors: [{ raw: clipRaw(text), reason: `not readable as JSON: ${(err as Error).message}` }] };
    }
    const items = isObject(json) && Array.isArray(json.value) ? json.value : Array.isArray(json) ? json : [json];
    const records: FeedRecord[] = [];
    const errors: ParseError[] = [];
    items.forEach((item: unknown, i: number) => {
      const where = items.length > 1 ? `value[${i}]: ` : '';
      const push = (build: () => FeedRecord[], rawOf: unknown): void => {
        try {
          for (const r of build()) records.push(validateRecord(r));
        } catch (err) {
          const e = toParseError(redact(rawOf), err);
          errors.push({ ...e, reason: where + e.reason });
        }
      };
      if (!isObject(item)) {
        push(() => fail('entity', `${describe(item)} is not a SensorThings entity`), item);
      } else if ('result' in item && 'phenomenonTime' in item) {
        push(() => [readObservation(item, ctx.receivedAt)], item);
      } else if ('Datastreams' in item || 'Locations' in item || 'properties' in item) {
        readThing(item, ctx.config, ctx.receivedAt, push);
      } else {
        push(() => fail('entity', 'neither a Thing with expanded Locations/Datastreams nor an Observation with its Datastream expanded; add $expand to the request'), item);
      }
    });
    return { records, errors };
  },
};

/** The next page of a collection, for the transport; only http(s), never another scheme. */
export function sensorThingsNextLink(raw: string | Uint8Array): string | undefined {
  try {
    const json: unknown = JSON.parse(asText(raw));
    const link = isObject(json) ? json['@iot.nextLink'] : undefined;
    return typeof link === 'string' && /^https?:\/\//i.test(link) ? link : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

type Push = (build: () => FeedRecord[], rawOf: unknown) => void;

function readThing(thing: Json, config: SensorThingsConfig, receivedAt: number, push: Push): void {
  const thingId = idOf(thing, 'Thing');
  let position: { lon: number; lat: number };
  try {
    if (thingId === undefined) fail('Thing.@iot.id', 'missing');
    position = positionOfThing(thing);
  } catch (err) {
    push(() => { throw err; }, thing);
    return;
  }
  const id = thingId as string;
  const name = nonEmpty(thing.name) ?? nonEmpty(thing.description);
  if (thing.Datastreams !== undefined && !Array.isArray(thing.Datastreams)) {
    push(() => fail('Thing.Datastreams', `${describe(thing.Datastreams)} is not a list`), thing);
    return;
  }
  const datastreams: unknown[] = Array.isArray(thing.Datastreams) ? thing.Datastreams : [];

  if (isCamera(thing, config)) {
    push(() => [readCamera(thing, id, name, position, datastreams, config, receivedAt)], thing);
    return;
  }
  datastreams.forEach((ds: unknown, i: number) => {
    push(() => {
      if (!isObject(ds)) fail(`Datastreams[${i}]`, `${describe(ds)} is not a Datastream`);
      const reading = latestReading(ds, `Datastreams[${i}]`, receivedAt);
      if (!reading) return []; // No observation yet: nothing to show, nothing wrong.
      const dsId = idOf(ds, `Datastreams[${i}]`);
      if (dsId === undefined) fail(`Datastreams[${i}].@iot.id`, 'missing');
      return [sensorRecord(id, dsId, name, position, ds, reading)];
    }, ds);
  });
}

function readObservation(obs: Json, receivedAt: number): FeedRecord {
  const ds = obs.Datastream;
  if (!isObject(ds)) fail('Datastream', 'not expanded; request Observations?$expand=Datastream($expand=Thing($expand=Locations),ObservedProperty)');
  const thing = ds.Thing;
  if (!isObject(thing)) fail('Datastream.Thing', 'not expanded');
  const thingId = idOf(thing, 'Datastream.Thing');
  if (thingId === undefined) fail('Datastream.Thing.@iot.id', 'missing');
  const dsId = idOf(ds, 'Datastream');
  if (dsId === undefined) fail('Datastream.@iot.id', 'missing');
  const position = positionOfThing(thing, 'Datastream.Thing.');
  const reading = readingOf(obs, 'Observation', receivedAt);
  return sensorRecord(thingId, dsId, nonEmpty(thing.name) ?? nonEmpty(thing.description), position, ds, reading);
}

interface Reading {
  value: number | string | boolean | null;
  t: number;
}

function sensorRecord(thingId: string, dsId: string, name: string | undefined, position: { lon: number; lat: number }, ds: Json, reading: Reading): FeedRecord {
  const op = isObject(ds.ObservedProperty) ? ds.ObservedProperty : undefined;
  const observedProperty = nonEmpty(op?.name) ?? nonEmpty(ds.name);
  if (!observedProperty) fail('Datastream.ObservedProperty.name', 'missing (and the Datastream has no name); add $expand=Datastreams/ObservedProperty');
  const uom = isObject(ds.unitOfMeasurement) ? nonEmpty(ds.unitOfMeasurement.symbol) : undefined;
  return {
    kind: 'sensor',
    externalId: clipText(`${thingId}/${dsId}`, 200),
    sensorId: clipText(thingId, 200),
    ...(name ? { name: clipText(name, 300) } : {}),
    ...position,
    observedProperty: clipText(observedProperty, 200),
    value: reading.value,
    ...(uom ? { unit: clipText(uom, 50) } : {}),
    t: reading.t,
  };
}

/** The most recent observation of a Datastream, whatever order the server listed them in. */
function latestReading(ds: Json, at: string, receivedAt: number): Reading | undefined {
  const list = ds.Observations;
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) fail(`${at}.Observations`, `${describe(list)} is not a list`);
  let latest: Reading | undefined;
  list.forEach((o: unknown, j: number) => {
    if (!isObject(o)) fail(`${at}.Observations[${j}]`, `${describe(o)} is not an Observation`);
    const r = readingOf(o, `${at}.Observations[${j}]`, receivedAt);
    if (!latest || r.t > latest.t) latest = r;
  });
  return latest;
}

function readingOf(o: Json, at: string, receivedAt: number): Reading {
  const time = nonEmpty(o.phenomenonTime) ?? nonEmpty(o.resultTime);
  if (!time) fail(`${at}.phenomenonTime`, 'missing');
  // An interval "start/end" was observed up to its end.
  const instant = time.includes('/') ? (time.split('/')[1] as string) : time;
  const t = checkTime(`${at}.phenomenonTime`, parseIsoTime(`${at}.phenomenonTime`, instant), receivedAt);
  const result = o.result;
  let value: Reading['value'];
  if (result === null || typeof result === 'boolean' || typeof result === 'string') value = typeof result === 'string' ? clipText(result, 1000) : result;
  else if (typeof result === 'number') {
    if (!Number.isFinite(result)) fail(`${at}.result`, 'is not a finite number');
    value = result;
  } else if (result === undefined) fail(`${at}.result`, 'missing');
  // Complex results (an object, a list) are kept as their JSON text so that nothing is lost.
  else value = clipText(JSON.stringify(result), 1000);
  return { value, t };
}

function isCamera(thing: Json, config: SensorThingsConfig): boolean {
  const rule = config.camera ?? DEFAULT_CAMERA;
  const props = isObject(thing.properties) ? thing.properties : undefined;
  const v = props?.[rule.property];
  return typeof v === 'string' && rule.values.some((x) => x.toLowerCase() === v.trim().toLowerCase());
}

function readCamera(
  thing: Json, id: string, name: string | undefined, position: { lon: number; lat: number }, datastreams: unknown[],
  config: SensorThingsConfig, receivedAt: number,
): FeedRecord {
  const props = (isObject(thing.properties) ? thing.properties : {}) as Json;
  const names = config.cameraProperties ?? {};
  const number = (key: string, fallbackKeys: string[]): number | undefined => {
    const k = [key, ...fallbackKeys].find((x) => props[x] !== undefined && props[x] !== null && props[x] !== '');
    if (k === undefined) return undefined;
    const n = toNumber(props[k]);
    if (n === undefined) fail(`Thing.properties.${k}`, `${describe(props[k])} is not a number`);
    return n;
  };
  const heading = number(names.heading ?? 'heading', ['azimuth', 'direction']);
  const fieldOfView = number(names.fieldOfView ?? 'fieldOfView', ['fov']);
  const range = number(names.range ?? 'range', []);
  const streamKey = names.streamUrl ?? 'streamUrl';
  const streamUrl = nonEmpty(props[streamKey]);
  if (streamUrl !== undefined && !/^(https?|rtsps?):\/\//i.test(streamUrl)) {
    fail(`Thing.properties.${streamKey}`, 'must be an http(s) or rtsp(s) URL');
  }

  const statusNames = (config.statusProperties ?? DEFAULT_STATUS_PROPERTIES).map((s) => s.toLowerCase());
  let status: CameraStatus = 'unknown';
  // With no status observation the camera is still worth showing; "now" is when we learnt it exists.
  let t = receivedAt;
  datastreams.forEach((ds: unknown, i: number) => {
    if (!isObject(ds)) return;
    const op = isObject(ds.ObservedProperty) ? nonEmpty(ds.ObservedProperty.name) : undefined;
    const dsName = nonEmpty(ds.name);
    if (![op, dsName].some((n) => n !== undefined && statusNames.includes(n.toLowerCase()))) return;
    const reading = latestReading(ds, `Datastreams[${i}]`, receivedAt);
    if (reading) {
      status = cameraStatusOf(reading.value);
      t = reading.t;
    }
  });
  return {
    kind: 'camera',
    externalId: clipText(id, 200),
    ...(name ? { name: clipText(name, 300) } : {}),
    ...position,
    ...(heading !== undefined ? { heading: normaliseHeading(heading) } : {}),
    ...(fieldOfView !== undefined ? { fieldOfView } : {}),
    ...(range !== undefined ? { range } : {}),
    status,
    ...(streamUrl ? { streamUrl } : {}),
    t,
  };
}

const ONLINE = ['online', 'ok', 'up', 'operational', 'active', 'working', 'true', '1', 'on'];
const OFFLINE = ['offline', 'down', 'inactive', 'disconnected', 'false', '0', 'off', 'unreachable'];
const FAULT = ['fault', 'error', 'failure', 'defect', 'defective', 'broken'];
const MAINTENANCE = ['maintenance', 'service', 'servicing'];

function cameraStatusOf(value: Reading['value']): CameraStatus {
  const v = String(value).trim().toLowerCase();
  if (ONLINE.includes(v)) return 'online';
  if (OFFLINE.includes(v)) return 'offline';
  if (FAULT.includes(v)) return 'fault';
  if (MAINTENANCE.includes(v)) return 'maintenance';
  return 'unknown';
}

/** The Thing's first Location as a point. A Thing that cannot be placed cannot be shown. */
function positionOfThing(thing: Json, prefix = 'Thing.'): { lon: number; lat: number } {
  const locations = thing.Locations;
  if (!Array.isArray(locations) || locations.length === 0) {
    fail(`${prefix}Locations`, 'missing or empty; add $expand=Locations to the request');
  }
  const loc = locations[0];
  if (!isObject(loc)) fail(`${prefix}Locations[0]`, `${describe(loc)} is not a Location`);
  const field = `${prefix}Locations[0].location`;
  let geometry = loc.location;
  // GeoJSON may come as a bare geometry or wrapped in a Feature.
  if (isObject(geometry) && geometry.type === 'Feature') geometry = geometry.geometry;
  if (!isObject(geometry)) fail(field, 'missing');
  if (geometry.type !== 'Point') fail(field, `${describe(geometry.type)} geometry; only Point is placed on the map`);
  const coords = geometry.coordinates;
  if (!Array.isArray(coords) || coords.length < 2) fail(`${field}.coordinates`, 'is not [lon, lat]');
  const lon = toNumber(coords[0]);
  const lat = toNumber(coords[1]);
  if (lon === undefined) fail(`${field}.coordinates[0]`, `${describe(coords[0])} is not a number`);
  if (lat === undefined) fail(`${field}.coordinates[1]`, `${describe(coords[1])} is not a number`);
  checkLonLat(`${field}.coordinates[0] (lon)`, `${field}.coordinates[1] (lat)`, lon, lat);
  return { lon, lat };
}

/** SensorThings ids may be numbers or strings. */
function idOf(entity: Json, at: string): string | undefined {
  const id = entity['@iot.id'];
  if (id === undefined || id === null || id === '') return undefined;
  if (typeof id !== 'string' && typeof id !== 'number') fail(`${at}.@iot.id`, `${describe(id)} is not an id`);
  return String(id);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PERSONAL_PROPERTY = /owner|contact|e-?mail|phone|person|operator_name/i;

/** Raw text for quarantine, without the personal parts of Thing properties. */
function redact(value: unknown): string {
  const text = JSON.stringify(value, (key, v: unknown) => (PERSONAL_PROPERTY.test(key) ? '[dropped at ingest]' : v));
  return text ?? String(value);
}
