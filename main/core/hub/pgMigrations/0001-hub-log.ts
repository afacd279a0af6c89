import type { PgMigration } from './index';

/**
 * The hub's ordered log: every feed batch it ingested and every operator action it accepted, in
 * the order every workstation applies them (seq), and the actions it refused, with why (so a
 * workstation that sends an action again after a cut hears the same answer).
 */
const migration: PgMigration = {
  version: 1,
  name: 'hub-log',
  async up(client) {
    await client.query(`
      CREATE TABLE hub_log (
        seq BIGSERIAL PRIMARY KEY,
        -- the action's id (workstation:number); null for feed batches
        uid TEXT UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('feed', 'op')),
        -- the workstation the action came from, or the feed id
        origin TEXT NOT NULL,
        received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        body JSONB NOT NULL
      );
      CREATE TABLE hub_rejections (
        uid TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        code TEXT NOT NULL,
        decided_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        body JSONB NOT NULL
      );
    `);
  },
};
export default migration;
