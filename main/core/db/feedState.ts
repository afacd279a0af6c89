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
});

/** Per-feed cursors and health counters, kept so a restart resumes where the feed was. */
export class FeedStateRepository {
  constructor(private readonly db: Db) {}

  get(feedId: string): FeedStateRow {
    const r = this.db
      .prepare(
        `SELECT feed_id AS feedId, etag, last_modified AS lastModified, cursor, last_success_at AS lastSuccessAt,
                last_error_at AS lastErrorAt, last_error AS lastError, consecutive_errors AS consecutiveErrors,
                stored, quarantined FROM feed_state WHERE feed_id = ?`,
      )
      .get(feedId) as FeedStateRow | undefined;
    return r ?? EMPTY(feedId);
  }

  update(feedId: string, patch: Partial<Omit<FeedStateRow, 'feedId'>>): FeedStateRow {
    const next = { ...this.get(feedId), ...patch, feedId };
    this.db
      .prepare(
        `INSERT INTO feed_state (feed_id, etag, last_modified, cursor, last_success_at, last_error_at, last_error,
                                 consecutive_errors, stored, quarantined)
         VALUES (@feedId, @etag, @lastModified, @cursor, @lastSuccessAt, @lastErrorAt, @lastError,
                 @consecutiveErrors, @stored, @quarantined)
         ON CONFLICT(feed_id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
           cursor = excluded.cursor, last_success_at = excluded.last_success_at, last_error_at = excluded.last_error_at,
           last_error = excluded.last_error, consecutive_errors = excluded.consecutive_errors,
           stored = excluded.stored, quarantined = excluded.quarantined`,
      )
      .run(next);
    return next;
  }
}
