import Database from 'better-sqlite3';

/** An MBTiles file (SQLite) opened read-only: its tables, its metadata, its tiles. */
export interface MbtilesDb {
  /** Tables and views by name (an MBTiles needs "tiles" and "metadata"). */
  tables: Set<string>;
  metadata(): Record<string, string>;
  /** One tile's bytes; `tmsRow` counts from the south, as MBTiles stores it. */
  tile(z: number, x: number, tmsRow: number): Buffer | undefined;
  close(): void;
}

export function openMbtilesDb(file: string): MbtilesDb {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").all() as { name: string }[]).map((r) => r.name));
  // Prepared once the tables are known to exist: a plain SQLite file without them must still open.
  let tileStmt: Database.Statement | undefined;
  return {
    tables,
    metadata: () => Object.fromEntries((db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [r.name, r.value])),
    tile(z, x, tmsRow) {
      tileStmt ??= db.prepare('SELECT tile_data AS data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
      return (tileStmt.get(z, x, tmsRow) as { data: Buffer } | undefined)?.data;
    },
    close: () => db.close(),
  };
}
