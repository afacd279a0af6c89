import type { Db } from './connection';
import { readEventPayload, type EventPayloads } from './eventPayloads';

type StoredBucket = EventPayloads['signal.bucket'];

/** Stored buckets whose entity starts with `prefix` (one feed, kind and area) and whose start is in (after, before). */
export function signalBucketsOf(db: Db, prefix: string, after: number, before: number): StoredBucket[] {
  const rows = db
    .prepare(`SELECT payload FROM events WHERE kind = 'signal.bucket' AND entity >= ? AND entity < ? AND t > ? AND t < ?`)
    .all(prefix, `${prefix}\uffff`, after, before) as { payload: string }[];
  return rows.map((r) => readEventPayload('signal.bucket', r.payload));
}

/** The latest copy of each bucket starting in [from, to), in time order, with the feed that sent it. */
export function latestSignalBuckets(db: Db, from: number, to: number): { feedId: string; bucket: StoredBucket }[] {
  const rows = db
    .prepare(
      `SELECT source, payload FROM events WHERE seq IN (
         SELECT max(seq) FROM events WHERE kind = 'signal.bucket' AND t >= ? AND t < ? GROUP BY entity
       ) ORDER BY t, seq`,
    )
    .all(from, to) as { source: string; payload: string }[];
  return rows.map((r) => ({ feedId: r.source, bucket: readEventPayload('signal.bucket', r.payload) }));
}
