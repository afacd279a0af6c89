import type pg from 'pg';
import m0001 from './0001-hub-log';
import m0002 from './0002-hub-anchors';

/** A PostgreSQL schema step of the hub. Numbered, append-only, each in its own transaction. */
export interface PgMigration {
  version: number;
  name: string;
  up(client: pg.PoolClient): Promise<void>;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [m0001, m0002];
