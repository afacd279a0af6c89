import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../../test/helpers';
import { addHubUser, addWorkstation } from './credentials';
import { freePort, NO_POSTGRES, postgresBinDir, startPgCluster, type PgCluster } from './pgCluster';
import { startCable, startHubProcess, startSeat, waitFor, type Cable, type HubProcess, type Seat } from './testing';

const havePg = postgresBinDir() !== null;
if (!havePg) console.warn(`[skip] hub backpressure test: ${NO_POSTGRES}`);

/** A feed of n incidents, all changed at each version (so every poll is a big batch). */
const bigFeed = (n: number, version: number) => featureCollection(Array.from({ length: n }, (_, i) => incidentFeature(`B${i}`, { title: `Incident B${i} v${version} `, description: `${version} ${'x'.repeat(3000)}`, priority: 1 + (version % 4) })));

const N = 400;

describe.skipIf(!havePg)('a slow workstation', () => {
  let cluster: PgCluster;
  let feed: FeedServer;
  let hub: HubProcess;
  let cable: Cable;
  let dir: string;
  let fast: Seat, slow: Seat;

  beforeAll(async () => {
    cluster = await startPgCluster();
    dir = tempDir('vigie-10-bp-');
    feed = await startFeedServer(bigFeed(N, 0));
    const state = path.join(dir, 'hub');
    fs.mkdirSync(state);
    fs.writeFileSync(path.join(state, 'config.json'), JSON.stringify({ feeds: [{ id: 'big', type: 'geojson', label: 'Big', url: feed.url, intervalSeconds: 0.25, maxPayloadBytes: 50_000_000 }], demo: false }));
    const credentials = path.join(dir, 'hub-credentials.json');
    const secretFast = addWorkstation(credentials, 'fast');
    const secretSlow = addWorkstation(credentials, 'slow');
    addHubUser(credentials, 'f', 'supervisor', ['fast']);
    addHubUser(credentials, 's', 'supervisor', ['slow']);
    const port = await freePort();
    hub = await startHubProcess(['--pg', cluster.url, '--port', String(port), '--state', state, '--credentials', credentials, '--no-demo'], { VIGIE_HUB_HEARTBEAT_MS: '120000' });
    cable = await startCable(port);
    fast = startSeat(path.join(dir, 'fast'), { urls: [hub.url], workstation: 'fast', secret: secretFast, user: 'f' });
    slow = startSeat(path.join(dir, 'slow'), { urls: [cable.url], workstation: 'slow', secret: secretSlow, user: 's' });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([fast, slow].filter(Boolean).map((s) => s.close()));
    await hub?.stop('SIGKILL');
    await cable?.close();
    await feed?.close();
    cluster?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('is fed from PostgreSQL once too far behind, not buffered without end, and ends with every entry', async () => {
    await waitFor('the first batch on both seats', () => fast.core.store.incidents.get('big:B399') !== null && slow.core.store.incidents.get('big:B399') !== null, 60_000);
    cable.stall(true);
    // About 1.2 MB per version: far more than the socket buffers and the hub's bound for one seat.
    const VERSIONS = 16;
    for (let v = 1; v <= VERSIONS; v++) {
      feed.setBody(bigFeed(N, v));
      await waitFor(`version ${v} on the live seat`, () => fast.core.store.incidents.get('big:B0')?.title.includes(` v${v} `) === true, 60_000);
    }
    await waitFor('the hub feeding the slow seat from the store', () => /slow is behind .*: fed from PostgreSQL/.test(hub.output()), 30_000);
    cable.stall(false);
    await waitFor('the slow seat caught up', () => slow.core.store.incidents.get('big:B399')?.title.includes(` v${VERSIONS} `) === true, 90_000);
    await waitFor('the slow seat live again', () => /slow caught up at \d+: live again/.test(hub.output()), 30_000);
    expect(slow.sync.status().cursor).toBe(fast.sync.status().cursor);
  }, 240_000);
});
