import type { Db } from './connection';

/** What a profile is: live data, imported history (for replay and training), or a training sandbox. */
export type ProfileKind = 'live' | 'history' | 'training';

export interface HistoryImport {
  id: number;
  importedAt: number;
  feedId: string;
  type: string;
  files: string[];
  /** The rule that closed the items, as stated (describeLifecycle); "none" when nothing closes them. */
  lifecycle: string;
  stored: number;
  quarantined: number;
  /** Items that got a closing time (from the file or the rule). */
  closed: number;
  firstAt: number | null;
  lastAt: number | null;
}

type ImportRow = {
  id: number; imported_at: number; feed_id: string; type: string; files: string; lifecycle: string;
  stored: number; quarantined: number; closed: number; first_at: number | null; last_at: number | null;
};

export function recordHistoryImport(db: Db, row: Omit<HistoryImport, 'id'>): number {
  const info = db
    .prepare(`INSERT INTO history_imports (imported_at, feed_id, type, files, lifecycle, stored, quarantined, closed, first_at, last_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(row.importedAt, row.feedId, row.type, JSON.stringify(row.files), row.lifecycle, row.stored, row.quarantined, row.closed, row.firstAt, row.lastAt);
  return Number(info.lastInsertRowid);
}

/** Every import of the profile, oldest first. */
export function historyImports(db: Db): HistoryImport[] {
  const rows = db.prepare('SELECT * FROM history_imports ORDER BY id').all() as ImportRow[];
  return rows.map((r) => ({
    id: r.id, importedAt: r.imported_at, feedId: r.feed_id, type: r.type, files: JSON.parse(r.files) as string[], lifecycle: r.lifecycle,
    stored: r.stored, quarantined: r.quarantined, closed: r.closed, firstAt: r.first_at, lastAt: r.last_at,
  }));
}

export function storedProfileKind(db: Db): ProfileKind | null {
  const value = db.prepare("SELECT value FROM profile_info WHERE key = 'kind'").pluck().get() as string | undefined;
  return value === 'live' || value === 'history' || value === 'training' ? value : null;
}

export function setProfileKind(db: Db, kind: ProfileKind): void {
  db.prepare("INSERT INTO profile_info (key, value) VALUES ('kind', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(kind);
}

/** Whether anything was ever logged (an empty profile becomes what its first data makes it). */
export function logIsEmpty(db: Db): boolean {
  return db.prepare('SELECT 1 FROM events LIMIT 1').get() === undefined;
}

/**
 * The extent of the profile's data: its incidents' positions (units' when it has no incident),
 * trimmed of the farthest 0.5 % on each side when there are enough of them, so that a few
 * mis-geocoded rows (Houston's file has one in Kansas) do not zoom the map out to a continent.
 */
export function dataExtent(db: Db): { bbox: [number, number, number, number]; count: number } | null {
  for (const table of ['incidents', 'units']) {
    const count = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    if (count === 0) continue;
    const trim = count >= 200 ? Math.floor(count * 0.005) : 0;
    const at = (column: 'lon' | 'lat', order: 'ASC' | 'DESC') =>
      db.prepare(`SELECT ${column} FROM ${table} ORDER BY ${column} ${order} LIMIT 1 OFFSET ?`).pluck().get(trim) as number;
    return { bbox: [at('lon', 'ASC'), at('lat', 'ASC'), at('lon', 'DESC'), at('lat', 'DESC')], count };
  }
  return null;
}
