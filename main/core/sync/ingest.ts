import { FeedRecord } from '../../../common/domain/feedRecord';
import type { Incident } from '../../../common/domain/incident';
import { clipRaw, type ParseResult } from '../feeds/adapter';
import { incidentId } from '../db/incidents';
import type { Store } from '../store';

export interface IngestOutcome {
  /** Valid records accepted (new, changed or confirmed unchanged). */
  stored: number;
  /** Of those, how many changed nothing. */
  unchanged: number;
  quarantined: number;
  changedIncidents: Incident[];
}

export interface IngestFeed {
  id: string;
  simulated: boolean;
}

/**
 * Writes one parsed batch in one transaction: valid records go to the event log and their
 * projection, everything else to quarantine with its reason. A bad record never costs the batch.
 */
export function ingestBatch(store: Store, feed: IngestFeed, parsed: ParseResult, receivedAt: number): IngestOutcome {
  const outcome: IngestOutcome = { stored: 0, unchanged: 0, quarantined: 0, changedIncidents: [] };
  const run = store.db.transaction(() => {
    for (const error of parsed.errors) {
      store.quarantine.add(feed.id, receivedAt, error.reason, clipRaw(error.raw));
      outcome.quarantined++;
    }
    for (const candidate of parsed.records) {
      // Adapters are typed, but a record built from JSON can still be out of range: check again here.
      const checked = FeedRecord.safeParse(candidate);
      if (!checked.success) {
        const reason = checked.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ');
        store.quarantine.add(feed.id, receivedAt, `Record failed validation: ${reason}`, clipRaw(JSON.stringify(candidate)));
        outcome.quarantined++;
        continue;
      }
      const record = checked.data;
      outcome.stored++;
      if (record.kind === 'incident') {
        const { kind: _kind, ...fields } = record;
        const id = incidentId(feed.id, fields.externalId);
        if (!store.incidents.differs(id, fields)) {
          outcome.unchanged++;
          continue;
        }
        const event = store.log.append({ t: receivedAt, source: feed.id, kind: 'incident.upsert', entity: id, payload: fields });
        const incident: Incident = { ...fields, id, feedId: feed.id, simulated: feed.simulated, updatedAt: receivedAt, seq: event.seq };
        store.incidents.upsert(incident);
        outcome.changedIncidents.push(incident);
      } else {
        // Kinds whose projection is not built yet still go to the log: nothing a feed sent is lost,
        // and the projection, when it lands, is rebuilt from these events.
        const key = 'unitId' in record ? record.unitId : record.externalId;
        store.log.append({ t: receivedAt, source: feed.id, kind: `${record.kind}.upsert`, entity: `${record.kind}:${feed.id}:${key}`, payload: record });
      }
    }
    const state = store.feedState.get(feed.id);
    store.feedState.update(feed.id, {
      stored: state.stored + outcome.stored,
      quarantined: state.quarantined + outcome.quarantined,
      ...(parsed.cursor !== undefined ? { cursor: parsed.cursor } : {}),
    });
  });
  try {
    run();
  } catch (error) {
    store.log.resync();
    throw error;
  }
  return outcome;
}
