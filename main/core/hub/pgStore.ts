import pg from 'pg';
import { PG_MIGRATIONS } from './pgMigrations/index';
import { log } from '../log';

const logger = log('hub');

// BIGINT columns (seq) come back as numbers: a hub log will not reach 2^53 entries.
pg.types.setTypeParser(20, (v) => Number(v));

export interface LogEntry {
  seq: number;
  kind: 'feed' | 'op';
  body: unknown;
}

export interface StoredAnchor {
  journal: string;
  id: number;
  hash: string;
  t: Date;
}

export class PgSchemaFromTheFutureError extends Error {
  override name = 'PgSchemaFromTheFutureError';
}

/** A key for pg_advisory_lock: one active hub per database. */
const LEADER_LOCK = 0x56494745; // "VIGE"

/**
 * The hub's store in PostgreSQL: the ordered log of feed batches and accepted actions, and the
 * refused actions. An action is acknowledged to its workstation only after its row committed here.
 */
export class HubPgStore {
  private leader: pg.Client | null = null;

  private constructor(
    readonly pool: pg.Pool,
    private readonly url: string,
  ) {}

  static async open(url: string): Promise<HubPgStore> {
    const pool = new pg.Pool({ connectionString: url, max: 6, connectionTimeoutMillis: 10_000 });
    // An idle client that loses its server must not crash the hub: the next query reports it.
    pool.on('error', (error) => logger.error({ reason: error.message }, 'PostgreSQL connection lost'));
    const store = new HubPgStore(pool, url);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  /** Numbered migrations under one advisory lock, each in its own transaction; a newer schema is refused untouched. */
  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [LEADER_LOCK + 1]);
      await client.query('CREATE TABLE IF NOT EXISTS hub_schema (version INTEGER NOT NULL)');
      const row = (await client.query<{ version: number }>('SELECT max(version) AS version FROM hub_schema')).rows[0];
      const current = row?.version ?? 0;
      const latest = PG_MIGRATIONS.length;
      if (current > latest) {
        throw new PgSchemaFromTheFutureError(`The hub database is at schema version ${current}, newer than this Vigie knows (${latest}): run the newer Vigie hub, or point this one at another database. Nothing was changed.`);
      }
      for (const m of PG_MIGRATIONS.slice(current)) {
        await client.query('BEGIN');
        try {
          await m.up(client);
          await client.query('INSERT INTO hub_schema (version) VALUES ($1)', [m.version]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`hub schema migration ${m.version} (${m.name}) failed: ${(error as Error).message}`, { cause: error });
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK + 1]).catch(() => undefined);
      client.release();
    }
  }

  /**
   * Waits until this hub is the one active hub of the database (a session advisory lock, released
   * by PostgreSQL when the holder's connection dies: a killed hub frees it at once).
   */
  async becomeLeader(onWaiting: () => void): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', (error) => logger.error({ reason: error.message }, 'leader connection lost'));
    await client.connect();
    const got = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK])).rows[0]!.ok;
    if (!got) {
      onWaiting();
      await client.query('SELECT pg_advisory_lock($1)', [LEADER_LOCK]);
    }
    this.leader = client;
  }

  async append(kind: 'feed' | 'op', uid: string | null, origin: string, body: unknown): Promise<number> {
    const r = await this.pool.query<{ seq: number }>('INSERT INTO hub_log (uid, kind, origin, body) VALUES ($1, $2, $3, $4) RETURNING seq', [uid, kind, origin, JSON.stringify(body)]);
    return r.rows[0]!.seq;
  }

  async read(after: number, limit: number): Promise<LogEntry[]> {
    const r = await this.pool.query<LogEntry>('SELECT seq, kind, body FROM hub_log WHERE seq > $1 ORDER BY seq LIMIT $2', [after, limit]);
    return r.rows;
  }

  async head(): Promise<number> {
    return (await this.pool.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM hub_log')).rows[0]!.seq ?? 0;
  }

  async hasOp(uid: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM hub_log WHERE uid = $1', [uid])).rowCount! > 0;
  }

  async rejection(uid: string): Promise<unknown | null> {
    const r = await this.pool.query<{ body: unknown }>('SELECT body FROM hub_rejections WHERE uid = $1', [uid]);
    return r.rows[0]?.body ?? null;
  }

  async reject(uid: string, origin: string, code: string, body: unknown): Promise<void> {
    await this.pool.query('INSERT INTO hub_rejections (uid, origin, code, body) VALUES ($1, $2, $3, $4) ON CONFLICT (uid) DO NOTHING', [uid, origin, code, JSON.stringify(body)]);
  }

  /** The newest journal head a workstation anchored here, or null. */
  async lastAnchor(workstation: string): Promise<StoredAnchor | null> {
    const r = await this.pool.query<StoredAnchor>('SELECT journal, head_id AS id, head_hash AS hash, received_at AS t FROM hub_anchors WHERE workstation = $1 ORDER BY received_at DESC, head_id DESC LIMIT 1', [workstation]);
    return r.rows[0] ?? null;
  }

  async addAnchor(workstation: string, journal: string, id: number, hash: string): Promise<void> {
    await this.pool.query('INSERT INTO hub_anchors (workstation, journal, head_id, head_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [workstation, journal, id, hash]);
  }

  async anchorAlert(workstation: string, problem: string): Promise<void> {
    await this.pool.query('INSERT INTO hub_anchor_alerts (workstation, problem) VALUES ($1, $2)', [workstation, problem]);
  }

  /** Every anchor of a workstation, oldest first, and the alerts raised about its journal. */
  async anchorsOf(workstation: string): Promise<{ anchors: StoredAnchor[]; alerts: { at: Date; problem: string }[] }> {
    const anchors = (await this.pool.query<StoredAnchor>('SELECT journal, head_id AS id, head_hash AS hash, received_at AS t FROM hub_anchors WHERE workstation = $1 ORDER BY received_at, head_id', [workstation])).rows;
    const alerts = (await this.pool.query<{ at: Date; problem: string }>('SELECT at, problem FROM hub_anchor_alerts WHERE workstation = $1 ORDER BY id', [workstation])).rows;
    return { anchors, alerts };
  }

  async close(): Promise<void> {
    await this.leader?.end().catch(() => undefined);
    await this.pool.end();
  }
}
