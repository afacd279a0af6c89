import type { MediaKind, MediaRef } from '../../../common/domain/media';
import type { Db } from './connection';

export interface StoredMediaRef extends MediaRef {
  index: number;
  feedId: string;
  thirdParty: boolean;
}

export interface CachedMedia {
  contentType: string;
  bytes: Buffer;
  removed: string[];
  cachedAt: number;
}

/** Citizen media of incidents (issue 22): references from the feeds, marks, and cleaned copies. */
export class MediaRepository {
  private readonly refsStmt;
  private readonly deleteRefsStmt;
  private readonly insertRefStmt;
  private readonly markStmt;
  private readonly cacheGetStmt;
  private readonly cachePutStmt;
  private readonly cachedStmt;
  private readonly dropCacheStmt;

  constructor(db: Db) {
    this.refsStmt = db.prepare('SELECT idx, feed_id, url, type, third_party FROM incident_media WHERE incident_id = ? ORDER BY idx');
    this.deleteRefsStmt = db.prepare('DELETE FROM incident_media WHERE incident_id = ?');
    this.insertRefStmt = db.prepare('INSERT INTO incident_media (incident_id, idx, feed_id, url, type, updated_at, third_party) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.markStmt = db.prepare('UPDATE incident_media SET third_party = ? WHERE incident_id = ? AND idx = ?');
    this.cacheGetStmt = db.prepare('SELECT content_type, bytes, removed, cached_at FROM media_cache WHERE incident_id = ? AND idx = ?');
    this.cachePutStmt = db.prepare('INSERT OR REPLACE INTO media_cache (incident_id, idx, feed_id, content_type, bytes, removed, cached_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.cachedStmt = db.prepare('SELECT idx FROM media_cache WHERE incident_id = ?').pluck();
    this.dropCacheStmt = db.prepare('DELETE FROM media_cache WHERE incident_id = ? AND idx = ?');
  }

  refs(incidentId: string): StoredMediaRef[] {
    const rows = this.refsStmt.all(incidentId) as { idx: number; feed_id: string; url: string; type: string; third_party: number }[];
    return rows.map((r) => ({ index: r.idx, feedId: r.feed_id, url: r.url, type: r.type as MediaKind, thirdParty: r.third_party === 1 }));
  }

  /** True when a feed's list of media differs from what is stored (order included). */
  differs(incidentId: string, refs: readonly MediaRef[]): boolean {
    const stored = this.refs(incidentId);
    return stored.length !== refs.length || stored.some((s, i) => s.url !== refs[i]!.url || s.type !== refs[i]!.type);
  }

  /**
   * Replaces an incident's references with the feed's list. A mark stays on the same address; a
   * cached copy whose address moved to another place in the list, or went, is dropped.
   */
  setRefs(incidentId: string, feedId: string, refs: readonly MediaRef[], t: number): void {
    const before = this.refs(incidentId);
    this.deleteRefsStmt.run(incidentId);
    refs.forEach((ref, i) => {
      const previous = before.find((b) => b.url === ref.url);
      this.insertRefStmt.run(incidentId, i, feedId, ref.url, ref.type, t, previous?.thirdParty ? 1 : 0);
    });
    for (const b of before) if (refs[b.index]?.url !== b.url) this.dropCacheStmt.run(incidentId, b.index);
  }

  mark(incidentId: string, index: number, thirdParty: boolean): boolean {
    return this.markStmt.run(thirdParty ? 1 : 0, incidentId, index).changes === 1;
  }

  cached(incidentId: string, index: number): CachedMedia | null {
    const row = this.cacheGetStmt.get(incidentId, index) as { content_type: string; bytes: Buffer; removed: string; cached_at: number } | undefined;
    return row ? { contentType: row.content_type, bytes: row.bytes, removed: JSON.parse(row.removed) as string[], cachedAt: row.cached_at } : null;
  }

  cachedIndexes(incidentId: string): Set<number> {
    return new Set(this.cachedStmt.all(incidentId) as number[]);
  }

  /** Keeps a cleaned copy (never an original: callers pass what stripMedia returned). */
  putCache(incidentId: string, index: number, feedId: string, media: { contentType: string; bytes: Buffer; removed: string[] }, t: number): void {
    this.cachePutStmt.run(incidentId, index, feedId, media.contentType, media.bytes, JSON.stringify(media.removed), t);
  }
}
