import type { Db } from './connection';

const CHUNK = 500;

/**
 * Rows of `table` whose `id` is in `ids`, fetched 500 at a time: a feed batch of 5,000 records
 * costs ten queries instead of 5,000 (measured in bench/ingest.mjs).
 */
export function selectByIds<Row>(db: Db, cache: Map<number, ReturnType<Db['prepare']>>, table: string, ids: readonly string[], columns = '*'): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    let stmt = cache.get(chunk.length);
    if (!stmt) {
      stmt = db.prepare(`SELECT ${columns} FROM ${table} WHERE id IN (${chunk.map(() => '?').join(',')})`);
      cache.set(chunk.length, stmt);
    }
    for (const row of stmt.all(chunk) as Row[]) out.push(row);
  }
  return out;
}
