import type { Store } from '../store';
import { deleteFeedDataBefore, deleteNotesBefore, feedIdsWithData, purgeRuns, recordPurgeRun, type PurgeRun } from '../db/retention';

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
  const reports: PurgeReport[] = [];
  for (const rule of rules) {
    const cutoff = now - rule.retentionDays * DAY_MS;
    const run = store.transaction(() => {
      const deleted = deleteFeedDataBefore(store.db, rule.feedId, cutoff);
      const total = Object.values(deleted).reduce((a, b) => a + b, 0);
      if (total === 0) return null;
      recordPurgeRun(store.db, { t: now, feedId: rule.feedId, cutoff, purpose: rule.purpose ?? null, deleted });
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
    const notes = deleteNotesBefore(store.db, cutoff);
    if (notes === 0) return null;
    const deleted = { notes };
    recordPurgeRun(store.db, { t: now, feedId: NOTES_RETENTION_ID, cutoff, purpose: 'operator notes', deleted });
    store.log.append({ t: now, source: NOTES_RETENTION_ID, kind: 'retention.purged', entity: `notes`, payload: { cutoff, retentionDays, deleted } });
    return { feedId: NOTES_RETENTION_ID, cutoff, deleted };
  });
  return run();
}

/** Feeds that have data in the cache (including feeds since removed from the config). */
export function feedsWithData(store: Store): string[] {
  return feedIdsWithData(store.db);
}

export function purgeHistory(store: Store, limit = 100): PurgeRun[] {
  return purgeRuns(store.db, limit);
}
