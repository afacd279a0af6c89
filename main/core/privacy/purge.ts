import type { Store } from '../store';

export interface RetentionRule {
  feedId: string;
  retentionDays: number;
  purpose?: string | undefined;
}

export interface PurgeReport {
  feedId: string;
  cutoff: number;
  deleted: Record<string, number>;
}

const DAY_MS = 86_400_000;

/**
 * Deletes what a feed brought that is older than its retention: projections, unit positions, its
 * events in the log, and its quarantined raw bytes. Each purge that deleted something is recorded
 * (purge_runs, and a `retention.purged` event in the log): that records were erased, and why, is
 * itself kept. One transaction per feed, so the cache never holds half a purge.
 */
export function purgeExpired(store: Store, rules: readonly RetentionRule[], now = Date.now()): PurgeReport[] {
  const db = store.db;
  const reports: PurgeReport[] = [];
  for (const rule of rules) {
    const cutoff = now - rule.retentionDays * DAY_MS;
    // Unit ids are "<feed>:<unit>": ';' sorts right after ':', so this range is the feed's units, on the index.
    const lo = `${rule.feedId}:`;
    const hi = `${rule.feedId};`;
    const run = store.transaction(() => {
      const deleted: Record<string, number> = {
        incidents: db.prepare('DELETE FROM incidents WHERE feed_id = ? AND updated_at < ?').run(rule.feedId, cutoff).changes,
        units: db.prepare('DELETE FROM units WHERE feed_id = ? AND t < ?').run(rule.feedId, cutoff).changes,
        unit_positions: db.prepare('DELETE FROM unit_positions WHERE unit >= ? AND unit < ? AND t < ?').run(lo, hi, cutoff).changes,
        cameras: db.prepare('DELETE FROM cameras WHERE feed_id = ? AND updated_at < ?').run(rule.feedId, cutoff).changes,
        alerts: db.prepare('DELETE FROM alerts WHERE feed_id = ? AND updated_at < ? AND (expires IS NULL OR expires < ?)').run(rule.feedId, cutoff, cutoff).changes,
        // By when the cache received each event (its clock, "<ms>:<n>" zero-padded), not when it
        // happened: a historical day imported for replay or training is as old as its import.
        events: db.prepare("DELETE FROM events WHERE source = ? AND hlc < ? AND kind <> 'retention.purged'").run(rule.feedId, String(cutoff).padStart(15, '0')).changes,
        quarantine: db.prepare('DELETE FROM quarantine WHERE feed_id = ? AND received_at < ?').run(rule.feedId, cutoff).changes,
      };
      const total = Object.values(deleted).reduce((a, b) => a + b, 0);
      if (total === 0) return null;
      db.prepare('INSERT INTO purge_runs (t, feed_id, cutoff, purpose, deleted) VALUES (?, ?, ?, ?, ?)').run(now, rule.feedId, cutoff, rule.purpose ?? null, JSON.stringify(deleted));
      store.log.append({ t: now, source: rule.feedId, kind: 'retention.purged', entity: `feed:${rule.feedId}`, payload: { cutoff, retentionDays: rule.retentionDays, deleted } });
      return { feedId: rule.feedId, cutoff, deleted };
    });
    const report = run();
    if (report) reports.push(report);
  }
  return reports;
}

/** The purge_runs / retention.purged name of the operators' notes, which no feed brought. */
export const NOTES_RETENTION_ID = 'operator-notes';

/**
 * Deletes operators' notes older than `retentionDays` from the log (a note is free text about
 * people: it is kept no longer than the policy says). The note's journal row stays (who noted
 * what incident, when), without the text, as does the record that notes were erased.
 */
export function purgeNotes(store: Store, retentionDays: number, now = Date.now()): PurgeReport | null {
  const cutoff = now - retentionDays * DAY_MS;
  const run = store.transaction(() => {
    const notes = store.db.prepare("DELETE FROM events WHERE kind = 'incident.note' AND t < ?").run(cutoff).changes;
    if (notes === 0) return null;
    const deleted = { notes };
    store.db.prepare('INSERT INTO purge_runs (t, feed_id, cutoff, purpose, deleted) VALUES (?, ?, ?, ?, ?)').run(now, NOTES_RETENTION_ID, cutoff, 'operator notes', JSON.stringify(deleted));
    store.log.append({ t: now, source: NOTES_RETENTION_ID, kind: 'retention.purged', entity: `notes`, payload: { cutoff, retentionDays, deleted } });
    return { feedId: NOTES_RETENTION_ID, cutoff, deleted };
  });
  return run();
}

/** Feeds that have data in the cache (including feeds since removed from the config). */
export function feedsWithData(store: Store): string[] {
  return (store.db.prepare('SELECT feed_id FROM feed_state UNION SELECT DISTINCT feed_id FROM quarantine').pluck().all() as string[]).sort();
}

export function purgeHistory(store: Store, limit = 100): { t: number; feedId: string; cutoff: number; purpose: string | null; deleted: Record<string, number> }[] {
  const rows = store.db.prepare('SELECT t, feed_id, cutoff, purpose, deleted FROM purge_runs ORDER BY id DESC LIMIT ?').all(limit) as { t: number; feed_id: string; cutoff: number; purpose: string | null; deleted: string }[];
  return rows.map((r) => ({ t: r.t, feedId: r.feed_id, cutoff: r.cutoff, purpose: r.purpose, deleted: JSON.parse(r.deleted) as Record<string, number> }));
}
