import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../../test/helpers';
import { waitFor } from '../../../test/feedServers';

let core: VigieCore | null = null;
let server: FeedServer | null = null;
afterEach(async () => {
  await core?.close();
  await server?.close();
  core = server = null;
});

function profileWith(config: unknown): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}
const readConfig = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));

describe('editing feeds from the app', () => {
  it('adds a feed to config.json, keeping the rest of the file, and starts it at once', async () => {
    server = await startFeedServer(featureCollection([incidentFeature('A')]));
    const dir = profileWith({ feeds: [{ id: 'old', type: 'geojson', url: 'http://127.0.0.1:9/x', maxPayloadBytes: 4096 }], demo: false, note: 'deployed by IT' });
    core = new VigieCore(dir, { profileDir: dir });
    core.start();
    const status = await core.feedAdmin.save({ id: 'city', type: 'geojson', label: 'Ville', url: server.url, intervalSeconds: 1, privacy: { purpose: 'Dispatch', retentionDays: 30 } });
    expect(status).toMatchObject({ id: 'city', label: 'Ville', purpose: 'Dispatch', retentionDays: 30 });
    await waitFor(() => core!.store.incidents.total() === 1, 5000, 'the new feed to store');
    const file = readConfig(dir);
    expect(file.note).toBe('deployed by IT');
    expect(file.feeds.map((f: { id: string }) => f.id)).toEqual(['old', 'city']);
    expect(file.feeds[0].maxPayloadBytes).toBe(4096);
  });

  it('refuses an invalid feed, naming the field, and leaves config.json as it was', async () => {
    const dir = profileWith({ feeds: [], demo: false });
    core = new VigieCore(dir, { profileDir: dir });
    const before = fs.readFileSync(path.join(dir, 'config.json'), 'utf8');
    await expect(core.feedAdmin.save({ id: 'Bad Id', type: 'geojson', url: 'http://x' })).rejects.toThrow(/id: lower-case letters/);
    await expect(core.feedAdmin.save({ id: 'csv', type: 'csv', url: 'http://127.0.0.1:9/x.csv' })).rejects.toThrow(/has invalid options: options\.kind/);
    await expect(core.feedAdmin.save({ id: 'pol', type: 'geojson', url: 'http://127.0.0.1:9/x', privacy: { fields: { lat: 'drop' } } })).rejects.toThrow(/incident\.lat is required and cannot be dropped/);
    expect(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(before);
    expect(core.feeds).toHaveLength(0);
  });

  it('edits a feed in place and removes one, stopping it', async () => {
    const dir = profileWith({ feeds: [{ id: 'a', type: 'geojson', url: 'http://127.0.0.1:9/a' }, { id: 'b', type: 'cot', transport: 'udp', listen: { port: 0 } }], demo: false });
    core = new VigieCore(dir, { profileDir: dir });
    core.start();
    await core.feedAdmin.save({ id: 'a', type: 'geojson', url: 'http://127.0.0.1:9/a2', intervalSeconds: 60 });
    expect(readConfig(dir).feeds).toEqual([{ id: 'a', type: 'geojson', url: 'http://127.0.0.1:9/a2', intervalSeconds: 60 }, { id: 'b', type: 'cot', transport: 'udp', listen: { port: 0 } }]);
    expect(await core.feedAdmin.remove('b')).toBe(true);
    expect(readConfig(dir).feeds.map((f: { id: string }) => f.id)).toEqual(['a']);
    expect(core.feeds.map((f) => f.id)).toEqual(['a']);
    expect(await core.feedAdmin.remove('b')).toBe(false);
  });
});
