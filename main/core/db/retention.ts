import type { Db } from './connection';

/**
 * Deletes everything a feed brought before `cutoff`, table by table; returns how many rows each
 * lost. The caller runs it in its transaction with the record of the purge.
 */
export function deleteFeedDataBefore(db: Db, feedId: string, cutoff: number): Record<string, number> {
  // Unit ids are "<feed>:<unit>": ';' sorts right after ':', so this range is the feed's units, on the index.
  const lo = `${feedId}:`;
  const hi = `${feedId};`;
  return {
    incidents: db.prepare('DELETE FROM incidents WHERE feed_id = ? AND updated_at < ?').run(feedId, cutoff).changes,
    units: db.prepare('DELETE FROM units WHERE feed_id = ? AND t < ?').run(feedId, cutoff).changes,
    unit_positions: db.prepare('DELETE FROM unit_positions WHERE unit >= ? AND unit < ? AND t < ?').run(lo, hi, cutoff).changes,
    cameras: db.prepare('DELETE FROM cameras WHERE feed_id = ? AND updated_at < ?').run(feedId, cutoff).changes,
    alerts: db.prepare('DELETE FROM alerts WHERE feed_id = ? AND updated_at < ? AND (expires IS NULL OR expires < ?)').run(feedId, cutoff, cutoff).changes,
    // By when the cache received each event (its clock, "<ms>:<n>" zero-padded), not when it
    // happened: a historical day imported for replay or training is as old as its import.
    events: db.prepare("DELETE FROM events WHERE source = ? AND hlc < ? AND kind <> 'retention.purged'").run(feedId, String(cutoff).padStart(15, '0')).changes,
    quarantine: db.prepare('DELETE FROM quarantine WHERE feed_id = ? AND received_at < ?').run(feedId, cutoff).changes,
    // Citizen media (issue 22): the cleaned copies by when they were cached, the references with their report.
    media_cache: db.prepare('DELETE FROM media_cache WHERE feed_id = ? AND (cached_at < ? OR incident_id NOT IN (SELECT id FROM incidents))').run(feedId, cutoff).changes,
    incident_media: db.prepare('DELETE FROM incident_media WHERE feed_id = ? AND (updated_at < ? OR incident_id NOT IN (SELECT id FROM incidents))').run(feedId, cutoff).changes,
  };
}

/** Deletes operator notes written before `cutoff`; returns how many went. */
export function deleteNotesBefore(db: Db, cutoff: number): number {
  return db.prepare("DELETE FROM events WHERE kind = 'incident.note' AND t < ?").run(cutoff).changes;
}

export interface PurgeRun {
  t: number;
  feedId: string;
  cutoff: number;
  purpose: string | null;
  deleted: Record<string, number>;
}

export function recordPurgeRun(db: Db, run: PurgeRun): void {
  db.prepare('INSERT INTO purge_runs (t, feed_id, cutoff, purpose, deleted) VALUES (?, ?, ?, ?, ?)').run(run.t, run.feedId, run.cutoff, run.purpose, JSON.stringify(run.deleted));
}

/** The latest purges, newest first. */
export function purgeRuns(db: Db, limit: number): PurgeRun[] {
  const rows = db.prepare('SELECT t, feed_id, cutoff, purpose, deleted FROM purge_runs ORDER BY id DESC LIMIT ?').all(limit) as { t: number; feed_id: string; cutoff: number; purpose: string | null; deleted: string }[];
  return rows.map((r) => ({ t: r.t, feedId: r.feed_id, cutoff: r.cutoff, purpose: r.purpose, deleted: JSON.parse(r.deleted) as Record<string, number> }));
}

/** Feeds that have data in the cache (including feeds since removed from the config), sorted. */
export function feedIdsWithData(db: Db): string[] {
  return (db.prepare('SELECT feed_id FROM feed_state UNION SELECT DISTINCT feed_id FROM quarantine').pluck().all() as string[]).sort();
}
