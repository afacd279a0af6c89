// Child process of main/core/ingest/crash.test.ts: ingests batches of incidents into a profile as
// fast as it can, printing "ack <run> <batch>" after each commit, until it is killed.
import fs from 'node:fs';
import { Store } from '../main/core/store';
import { ingestBatch } from '../main/core/ingest/ingest';
import type { FeedRecord } from '../common/domain/feedRecord';

const [dir, run] = process.argv.slice(2) as [string, string];
const store = Store.open(dir);
const BATCH = 200;
for (let batch = 0; ; batch++) {
  const records: FeedRecord[] = [];
  for (let i = 0; i < BATCH; i++) {
    records.push({ kind: 'incident', externalId: `${run}-${batch}-${i}`, category: 'noise', priority: 4, status: 'new', title: 'Tapage', lon: 5.37 + i * 1e-5, lat: 43.3, occurredAt: Date.now() - 60_000 });
  }
  ingestBatch(store, { id: 'crash', simulated: false }, { records, errors: [{ raw: `bad ${run}-${batch}`, reason: 'test' }] }, Date.now());
  fs.writeSync(1, `ack ${run} ${batch}\n`);
}
