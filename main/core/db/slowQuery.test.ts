import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase } from './connection';
import { REPLAY_MARK, REPLAY_SLOW_QUERY_MS, watchSlowQueries, type SlowQuery } from './slowQuery';
import { configureLogging } from '../log';
import { tempDir } from '../../../test/helpers';

function logged(file: string): Record<string, unknown>[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

describe('slow queries', () => {
  it('logs a statement over 40 ms with its query plan, and not a fast one', () => {
    const dir = tempDir();
    const file = configureLogging({ dir, name: 'service', stderr: false });
    const db = openDatabase(path.join(dir, 'vigie.sqlite'));
    db.prepare('SELECT count(*) FROM events').get();
    // Two million rows generated and counted: well over 40 ms on any machine.
    const slow = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?) SELECT count(*) FROM n';
    expect(db.prepare(slow).pluck().get(2_000_000)).toBe(2_000_000);
    db.close();
    const slowLines = logged(file).filter((l) => l.msg === 'slow query');
    expect(slowLines).toHaveLength(1);
    expect(slowLines[0]).toMatchObject({ level: 40, component: 'db', sql: slow, file: path.join(dir, 'vigie.sqlite') });
    expect(slowLines[0]!.ms as number).toBeGreaterThan(40);
    expect((slowLines[0]!.plan as string[]).join(' | ')).toMatch(/SCAN n/);
  });

  it('reads planned events by kind through the events(kind) index, not a scan of the whole log', () => {
    const db = openDatabase(path.join(tempDir(), 'vigie.sqlite'));
    // The statement of CalendarService.list (main/core/calendar/calendar.ts).
    const plan = (db.prepare(
      "EXPLAIN QUERY PLAN SELECT kind, payload FROM events WHERE seq IN (SELECT max(seq) FROM events WHERE kind IN ('calendar.event', 'calendar.delete') GROUP BY entity)",
    ).all() as { detail: string }[]).map((r) => r.detail);
    db.close();
    expect(plan.join(' | ')).toMatch(/SEARCH events USING COVERING INDEX events_kind \(kind=\?\)/);
    expect(plan.join(' | ')).not.toMatch(/SCAN events/);
  });

  it('holds replay statements to a playback tick (250 ms), so a loaded machine does not log every seek', () => {
    const db = new Database(':memory:');
    const slow: SlowQuery[] = [];
    // Threshold 0: every statement is "slow" unless it is held to the replay budget.
    watchSlowQueries(db, ':memory:', 0, (q) => slow.push(q));
    db.prepare('SELECT 1').get();
    db.prepare(`${REPLAY_MARK} SELECT 2`).pluck().get();
    db.close();
    expect(REPLAY_SLOW_QUERY_MS).toBe(250);
    expect(slow.map((q) => q.sql)).toEqual(['SELECT 1']);
  });
});
