import { FeedRecord } from '../../../common/domain/feedRecord';
import type { Incident } from '../../../common/domain/incident';
import type { Alert, Camera, Unit } from '../../../common/domain/entities';
import { clipRaw, type ParseResult } from '../feeds/adapter';
import { incidentId, type IncidentRow } from '../db/incidents';
import type { UnitCurrent } from '../db/units';
import type { Store } from '../store';
import type { NewEvent } from '../db/eventLog';
import type { Minimiser } from '../privacy/minimise';
import { quickCheck } from './quickCheck';
import { isOutdated } from '../db/sourceOrder';

export interface IngestOutcome {
  /** Valid records accepted (new, changed or confirmed unchanged). */
  stored: number;
  /** Of those, how many changed nothing. */
  unchanged: number;
  /**
   * How many lost to a newer version already stored (main/core/db/sourceOrder.ts): counted as
   * unchanged, except late unit positions, which still extend the trail.
   */
  outdated: number;
  quarantined: number;
  changedIncidents: Incident[];
  /** Units whose position or status changed (one push per batch: they move often). */
  changedUnits: Unit[];
  changedCameras: Camera[];
  /** New or changed alerts, and the earlier alerts they replaced or cancelled. */
  changedAlerts: Alert[];
}

export interface IngestFeed {
  id: string;
  simulated: boolean;
  /** The feed's privacy policy, applied to each validated record before anything is written. */
  minimise?: Minimiser | undefined;
}

/**
 * When the source produced the record (measured, observed, sent), for lag. An incident's time is
 * when it happened, not when it was reported: it says nothing about the feed's delay.
 */
function sourceTime(record: FeedRecord): number {
  switch (record.kind) {
    case 'incident':
      return -1;
    case 'alert':
      return record.sent;
    default:
      return record.t;
  }
}

/**
 * Writes one parsed batch in one transaction: valid records go to the event log and their
 * projection, everything else to quarantine with its reason. A bad record never costs the batch.
 */
export interface IngestOptions {
  /**
   * When each record happened in the world, for its event. Live feeds: when it arrived (default).
   * Historical imports: the record's own time, so that replay shows the day as it was.
   */
  eventTime?: (record: FeedRecord) => number;
}

export function ingestBatch(store: Store, feed: IngestFeed, parsed: ParseResult, receivedAt: number, options: IngestOptions = {}): IngestOutcome {
  // The log's clock takes the batch's arrival time: retention counts from when data reached the cache.
  const append = (event: NewEvent) => store.log.append(event, receivedAt);
  const outcome: IngestOutcome = { stored: 0, unchanged: 0, outdated: 0, quarantined: 0, changedIncidents: [], changedUnits: [], changedCameras: [], changedAlerts: [] };
  const tracked = { feedId: feed.id, simulated: feed.simulated, updatedAt: receivedAt };
  const kinds = new Set<string>();
  let newestSource = -1;
  // Validation and minimisation are pure: done before the transaction, which then only writes.
  const valid: FeedRecord[] = [];
  const invalid: { reason: string; raw: string }[] = [];
  for (const candidate of parsed.records) {
    // Adapters are typed, but a record built from JSON can still be out of range: check again here.
    if (quickCheck(candidate)) {
      valid.push(feed.minimise ? feed.minimise(candidate) : candidate);
      continue;
    }
    const checked = FeedRecord.safeParse(candidate);
    if (!checked.success) {
      const reason = checked.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ');
      invalid.push({ reason: `Record failed validation: ${reason}`, raw: clipRaw(JSON.stringify(candidate)) });
    } else {
      valid.push(feed.minimise ? feed.minimise(checked.data) : checked.data);
    }
  }
  const run = store.transaction(() => {
    for (const error of parsed.errors) {
      store.quarantine.add(feed.id, receivedAt, error.reason, clipRaw(error.raw));
      outcome.quarantined++;
    }
    for (const bad of invalid) {
      store.quarantine.add(feed.id, receivedAt, bad.reason, bad.raw);
      outcome.quarantined++;
    }
    // One query per 500 records rather than one per record (bench/ingest.mjs).
    const incidentIds: string[] = [];
    const unitIds: string[] = [];
    for (const r of valid) {
      if (r.kind === 'incident') incidentIds.push(incidentId(feed.id, r.externalId));
      else if (r.kind === 'unit') unitIds.push(`${feed.id}:${r.unitId}`);
    }
    const incidents = incidentIds.length > 0 ? store.incidents.getManyRows(incidentIds) : new Map<string, IncidentRow>();
    const units = unitIds.length > 0 ? store.units.currentMany(unitIds) : new Map<string, UnitCurrent>();
    for (const record of valid) {
      outcome.stored++;
      kinds.add(record.kind);
      const st = sourceTime(record);
      if (st > newestSource) newestSource = st;
      if (record.kind === 'incident') {
        const { kind: _kind, ...fields } = record;
        const id = incidentId(feed.id, fields.externalId);
        const row = incidents.get(id);
        const sourceT = fields.sourceUpdatedAt ?? receivedAt;
        if (row && isOutdated(row.source_time, sourceT)) {
          outcome.unchanged++;
          outcome.outdated++;
          continue;
        }
        if (!store.incidents.differsFrom(row, fields)) {
          // Same news, said later: keep the later time, so that a delayed older version still loses.
          if (row && fields.sourceUpdatedAt !== undefined && row.source_time !== sourceT) {
            store.incidents.touchSourceTime(id, sourceT);
            incidents.set(id, { ...row, source_time: sourceT, source_time_arrival: 0 });
          }
          outcome.unchanged++;
          continue;
        }
        const event = append({ t: options.eventTime?.(record) ?? receivedAt, source: feed.id, kind: 'incident.upsert', entity: id, payload: fields });
        // `fields` is this record's own copy and the event holds its JSON already: completed in place.
        const incident = fields as Incident;
        incident.id = id;
        incident.feedId = feed.id;
        incident.simulated = feed.simulated;
        incident.updatedAt = receivedAt;
        incident.seq = event.seq;
        // The repository keeps an operator's status, priority and closing: push what it holds.
        const kept = store.incidents.upsert(incident, sourceT, fields.sourceUpdatedAt === undefined, row);
        incidents.set(id, kept.row);
        outcome.changedIncidents.push(kept.incident);
      } else if (record.kind === 'unit') {
        // The hot path (positions arrive thousands a second): no copies of the record but the one pushed.
        const id = `${feed.id}:${record.unitId}`;
        const current = units.get(id) ?? null;
        let seq = current?.seq ?? 0;
        if (store.units.identityChanged(current, record)) {
          // Positions go to the compact table; the log hears only of what the unit is and does.
          const { kind: _kind, lon: _lon, lat: _lat, heading: _heading, speed: _speed, ...identity } = record;
          seq = append({ t: options.eventTime?.(record) ?? receivedAt, source: feed.id, kind: 'unit.upsert', entity: id, payload: identity }).seq;
        }
        if (store.units.record(id, feed.id, record, receivedAt, seq, current)) {
          // One copy, completed in place, and the batch's view of the unit updated in place: garbage
          // collection was over a quarter of this path's time (bench/ingest.mjs).
          const { kind: _kind, ...fields } = record;
          const unit = fields as Unit;
          unit.id = id;
          unit.feedId = feed.id;
          unit.simulated = feed.simulated;
          unit.updatedAt = receivedAt;
          unit.seq = seq;
          if (current) {
            current.callsign = record.callsign;
            current.unitType = record.unitType;
            current.status = record.status;
            current.t = record.t;
            current.seq = seq;
          } else {
            units.set(id, { callsign: record.callsign, unitType: record.unitType, status: record.status, t: record.t, seq });
          }
          outcome.changedUnits.push(unit);
        } else {
          outcome.outdated++;
        }
      } else if (record.kind === 'camera') {
        const { kind: _kind, ...fields } = record;
        const id = `${feed.id}:${fields.externalId}`;
        // An older status report arriving late loses to the newer one already stored.
        const stored = store.cameras.get(id);
        if (stored && isOutdated(stored.t, fields.t)) {
          outcome.unchanged++;
          outcome.outdated++;
          continue;
        }
        if (!store.cameras.differs(id, fields)) {
          outcome.unchanged++;
          continue;
        }
        const { seq } = append({ t: options.eventTime?.(record) ?? receivedAt, source: feed.id, kind: 'camera.upsert', entity: id, payload: fields });
        const camera: Camera = { ...fields, id, ...tracked, seq };
        store.cameras.upsert(camera);
        outcome.changedCameras.push(camera);
      } else if (record.kind === 'alert') {
        const { kind: _kind, ...fields } = record;
        const id = `${feed.id}:${fields.externalId}`;
        // CAP `sent` is the alert's source time: a re-sent older version of the same alert loses.
        const stored = store.alerts.get(id);
        if (stored && isOutdated(stored.sent, fields.sent)) {
          outcome.unchanged++;
          outcome.outdated++;
          continue;
        }
        if (!store.alerts.differs(id, fields)) {
          outcome.unchanged++;
          continue;
        }
        const { seq } = append({ t: options.eventTime?.(record) ?? receivedAt, source: feed.id, kind: 'alert.upsert', entity: id, payload: fields });
        const replaced = store.alerts.upsert(id, feed.id, fields, receivedAt, seq);
        for (const alertId of [id, ...replaced]) {
          const alert = store.alerts.get(alertId);
          if (alert) outcome.changedAlerts.push({ ...alert, simulated: feed.simulated });
        }
      } else {
        // Kinds whose projection is not built yet (sensors, markers) still go to the log: nothing a
        // feed sent is lost, and their projection, when it lands, is rebuilt from these events.
        const entity = `${record.kind}:${feed.id}:${record.externalId}`;
        // A re-delivered reading (a stream replaying, a page fetched twice) is not a new event.
        if (store.log.lastPayload(entity) === JSON.stringify(record)) {
          outcome.unchanged++;
          continue;
        }
        append({ t: options.eventTime?.(record) ?? receivedAt, source: feed.id, kind: `${record.kind}.upsert`, entity, payload: record });
      }
    }
    const state = store.feedState.get(feed.id);
    const knownKinds = new Set(state.kinds ? state.kinds.split(',') : []);
    for (const k of kinds) knownKinds.add(k);
    store.feedState.update(feed.id, {
      stored: state.stored + outcome.stored,
      quarantined: state.quarantined + outcome.quarantined,
      ...(outcome.stored > 0 ? { lastDataAt: receivedAt, kinds: [...knownKinds].sort().join(',') } : {}),
      ...(newestSource >= 0 ? { lastSourceTime: newestSource } : {}),
      ...(parsed.cursor !== undefined ? { cursor: parsed.cursor } : {}),
    });
  });
  run();
  return outcome;
}
