import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection';
import { MIGRATIONS } from './index';
import { Store } from '../../store';
import { tempDir } from '../../../../test/helpers';

describe('upgrading a profile to operator actions (migration 5)', () => {
  it('keeps every incident, owned by its feed, with what the feed said recorded', () => {
    const dir = tempDir();
    const old = openDatabase(path.join(dir, 'vigie.sqlite'), MIGRATIONS.slice(0, 2));
    old.prepare(`INSERT INTO incidents (id, feed_id, external_id, category, priority, status, title, lon, lat, occurred_at, closed_at, simulated, updated_at, seq)
                 VALUES ('city:A', 'city', 'A', 'theft', 3, 'acknowledged', 'Vol', 5.37, 43.29, 1000, NULL, 0, 1000, 1)`).run();
    old.close();
    const store = Store.open(dir);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const incident = store.incidents.get('city:A')!;
    expect(incident).toMatchObject({ status: 'acknowledged', priority: 3, title: 'Vol' });
    expect(incident.operatorOwned).toBeUndefined();
    // The feed repeating itself is still "nothing new".
    expect(store.incidents.differs('city:A', { externalId: 'A', category: 'theft', priority: 3, status: 'acknowledged', title: 'Vol', lon: 5.37, lat: 43.29, occurredAt: 1000 })).toBe(false);
    expect(store.audit.verify()).toEqual({ ok: true, rows: 0 });
    store.close();
  });
});
