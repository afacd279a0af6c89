import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import type { Annotation } from '../../../common/domain/annotation';
import { databasePath, Store } from '../store';
import { ingestBatch } from '../ingest/ingest';
import { LAYERS_KIND } from '../replay/layers';
import { loadScenario } from './scenario';
import { SourceDayReader, TrainingScript } from '../db/training';
import { readEventPayload, readPayloadJson, readPayloadObject } from '../db/eventPayloads';
import { MARKER, type SandboxInfo } from './sandboxInfo';

export { readSandbox, INJECT_FEED, SandboxInfo } from './sandboxInfo';
export { ScenarioRunner, exerciseStart } from './exercise';

const DAY = 86_400_000;

/** What a sandbox received from its source day, by kind. */
export interface SandboxCopy {
  incidents: number;
  unitPositions: number;
  cameras: number;
  alerts: number;
  otherFeedRecords: number;
  signalBuckets: number;
  plannedEvents: number;
  annotations: number;
  /** Layer sets standing at the start of the day (one per person who had recorded one). */
  layerSets: number;
}


/**
 * A training sandbox: a new profile (its own SQLite file) holding one historical day of the source
 * profile, replayed through the normal ingest so the projections and the replay index are built as
 * for live data. What the world did that day comes in with its original times: incidents, unit
 * identities and every position, camera statuses, CAP alerts, other feed records, aggregated
 * signals, and the state standing when the day began (cameras, alerts in force, the calendar, the
 * annotations on the map, the layer sets shown). What the supervisor did that day (lifecycle actions, dispatches,
 * annotations drawn during the day, acknowledgements) is not copied: trainees make those
 * decisions again, and the debrief compares theirs with the source log's. The source is opened
 * read-only: nothing done here or in the sandbox can write to it.
 */
export function createSandbox(options: { source: string; day: string; out: string; scenarioFile?: string; now?: number; start?: string; speed?: number }): { incidents: number; copied: SandboxCopy; info: SandboxInfo; scripted: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.day);
  const from = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!Number.isFinite(from)) throw new Error(`--day must be YYYY-MM-DD, got "${options.day}"`);
  const to = from + DAY;
  const startAt = from + startOffset(options.start);
  if (options.speed !== undefined && !(options.speed > 0 && options.speed <= 3600)) throw new Error(`--speed must be a number from 0 (excluded) to 3600, got ${options.speed}`);
  const sourceFile = databasePath(options.source);
  if (!fs.existsSync(sourceFile)) throw new Error(`no Vigie profile at ${options.source} (${sourceFile} is missing)`);
  if (path.resolve(options.source) === path.resolve(options.out)) throw new Error('--out must be a new folder, not the source profile');
  if (fs.existsSync(options.out) && fs.readdirSync(options.out).length > 0) throw new Error(`${options.out} is not empty: a sandbox is created in a new folder`);
  const scenario = options.scenarioFile ? loadScenario(options.scenarioFile) : null;

  const source = new Database(sourceFile, { readonly: true, fileMustExist: true });
  let day: ReturnType<typeof readDay>;
  try {
    day = readDay(source, from, to);
  } finally {
    source.close();
  }
  fs.mkdirSync(options.out, { recursive: true });
  // No feeds and no demo: the sandbox only ever holds the day and the exercise.
  fs.writeFileSync(path.join(options.out, 'config.json'), JSON.stringify({ feeds: [], demo: false }, null, 2));
  const store = Store.open(options.out);
  const arrived = Date.now();
  let scripted = 0;
  try {
    store.db.transaction(() => {
      // What happens from the exercise start on waits in the script, in time order, for the
      // exercise clock to deliver it (training/exercise.ts): calls arrive when they did.
      const later = [...day.records].flatMap(([feedId, records]) => records.filter((r) => r.t >= startAt).map((r) => ({ t: r.t, feedId, record: asReported(r.record) })));
      later.sort((a, b) => a.t - b.t);
      scripted = new TrainingScript(store.db).add(later);
      // What stood before it is there when the exercise opens: feed records per feed in time order,
      // each dated at its original instant (the arrival time is now: the data reached this cache
      // now, which is what retention counts from).
      for (const [feedId, all] of day.records) {
        const records = all.filter((r) => r.t < startAt);
        records.sort((a, b) => a.t - b.t);
        // Incidents and units (the bulk) keep their object through ingest's quick check, so their
        // time is looked up by record; the other kinds are validated into new objects, so they go
        // in one batch per instant.
        let i = 0;
        while (i < records.length) {
          const bulk = records[i]!.record.kind === 'incident' || records[i]!.record.kind === 'unit';
          let j = i + 1;
          while (j < records.length && j - i < 5_000 && (bulk ? records[j]!.record.kind === 'incident' || records[j]!.record.kind === 'unit' : records[j]!.t === records[i]!.t && records[j]!.record.kind !== 'incident' && records[j]!.record.kind !== 'unit')) j++;
          const chunk = records.slice(i, j);
          const times = new Map(chunk.map((r) => [r.record, r.t]));
          const t0 = chunk[0]!.t;
          // Received when it happened (the exercise's clock reads the day; a wall date would show on the trainee's screen as "updated").
          ingestBatch(store, { id: feedId, simulated: false }, { records: chunk.map((r) => r.record), errors: [] }, chunk[chunk.length - 1]!.t, { eventTime: (r) => times.get(r) ?? t0 });
          i = j;
        }
      }
      // Layer sets, signals and the calendar are events only (their readers rebuild from the log).
      for (const e of day.rawEvents) store.log.append({ t: e.t, source: e.source, kind: e.kind, entity: e.entity, payload: readPayloadJson(e.kind, e.payload) }, arrived);
      for (const a of day.annotations) {
        const { id, createdBy, createdAt: _c, updatedBy: _u, updatedAt, deleted: _d, seq: _s, ...fields } = a;
        const { seq } = store.log.append({ t: updatedAt, source: `user:${createdBy}`, kind: 'annotation.create', entity: `annotation:${id}`, payload: { by: createdBy, role: 'supervisor', ...fields } }, arrived);
        store.annotations.save({ ...a, seq });
      }
    })();
  } catch (error) {
    store.close();
    throw error;
  }
  store.close();
  const info: SandboxInfo = { sourceProfile: path.resolve(options.source), day: options.day, createdAt: options.now ?? Date.now(), scenario, startAt, ...(options.speed !== undefined ? { speed: options.speed } : {}) };
  fs.writeFileSync(path.join(options.out, MARKER), JSON.stringify(info, null, 2));
  return { incidents: day.copied.incidents, copied: day.copied, info, scripted };
}

/**
 * A call of the exercise as it was reported, without what was done with it: the history's later
 * statuses and its closing time are the real supervisor's decisions (the debrief reads them from the
 * source profile), so the trainee gets the call open and makes them again.
 */
function asReported(record: FeedRecord): FeedRecord {
  if (record.kind !== 'incident') return record;
  const { closedAt: _closed, ...rest } = record;
  return { ...rest, status: 'new' };
}

/** `--start HH:MM[:SS]` (UTC, like `--day`) as milliseconds after midnight; absent: midnight. */
function startOffset(start: string | undefined): number {
  if (start === undefined) return 0;
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(start);
  const ms = m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 : NaN;
  if (!(ms >= 0 && ms < DAY) || Number(m![2]) > 59 || Number(m![3] ?? 0) > 59) throw new Error(`--start must be a time of the day, HH:MM or HH:MM:SS (UTC), got "${start}"`);
  return ms;
}

/** Everything of the day [from, to) that a sandbox copies, read from the source's log. */
function readDay(source: Database.Database, from: number, to: number) {
  const records = new Map<string, { t: number; record: FeedRecord }[]>();
  const add = (feedId: string, t: number, record: FeedRecord) => {
    const list = records.get(feedId) ?? [];
    list.push({ t, record });
    records.set(feedId, list);
  };
  const copied: SandboxCopy = { incidents: 0, unitPositions: 0, cameras: 0, alerts: 0, otherFeedRecords: 0, signalBuckets: 0, plannedEvents: 0, annotations: 0, layerSets: 0 };
  const log = new SourceDayReader(source);
  const during = (kind: string) => log.during(kind, from, to);
  /** Each entity's last event of `kinds` before the day began: the state standing at its start. */
  const standing = (kinds: string[]) => log.standing(kinds, from);

  for (const row of during('incident.upsert')) {
    add(row.source, row.t, { kind: 'incident', ...readEventPayload('incident.upsert', row.payload) } as FeedRecord);
    copied.incidents++;
  }

  // Units: every position of the day, each with what the unit was then (its last identity event).
  const identity = new Map<string, Record<string, unknown>>();
  for (const row of standing(['unit.upsert'])) identity.set(row.entity, readPayloadObject(row.kind, row.payload));
  for (const u of log.unitIdentities()) {
    if (!identity.has(u.id)) identity.set(u.id, { unitId: u.unit_id, unitType: u.unit_type, ...(u.callsign ? { callsign: u.callsign } : {}), ...(u.status ? { status: u.status } : {}) });
  }
  const changes = during('unit.upsert');
  let next = 0;
  for (const [unit, t, lon, lat, heading] of log.positions(from, to)) {
    while (next < changes.length && changes[next]!.t <= t) {
      identity.set(changes[next]!.entity, readPayloadObject(changes[next]!.kind, changes[next]!.payload));
      next++;
    }
    const feedId = unit.slice(0, unit.indexOf(':'));
    const who = identity.get(unit) ?? { unitId: unit.slice(feedId.length + 1), unitType: 'unknown' };
    add(feedId, t, { ...who, kind: 'unit', lon, lat, t, ...(heading !== null ? { heading } : {}) } as FeedRecord);
    copied.unitPositions++;
  }

  // Cameras and CAP alerts: those standing when the day began, then every change of the day.
  for (const row of [...standing(['camera.upsert']), ...during('camera.upsert')]) {
    add(row.source, row.t, { kind: 'camera', ...readEventPayload('camera.upsert', row.payload) } as FeedRecord);
    copied.cameras++;
  }
  const inForce = standing(['alert.upsert']).filter((row) => {
    const a = readEventPayload('alert.upsert', row.payload);
    return a.msgType !== 'Cancel' && (a.expires === undefined || a.expires > from);
  });
  for (const row of [...inForce, ...during('alert.upsert')]) {
    add(row.source, row.t, { kind: 'alert', ...readEventPayload('alert.upsert', row.payload) } as FeedRecord);
    copied.alerts++;
  }
  // Other feed kinds (sensors, markers) keep the whole record as their payload.
  const others = log.otherFeedRecords(['incident.upsert', 'unit.upsert', 'camera.upsert', 'alert.upsert'], from, to);
  for (const row of others) {
    add(row.source, row.t, readPayloadObject(row.kind, row.payload) as FeedRecord);
    copied.otherFeedRecords++;
  }

  // Events-only kinds: the day's signal buckets; the calendar as known at the start, then its changes.
  const signals = during('signal.bucket');
  const calendar = [...standing(['calendar.event', 'calendar.delete']).filter((r) => r.kind === 'calendar.event'), ...during('calendar.event'), ...during('calendar.delete')].sort((a, b) => a.t - b.t);
  copied.signalBuckets = signals.length;
  copied.plannedEvents = new Set(calendar.map((r) => r.entity)).size;
  // The layers each person showed when the day began (their changes during it are the day's own view, not copied).
  const layerSets = standing([LAYERS_KIND]);
  copied.layerSets = layerSets.length;

  // The annotations on the map when the day began (cordons, sectors drawn before it).
  const annotations: Annotation[] = [];
  const annotationRows = log.annotationEvents(from);
  const byId = new Map<string, Annotation | null>();
  for (const r of annotationRows) {
    const id = r.entity.slice('annotation:'.length);
    if (r.kind === 'annotation.delete') {
      byId.set(id, null);
      continue;
    }
    const { by, role: _role, version, baseVersion: _base, reshape: _reshape, ...fields } = readEventPayload(r.kind as 'annotation.edit', r.payload); // create, edit and reshape share one shape
    const before = byId.get(id);
    byId.set(id, { ...fields, id, createdBy: before?.createdBy ?? by, createdAt: before?.createdAt ?? r.t, updatedBy: by, updatedAt: r.t, deleted: false, seq: 0, version: version ?? (before ? before.version + 1 : 1) });
  }
  for (const a of byId.values()) if (a && (a.validTo === undefined || a.validTo > from)) annotations.push(a);
  copied.annotations = annotations.length;

  return { records, rawEvents: [...layerSets, ...signals, ...calendar], annotations, copied };
}
