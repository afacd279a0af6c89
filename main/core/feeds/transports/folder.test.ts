import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../bus';
import { FeedConfig } from '../../config';
import { Store } from '../../store';
import { DropFolderFeed } from './folder';
import { featureCollection, incidentFeature, tempDir } from '../../../../test/helpers';
import { waitFor } from '../../../../test/feedServers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

function dropFolder(extra: Record<string, unknown> = {}) {
  const folder = path.join(tempDir(), 'drop');
  const store = Store.open(tempDir());
  const feed = new DropFolderFeed({ store, bus: new EventBus() }, FeedConfig.parse({ id: 'drop', type: 'geojson', path: folder, intervalSeconds: 0.25, ...extra }));
  feed.start();
  cleanups.push(() => store.close());
  cleanups.push(() => feed.stop());
  return { feed, store, folder };
}

const ls = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

/** Writes a file as a careful writer does: under a temporary name, then renamed. */
function drop(folder: string, name: string, content: string) {
  fs.writeFileSync(path.join(folder, `${name}.part`), content);
  fs.renameSync(path.join(folder, `${name}.part`), path.join(folder, name));
}

describe('a drop folder', () => {
  it('stores a dropped file and does not keep it (its raw bytes hold what the privacy policy scrubbed)', async () => {
    const { store, folder, feed } = dropFolder();
    await waitFor(() => fs.existsSync(folder), 2000, 'the folder');
    drop(folder, 'batch1.geojson', featureCollection([incidentFeature('A'), incidentFeature('B')]));
    await waitFor(() => store.incidents.total() === 2, 5000, 'two incidents');
    await waitFor(() => ls(folder).length === 0, 5000, 'the file removed');
    expect(fs.existsSync(path.join(folder, 'done'))).toBe(false);
    expect(feed.status()).toMatchObject({ transport: 'folder', state: 'ok', stored: 2 });
  });

  it('leaves files being written alone until they are renamed', async () => {
    const { store, folder, feed } = dropFolder();
    await waitFor(() => fs.existsSync(folder), 2000, 'the folder');
    const part = path.join(folder, 'big.geojson.part');
    fs.writeFileSync(part, featureCollection([incidentFeature('P')]).slice(0, 30));
    // Older than the settle time, so only its name keeps it from being read; a scan we wait for
    // (instead of a fixed delay) has seen it.
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(part, old, old);
    await feed.scanOnce();
    await feed.scanOnce();
    expect(store.incidents.total()).toBe(0);
    expect(store.quarantine.count()).toBe(0);
    fs.writeFileSync(path.join(folder, 'big.geojson.part'), featureCollection([incidentFeature('P')]));
    fs.renameSync(path.join(folder, 'big.geojson.part'), path.join(folder, 'big.geojson'));
    await waitFor(() => store.incidents.total() === 1, 5000, 'the incident');
  });

  it('quarantines the bad records of a file, stores the good ones, and sets aside an oversize file', async () => {
    const { store, folder } = dropFolder({ maxPayloadBytes: 4096 });
    await waitFor(() => fs.existsSync(folder), 2000, 'the folder');
    drop(folder, 'mixed.geojson', featureCollection([incidentFeature('OK'), incidentFeature('BAD', {}, [500, 43])]));
    drop(folder, 'huge.geojson', featureCollection(Array.from({ length: 50 }, (_, i) => incidentFeature(`H${i}`))));
    await waitFor(() => store.quarantine.count() === 2, 5000, 'two quarantined');
    expect(store.incidents.total()).toBe(1);
    const reasons = store.quarantine.list(5).map((q) => q.reason).join('\n');
    expect(reasons).toMatch(/outside WGS84 bounds/);
    expect(reasons).toMatch(/huge\.geojson of \d+ bytes is over this feed's limit of 4096 bytes/);
    await waitFor(() => ls(path.join(folder, 'failed')).length === 1, 5000, 'huge moved to failed/');
  });

  it('reads a file left behind by a crash again without storing anything twice', async () => {
    const { store, folder, feed } = dropFolder();
    await waitFor(() => fs.existsSync(folder), 2000, 'the folder');
    const content = featureCollection([incidentFeature('A')]);
    drop(folder, 'one.geojson', content);
    await waitFor(() => store.incidents.total() === 1, 5000, 'A');
    // As if the process died after storing and before moving the file.
    drop(folder, 'one-again.geojson', content);
    await waitFor(() => ls(folder).length === 0, 5000, 'both read');
    expect(store.incidents.total()).toBe(1);
    expect((store.db.prepare("SELECT count(*) AS n FROM events WHERE kind = 'incident.upsert'").get() as { n: number }).n).toBe(1);
    expect(feed.status().stored).toBe(2);
  });

  it('deletes failed/ copies, and done/ copies left by earlier versions, once past the feed’s retention', async () => {
    const { feed, folder } = dropFolder({ privacy: { retentionDays: 30 } });
    await waitFor(() => fs.existsSync(folder), 2000, 'the folder');
    for (const sub of ['failed', 'done']) fs.mkdirSync(path.join(folder, sub), { recursive: true });
    const now = Date.parse('2026-12-05T08:00:00Z');
    fs.writeFileSync(path.join(folder, 'failed', '2026-10-01T09-00-00-000Z-old.geojson'), '{"name":"Jean Dupont"}');
    fs.writeFileSync(path.join(folder, 'failed', '2026-11-30T09-00-00-000Z-recent.geojson'), '{}');
    fs.writeFileSync(path.join(folder, 'done', '2026-09-01T09-00-00-000Z-legacy.geojson'), '{"phone":"0600000000"}');
    // A copy without the stamp: its modification time says how old it is.
    const unstamped = path.join(folder, 'failed', 'copied-by-hand.geojson');
    fs.writeFileSync(unstamped, '{}');
    fs.utimesSync(unstamped, new Date(now - 40 * 86_400_000), new Date(now - 40 * 86_400_000));
    expect(await feed.purgeCopies(now)).toBe(3);
    expect(ls(path.join(folder, 'failed'))).toEqual(['2026-11-30T09-00-00-000Z-recent.geojson']);
    expect(ls(path.join(folder, 'done'))).toEqual([]);
  });
});
