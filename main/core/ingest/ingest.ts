import { FeedRecord, type FeedRecordOf } from '../../../common/domain/feedRecord';
import type { Incident } from '../../../common/domain/incident';
import type { Alert, Camera, Unit } from '../../../common/domain/entities';
import { clipRaw, type ParseResult } from '../feeds/adapter';
import { incidentId, type IncidentRow } from '../db/incidents';
import type { UnitCurrent } from '../db/units';
import type { Store } from '../store';
import type { NewEvent } from '../db/eventLog';
import type { Minimiser } from '../privacy/minimise';
import { quickCheck } from '../db/quickCheck';
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

export interface IngestOptions {
  /**
   * When each record happened in the world, for its event. Live feeds: when it arrived (default).
   * Historical imports: the record's own time, so that replay shows the day as it was.
   */
  eventTime?: (record: FeedRecord) => number;
}

/**
 * Writes one parsed batch in one transaction: valid records go to the event log and their
 * projection, everything else to quarantine with its reason. A bad record never costs the batch.
 */
export function ingestBatch(store: Store, feed: IngestFeed, parsed: ParseResult, receivedAt: number, options: IngestOptions = {}): IngestOutcome {
  // Validation and minimisation are pure: done before the transaction, which then only writes.
  const { valid, invalid } = validateRecords(parsed.records, feed.minimise);
  const outcome: IngestOutcome = { stored: 0, unchanged: 0, outdated: 0, quarantined: 0, changedIncidents: [], changedUnits: [], changedCameras: [], changedAlerts: [] };
  store.transaction(() => {
    outcome.quarantined = quarantineBatch(store, feed.id, receivedAt, parsed.errors, invalid);
    const batch = openBatch(store, feed, receivedAt, options, valid, outcome);
    const kinds = new Set<string>();
    let newestSource = -1;
    for (const record of valid) {
      outcome.stored++;
      kinds.add(record.kind);
      newestSource = Math.max(newestSource, sourceTime(record));
      tally(outcome, writeRecord(batch, record));
    }
    recordFeedState(store, feed.id, receivedAt, parsed.cursor, outcome, kinds, newestSource);
  })();
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// The steps of a batch, in the order ingestBatch takes them.

type Invalid = { reason: string; raw: string };

/** Step 1 (outside the transaction): each record checked against the schema, then minimised. */
function validateRecords(records: readonly FeedRecord[], minimise: Minimiser | undefined): { valid: FeedRecord[]; invalid: Invalid[] } {
  const valid: FeedRecord[] = [];
  const invalid: Invalid[] = [];
  for (const candidate of records) {
    // Adapters are typed, but a record built from JSON can still be out of range: check again here.
    // The quick check passes the common case without zod's cost; zod explains the rest.
    const record = quickCheck(candidate) ? candidate : checkedRecord(candidate, invalid);
    if (record) valid.push(minimise ? minimise(record) : record);
  }
  return { valid, invalid };
}

/** The record as zod parses it, or undefined with the reason added to `invalid`. */
function checkedRecord(candidate: FeedRecord, invalid: Invalid[]): FeedRecord | undefined {
  const checked = FeedRecord.safeParse(candidate);
  if (checked.success) return checked.data;
  const reason = checked.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ');
  invalid.push({ reason: `Record failed validation: ${reason}`, raw: clipRaw(JSON.stringify(candidate)) });
  return undefined;
}

/** Step 2: what the adapter could not read and what failed validation go to quarantine; returns how many. */
function quarantineBatch(store: Store, feedId: string, receivedAt: number, errors: ParseResult['errors'], invalid: readonly Invalid[]): number {
  for (const error of errors) store.quarantine.add(feedId, receivedAt, error.reason, clipRaw(error.raw));
  for (const bad of invalid) store.quarantine.add(feedId, receivedAt, bad.reason, bad.raw);
  return errors.length + invalid.length;
}

/** What every writer of one batch shares: the feed, the times, and the rows already stored. */
interface Batch {
  store: Store;
  feed: IngestFeed;
  receivedAt: number;
  eventTime: ((record: FeedRecord) => number) | undefined;
  /** Stored incidents and units of this batch's records, kept current as the batch writes. */
  incidents: Map<string, IncidentRow>;
  units: Map<string, UnitCurrent>;
  outcome: IngestOutcome;
}

/** Step 3: the batch's stored incidents and units, one query per 500 records rather than one per record (bench/ingest.mjs). */
function openBatch(store: Store, feed: IngestFeed, receivedAt: number, options: IngestOptions, valid: readonly FeedRecord[], outcome: IngestOutcome): Batch {
  const incidentIds: string[] = [];
  const unitIds: string[] = [];
  for (const r of valid) {
    if (r.kind === 'incident') incidentIds.push(incidentId(feed.id, r.externalId));
    else if (r.kind === 'unit') unitIds.push(unitKey(feed.id, r.unitId));
  }
  return {
    store,
    feed,
    receivedAt,
    eventTime: options.eventTime,
    incidents: incidentIds.length > 0 ? store.incidents.getManyRows(incidentIds) : new Map<string, IncidentRow>(),
    units: unitIds.length > 0 ? store.units.currentMany(unitIds) : new Map<string, UnitCurrent>(),
    outcome,
  };
}

/**
 * What one record did: changed its projection; changed nothing; lost to a newer version already
 * stored (counted as unchanged too); or, for a unit position, arrived late but still extended the
 * trail (outdated, not unchanged).
 */
type Verdict = 'changed' | 'unchanged' | 'outdated' | 'late-position';

function tally(outcome: IngestOutcome, verdict: Verdict): void {
  if (verdict === 'unchanged' || verdict === 'outdated') outcome.unchanged++;
  if (verdict === 'outdated' || verdict === 'late-position') outcome.outdated++;
}

/** Step 4, per record: the writer of its kind. */
function writeRecord(batch: Batch, record: FeedRecord): Verdict {
  switch (record.kind) {
    case 'incident':
      return writeIncident(batch, record);
    case 'unit':
      return writeUnit(batch, record);
    case 'camera':
      return writeCamera(batch, record);
    case 'alert':
      return writeAlert(batch, record);
    default:
      return writeLogOnly(batch, record);
  }
}

/** Appends the record's event; the log's clock takes the batch's arrival time, as retention counts from when data reached the cache. */
function appendEvent(batch: Batch, record: FeedRecord, event: Omit<NewEvent, 't' | 'source'>): number {
  const t = batch.eventTime?.(record) ?? batch.receivedAt;
  return batch.store.log.append({ t, source: batch.feed.id, ...event }, batch.receivedAt).seq;
}

function unitKey(feedId: string, unitId: string): string {
  return `${feedId}:${unitId}`;
}

function writeIncident(batch: Batch, record: FeedRecordOf<'incident'>): Verdict {
  const { store, feed, receivedAt, incidents } = batch;
  const { kind: _kind, ...fields } = record;
  const id = incidentId(feed.id, fields.externalId);
  const row = incidents.get(id);
  const sourceT = fields.sourceUpdatedAt ?? receivedAt;
  if (row && isOutdated(row.source_time, sourceT)) return 'outdated';
  // Media references (issue 22) live beside the projection: a record that only adds a photo is news too.
  const mediaChanged = fields.media !== undefined ? store.media.differs(id, fields.media) : false;
  if (!mediaChanged && !store.incidents.differsFrom(row, fields)) {
    // Same news, said later: keep the later time, so that a delayed older version still loses.
    if (row && fields.sourceUpdatedAt !== undefined && row.source_time !== sourceT) {
      store.incidents.touchSourceTime(id, sourceT);
      incidents.set(id, { ...row, source_time: sourceT, source_time_arrival: 0 });
    }
    return 'unchanged';
  }
  const seq = appendEvent(batch, record, { kind: 'incident.upsert', entity: id, payload: fields });
  // `fields` is this record's own copy and the event holds its JSON already: completed in place.
  const incident = fields as Incident;
  incident.id = id;
  incident.feedId = feed.id;
  incident.simulated = feed.simulated;
  incident.updatedAt = receivedAt;
  incident.seq = seq;
  // The repository keeps an operator's status, priority and closing: push what it holds.
  if (mediaChanged) store.media.setRefs(id, feed.id, fields.media!, receivedAt);
  // Windows learn of media through media.list, which hides them by role: the addresses stay here.
  delete incident.media;
  const kept = store.incidents.upsert(incident, sourceT, fields.sourceUpdatedAt === undefined, row);
  incidents.set(id, kept.row);
  batch.outcome.changedIncidents.push(kept.incident);
  return 'changed';
}

/** The hot path (positions arrive thousands a second): no copies of the record but the one pushed. */
function writeUnit(batch: Batch, record: FeedRecordOf<'unit'>): Verdict {
  const { store, feed, receivedAt, units } = batch;
  const id = unitKey(feed.id, record.unitId);
  const current = units.get(id) ?? null;
  let seq = current?.seq ?? 0;
  if (store.units.identityChanged(current, record)) {
    // Positions go to the compact table; the log hears only of what the unit is and does.
    const { kind: _kind, lon: _lon, lat: _lat, heading: _heading, speed: _speed, ...identity } = record;
    seq = appendEvent(batch, record, { kind: 'unit.upsert', entity: id, payload: identity });
  }
  if (!store.units.record(id, feed.id, record, receivedAt, seq, current)) return 'late-position';
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
  batch.outcome.changedUnits.push(unit);
  return 'changed';
}

function writeCamera(batch: Batch, record: FeedRecordOf<'camera'>): Verdict {
  const { store, feed, receivedAt } = batch;
  const { kind: _kind, ...fields } = record;
  const id = `${feed.id}:${fields.externalId}`;
  // An older status report arriving late loses to the newer one already stored.
  const stored = store.cameras.get(id);
  if (stored && isOutdated(stored.t, fields.t)) return 'outdated';
  if (!store.cameras.differs(id, fields)) return 'unchanged';
  const seq = appendEvent(batch, record, { kind: 'camera.upsert', entity: id, payload: fields });
  const camera: Camera = { ...fields, id, feedId: feed.id, simulated: feed.simulated, updatedAt: receivedAt, seq };
  store.cameras.upsert(camera);
  batch.outcome.changedCameras.push(camera);
  return 'changed';
}

function writeAlert(batch: Batch, record: FeedRecordOf<'alert'>): Verdict {
  const { store, feed, receivedAt } = batch;
  const { kind: _kind, ...fields } = record;
  const id = `${feed.id}:${fields.externalId}`;
  // CAP `sent` is the alert's source time: a re-sent older version of the same alert loses.
  const stored = store.alerts.get(id);
  if (stored && isOutdated(stored.sent, fields.sent)) return 'outdated';
  if (!store.alerts.differs(id, fields)) return 'unchanged';
  const seq = appendEvent(batch, record, { kind: 'alert.upsert', entity: id, payload: fields });
  const replaced = store.alerts.upsert(id, feed.id, fields, receivedAt, seq);
  for (const alertId of [id, ...replaced]) {
    const alert = store.alerts.get(alertId);
    if (alert) batch.outcome.changedAlerts.push({ ...alert, simulated: feed.simulated });
  }
  return 'changed';
}

/**
 * Kinds whose projection is not built yet (sensors, markers) still go to the log: nothing a feed
 * sent is lost, and their projection, when it lands, is rebuilt from these events.
 */
function writeLogOnly(batch: Batch, record: Exclude<FeedRecord, { kind: 'incident' | 'unit' | 'camera' | 'alert' }>): Verdict {
  const entity = `${record.kind}:${batch.feed.id}:${record.externalId}`;
  // A re-delivered reading (a stream replaying, a page fetched twice) is not a new event.
  if (batch.store.log.lastPayload(entity) === JSON.stringify(record)) return 'unchanged';
  appendEvent(batch, record, { kind: `${record.kind}.upsert`, entity, payload: record });
  return 'changed';
}

/** Step 5: the feed's running totals, the kinds it has sent, its newest source time and its cursor. */
function recordFeedState(store: Store, feedId: string, receivedAt: number, cursor: string | undefined, outcome: IngestOutcome, kinds: ReadonlySet<string>, newestSource: number): void {
  const state = store.feedState.get(feedId);
  const knownKinds = new Set(state.kinds ? state.kinds.split(',') : []);
  for (const k of kinds) knownKinds.add(k);
  store.feedState.update(feedId, {
    stored: state.stored + outcome.stored,
    quarantined: state.quarantined + outcome.quarantined,
    ...(outcome.stored > 0 ? { lastDataAt: receivedAt, kinds: [...knownKinds].sort().join(',') } : {}),
    ...(newestSource >= 0 ? { lastSourceTime: newestSource } : {}),
    ...(cursor !== undefined ? { cursor } : {}),
  });
}
