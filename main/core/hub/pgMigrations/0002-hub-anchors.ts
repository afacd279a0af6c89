import type { PgMigration } from './index';

/**
 * Each workstation's audit journal head, anchored at the hub (docs/security.md): whoever can write
 * a seat's profile cannot rewrite its journal unnoticed, since the hub holds the heads it was
 * sent and checks each new one against them. What did not match is kept in hub_anchor_alerts.
 */
const migration: PgMigration = {
  version: 2,
  name: 'hub-anchors',
  async up(client) {
    await client.query(`
      CREATE TABLE hub_anchors (
        workstation TEXT NOT NULL,
        -- the journal's identity: the hash of its first row
        journal TEXT NOT NULL,
        head_id BIGINT NOT NULL,
        head_hash TEXT NOT NULL,
        received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (workstation, journal, head_id)
      );
      CREATE TABLE hub_anchor_alerts (
        id BIGSERIAL PRIMARY KEY,
        workstation TEXT NOT NULL,
        at TIMESTAMPTZ NOT NULL DEFAULT now(),
        problem TEXT NOT NULL
      );
    `);
  },
};
export default migration;
