import type { Db } from './connection';

export interface FeedStateRow {
  feedId: string;
  etag: string | null;
  lastModified: string | null;
  cursor: string | null;
  lastSuccessAt: number | null;
  lastErrorAt: number | null;
  lastError: string | null;
  consecutiveErrors: number;
  stored: number;
  quarantined: number;
  /** Failures since the feed was first seen. */
  errorCount: number;
  /** When records last arrived (a 304 or an empty message is a success, not data). */
  lastDataAt: number | null;
  /** Newest source time among the records last stored, for lag. */
  lastSourceTime: number | null;
  /** Entity kinds this feed has brought, comma-separated. */
  kinds: string;
  /** Paused by an operator (1) or not (0). */
  paused: number;
}

const EMPTY = (feedId: string): FeedStateRow => ({
  feedId,
  etag: null,
  lastModified: null,
  cursor: null,
  lastSuccessAt: null,
  lastErrorAt: null,
  lastError: null,
  consecutiveErrors: 0,
  stored: 0,
  quarantined: 0,
  errorCount: 0,
  lastDataAt: null,
  lastSourceTime: null,
  kinds: '',
  paused: 0,
});

/** Per-feed cursors and health counters, kept so a restart resumes where the feed was. */
export class FeedStateRepository {
  private readonly getStmt;
  private readonly putStmt;
  private readonly seenStmt;
  private readonly markSeenStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare(
      `SELECT feed_id AS feedId, etag, last_modified AS lastModified, cursor, last_success_at AS lastSuccessAt,
              last_error_at AS lastErrorAt, last_error AS lastError, consecutive_errors AS consecutiveErrors,
              stored, quarantined, error_count AS errorCount, last_data_at AS lastDataAt,
              last_source_time AS lastSourceTime, kinds, paused FROM feed_state WHERE feed_id = ?`,
    );
    this.putStmt = db.prepare(
      `INSERT INTO feed_state (feed_id, etag, last_modified, cursor, last_success_at, last_error_at, last_error,
                               consecutive_errors, stored, quarantined, error_count, last_data_at, last_source_time, kinds, paused)
       VALUES (@feedId, @etag, @lastModified, @cursor, @lastSuccessAt, @lastErrorAt, @lastError,
               @consecutiveErrors, @stored, @quarantined, @errorCount, @lastDataAt, @lastSourceTime, @kinds, @paused)
       ON CONFLICT(feed_id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
         cursor = excluded.cursor, last_success_at = excluded.last_success_at, last_error_at = excluded.last_error_at,
         last_error = excluded.last_error, consecutive_errors = excluded.consecutive_errors,
         stored = excluded.stored, quarantined = excluded.quarantined, error_count = excluded.error_count,
         last_data_at = excluded.last_data_at, last_source_time = excluded.last_source_time, kinds = excluded.kinds, paused = excluded.paused`,
    );
    this.seenStmt = db.prepare('SELECT 1 FROM feed_seen WHERE feed_id = ? AND key = ?').pluck();
    this.markSeenStmt = db.prepare('INSERT OR REPLACE INTO feed_seen (feed_id, key, t) VALUES (?, ?, ?)');
  }

  get(feedId: string): FeedStateRow {
    return (this.getStmt.get(feedId) as FeedStateRow | undefined) ?? EMPTY(feedId);
  }

  update(feedId: string, patch: Partial<Omit<FeedStateRow, 'feedId'>>): FeedStateRow {
    const next = { ...this.get(feedId), ...patch, feedId };
    this.putStmt.run(next);
    return next;
  }

  /** A failure: counted in a row and in total, the message kept for the Feeds panel. */
  recordError(feedId: string, message: string, at = Date.now()): FeedStateRow {
    const s = this.get(feedId);
    return this.update(feedId, { lastErrorAt: at, lastError: message, consecutiveErrors: s.consecutiveErrors + 1, errorCount: s.errorCount + 1 });
  }

  /** Whether an item (a CAP index entry…) was already fetched, so a restart does not fetch it again. */
  seen(feedId: string, key: string): boolean {
    return this.seenStmt.get(feedId, key) !== undefined;
  }

  markSeen(feedId: string, key: string, at = Date.now()): void {
    this.markSeenStmt.run(feedId, key, at);
  }

  /** Forgets followed links older than `before`: an index only lists recent entries. */
  forgetSeenBefore(feedId: string, before: number): void {
    this.db.prepare('DELETE FROM feed_seen WHERE feed_id = ? AND t < ?').run(feedId, before);
  }
}
