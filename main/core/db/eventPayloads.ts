import type { AnnotationFields, GeofenceAlert } from '../../../common/domain/annotation';
import type { AlertFields } from '../../../common/domain/alert';
import type { CameraFields } from '../../../common/domain/camera';
import type { IncidentFields } from '../../../common/domain/incident';
import type { Indicator, IndicatorAlert } from '../../../common/domain/indicator';
import type { PlannedEvent } from '../../../common/domain/plannedEvent';
import type { SensorFields } from '../../../common/domain/sensor';
import type { SignalBucket } from '../../../common/domain/signal';
import type { UnitFields } from '../../../common/domain/unit';

/** Who did an operator action: every `user:*` event carries it. */
interface ByRole {
  by: string;
  role: string;
}

/**
 * The shape of each event kind's JSON payload, as its writer appends it. One table for every
 * reader (operator actions, ingest, the hub, training, replay) instead of a cast at each site.
 */
export interface EventPayloads {
  'incident.upsert': IncidentFields;
  'unit.upsert': UnitFields;
  'camera.upsert': CameraFields;
  'alert.upsert': AlertFields;
  'sensor.upsert': SensorFields & { kind?: string };
  'signal.bucket': SignalBucket & { k: number };
  'calendar.event': { by: string; event: PlannedEvent; series?: { ics: string; until: number | null } };
  'calendar.delete': { by: string; id: string };
  'indicators.config': ByRole & { indicators: Indicator[] };
  'indicator.alert': Omit<IndicatorAlert, 'seq' | 't'>;
  'indicator.ack': ByRole & { seq: number };
  'geofence.alert': Omit<GeofenceAlert, 'seq' | 't'>;
  'annotation.create': ByRole & AnnotationFields & { version?: number; baseVersion?: number; reshape?: unknown };
  'annotation.edit': ByRole & AnnotationFields & { version?: number; baseVersion?: number; reshape?: unknown };
  'annotation.reshape': ByRole & AnnotationFields & { version?: number; baseVersion?: number; reshape?: unknown };
  'annotation.reshape.undo': ByRole & AnnotationFields & { version?: number; baseVersion?: number; reshape?: unknown };
  'annotation.delete': ByRole & { version?: number; baseVersion?: number };
  'retention.purged': { cutoff: number; retentionDays: number; deleted: Record<string, number> };
  'sync.rejected': { uid: string; method: string; code: string; message: string; by: string; loser: string; winner: string | null };
}

export type EventKind = keyof EventPayloads;

/**
 * Fields a reader relies on, checked when a payload is read: a payload without them comes from a
 * damaged or hand-edited cache, and failing here with its kind beats an `undefined` downstream.
 */
const REQUIRED: { [K in EventKind]: readonly (keyof EventPayloads[K] & string)[] } = {
  // Feed records: a feed's privacy policy may drop any field, so none is required.
  'incident.upsert': [],
  'unit.upsert': [],
  'camera.upsert': [],
  'alert.upsert': [],
  'sensor.upsert': [],
  'signal.bucket': ['kind', 'area', 'start', 'minutes', 'count', 'k'],
  'calendar.event': ['event'],
  'calendar.delete': [],
  'indicators.config': ['indicators'],
  'indicator.alert': ['indicatorId', 'district'],
  'indicator.ack': ['by'],
  'geofence.alert': ['annotationId', 'kind'],
  'annotation.create': ['by'],
  'annotation.edit': ['by'],
  'annotation.reshape': ['by'],
  'annotation.reshape.undo': ['by'],
  'annotation.delete': ['by'],
  'retention.purged': ['deleted'],
  'sync.rejected': ['uid', 'code'],
};

export class EventPayloadError extends Error {
  constructor(kind: string, problem: string) {
    super(`The stored payload of a "${kind}" event ${problem}: the cache is damaged or was edited by hand. Run \`vigie doctor\`, then restore the latest backup if it says so.`);
    this.name = 'EventPayloadError';
  }
}

/** An event's payload (the `payload` column, JSON), typed by its kind. */
export function readEventPayload<K extends EventKind>(kind: K, json: string): EventPayloads[K] {
  const payload = readPayloadObject(kind, json);
  // A kind missing from the table (an older or newer writer) is read as an object, unchecked.
  for (const field of REQUIRED[kind] ?? []) {
    if (payload[field] === undefined) throw new EventPayloadError(kind, `has no "${field}"`);
  }
  return payload as unknown as EventPayloads[K];
}

/** A payload of any kind, as an object (an incident's history). */
export function readPayloadObject(kind: string, json: string): Record<string, unknown> {
  const value = readPayloadJson(kind, json);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EventPayloadError(kind, 'is not a JSON object');
  return value as Record<string, unknown>;
}

/** A payload of any kind as it was appended (the hub relays events without looking inside). */
export function readPayloadJson(kind: string, json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new EventPayloadError(kind, 'is not JSON');
  }
}
