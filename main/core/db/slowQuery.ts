import type Database from 'better-sqlite3';
import { log } from '../log';

const logger = log('db');

/** STYLE 9: a statement slower than this is logged with its plan. VIGIE_SLOW_QUERY_MS overrides it. */
export const SLOW_QUERY_MS = 40;

/**
 * Replay's statements (main/core/db/replay.ts) start with this comment and are logged only over
 * REPLAY_SLOW_QUERY_MS: their plans are pinned (INDEXED BY) and tested, each serves a playback
 * tick of 250 ms, and on a loaded machine they pass 40 ms often enough to bury a real missing index
 * under warnings and add an EXPLAIN to every tick. Over a whole tick, they are still worth a line.
 */
export const REPLAY_MARK = '/* replay */';
export const REPLAY_SLOW_QUERY_MS = 250;

export interface SlowQuery {
  ms: number;
  sql: string;
  plan: string[];
}

/**
 * Times every statement the connection prepares (run, get, all; not iterate, whose time is the
 * caller's as much as SQLite's) and
 * logs those over the threshold with their EXPLAIN QUERY PLAN, so that a missing index shows up
 * in the service's log with the statement that needs it.
 */
export function watchSlowQueries(db: Database.Database, file: string, thresholdMs = Number(process.env.VIGIE_SLOW_QUERY_MS ?? SLOW_QUERY_MS), onSlow?: (q: SlowQuery) => void): void {
  const prepare = db.prepare.bind(db);
  const report = (sql: string, args: unknown[], ms: number) => {
    let plan: string[] = [];
    try {
      plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
    } catch {
      // Not every statement has a plan (PRAGMA, DDL): the time alone is still worth a line.
    }
    logger.warn({ ms: Math.round(ms), sql: sql.replace(/\s+/g, ' ').trim(), plan, file }, 'slow query');
    onSlow?.({ ms, sql, plan });
  };
  const timed = <F extends (...a: unknown[]) => unknown>(sql: string, limit: number, fn: F, self: unknown): F =>
    function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      const result = fn.apply(self, args);
      const ms = performance.now() - started;
      if (ms > limit) report(sql, args, ms);
      return result;
    } as F;
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const limit = sql.startsWith(REPLAY_MARK) ? Math.max(thresholdMs, REPLAY_SLOW_QUERY_MS) : thresholdMs;
    const wrapped: Record<string, unknown> = {};
    const proxy: Database.Statement = new Proxy(statement, {
      get(target, key) {
        if (key === 'run' || key === 'get' || key === 'all') {
          return (wrapped[key] ??= timed(sql, limit, target[key] as (...a: unknown[]) => unknown, target));
        }
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        // pluck(), raw(), expand(), bind(), safeIntegers() return the statement for chaining: keep the timing on it.
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  }) as typeof db.prepare;
}
