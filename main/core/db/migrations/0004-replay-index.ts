import type { Migration } from './index';

/** Replay asks "what was the last thing said about this entity before t?": one index answers it. */
const migration: Migration = {
  version: 4,
  name: 'replay-index',
  up(db) {
    db.exec('CREATE INDEX events_entity_t ON events(entity, t, seq)');
  },
};
export default migration;
