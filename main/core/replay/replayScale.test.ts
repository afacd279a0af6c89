import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import { tempDir } from '../../../test/helpers';
import { Store } from '../store';
import { ingestBatch } from '../ingest/ingest';
import { pictureAt } from './stateAt';

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-21T00:00:00Z');
const PER_DAY = 500;
const DAYS = 100;

interface Generated {
  externalId: string;
  occurredAt: number;
  closedAt: number;
  priority: number;
}

/**
 * 100 days of 500 incidents (100,000 feed events): the first day through the normal ingest, the
 * other 99 copies of it shifted by whole days, written by SQL in one go (ingest of them all would
 * take a minute of this test). Returns what was generated, the oracle of what was open when.
 */
function longHistory(store: Store): Generated[] {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const day: Generated[] = [];
  for (let i = 0; i < PER_DAY; i++) {
    const occurredAt = T0 + Math.floor(random() * (DAY - 2 * 3600_000));
    day.push({ externalId: `I${i}`, occurredAt, closedAt: occurredAt + (5 + Math.floor(random() * 115)) * 60_000, priority: 1 + Math.floor(random() * 4) });
  }
  const base = (g: Generated) => ({ kind: 'incident', externalId: g.externalId, category: 'theft', priority: g.priority, title: g.externalId, lon: 5.37, lat: 43.29, occurredAt: g.occurredAt });
  const records = day.flatMap((g) => [{ ...base(g), status: 'new' }, { ...base(g), status: 'closed', closedAt: g.closedAt }]) as (FeedRecord & { occurredAt: number; closedAt?: number })[];
  records.sort((a, b) => (a.closedAt ?? a.occurredAt) - (b.closedAt ?? b.occurredAt));
  ingestBatch(store, { id: 'cad', simulated: false }, { records, errors: [] }, T0, { eventTime: (r) => (r as { closedAt?: number }).closedAt ?? (r as { occurredAt: number }).occurredAt });

  const seqs = store.db.prepare('SELECT max(seq) FROM events').pluck().get() as number;
  const rids = store.db.prepare('SELECT max(rowid) FROM incidents').pluck().get() as number;
  const columns = store.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('incidents') as string[];
  const renumber = (text: string, d: number) => `'I' || (CAST(substr(${text}, 2) AS INTEGER) + ${d * PER_DAY})`;
  store.db.transaction(() => {
    for (let d = 1; d < DAYS; d++) {
      const shift = d * DAY;
      const fields = `'$.externalId', ${renumber("payload ->> '$.externalId'", d)}, '$.title', ${renumber("payload ->> '$.title'", d)}, '$.occurredAt', (payload ->> '$.occurredAt') + ${shift}`;
      const shifted: Record<string, string> = { id: `'cad:' || ${renumber('external_id', d)}`, external_id: renumber('external_id', d), title: renumber('title', d), occurred_at: `occurred_at + ${shift}`, closed_at: `closed_at + ${shift}`, feed_closed_at: `feed_closed_at + ${shift}`, seq: `seq + ${d * seqs}` };
      store.db.exec(`
        INSERT INTO events (seq, uid, hlc, t, source, kind, entity, payload)
          SELECT seq + ${d * seqs}, uid || '~${d}', hlc, t + ${shift}, source, kind, 'cad:' || ${renumber('substr(entity, 5)', d)},
                 CASE WHEN payload ->> '$.closedAt' IS NULL THEN json_set(payload, ${fields})
                      ELSE json_set(payload, ${fields}, '$.closedAt', (payload ->> '$.closedAt') + ${shift}) END
          FROM events WHERE seq <= ${seqs} AND kind = 'incident.upsert';
        INSERT INTO incidents (rowid, ${columns.join(', ')})
          SELECT rowid + ${d * rids}, ${columns.map((c) => shifted[c] ?? c).join(', ')} FROM incidents WHERE rowid <= ${rids};
        INSERT INTO incidents_rtree SELECT rid + ${d * rids}, min_lon, max_lon, min_lat, max_lat, open_from + ${shift / 1000}, open_until + ${shift / 1000}
          FROM incidents_rtree WHERE rid <= ${rids};
      `);
    }
  })();
  store.log.resync();
  return Array.from({ length: DAYS }, (_, d) =>
    day.map((g) => ({ ...g, externalId: `I${Number(g.externalId.slice(1)) + d * PER_DAY}`, occurredAt: g.occurredAt + d * DAY, closedAt: g.closedAt + d * DAY })),
  ).flat();
}

/** The JS heap in use once garbage is collected: what a seek leaves behind, not what it used on the way. */
function retainedHeap(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('replay over a long history', () => {
  it('seeks anywhere in 100 days of 50,000 incidents holding nothing per stored event, and shows what was open then', () => {
    const store = Store.open(tempDir());
    const generated = longHistory(store);
    expect(store.db.prepare("SELECT count(*) FROM events WHERE kind = 'incident.upsert'").pluck().get()).toBe(2 * DAYS * PER_DAY);
    // Code warm (compiled, lazily built constants) on another profile: what follows is the cost of the data.
    const other = Store.open(tempDir());
    pictureAt(other, T0);
    other.close();

    const before = retainedHeap();
    const at = T0 + 77 * DAY + 13 * 3_600_000;
    const picture = pictureAt(store, at); // the first seek of this data service
    const retained = retainedHeap() - before;

    // Independent of the code under test: the generated incidents open at that instant.
    const open = generated.filter((g) => g.occurredAt <= at && g.closedAt > at).sort((a, b) => b.occurredAt - a.occurredAt);
    expect(open.length).toBeGreaterThan(10);
    expect(picture.incidents.map((i) => [i.externalId, i.status, i.priority, i.occurredAt])).toEqual(open.map((g) => [g.externalId, 'new', g.priority, g.occurredAt]));
    // A timeline of every incident event held in JS (the former design) kept about 20 MB here; the
    // seek now keeps only its bounded cache of the few dozen incidents open then.
    expect(retained).toBeLessThan(3_000_000);
    store.close();
  }, 60_000); // building the history takes most of it, and this machine is shared
});
