import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../../test/helpers';
import { addHubUser, addWorkstation } from './credentials';
import { freePort, makeOwnedDir, NO_POSTGRES, pgRun, postgresBinDir, startPgCluster, type PgCluster } from './pgCluster';
import { startHubProcess, startSeat, waitFor, type HubProcess, type Seat } from './testing';

const bin = postgresBinDir();
if (!bin) console.warn(`[skip] hub failover test: ${NO_POSTGRES}`);

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * docs/hub.md, as a test: a PostgreSQL primary with a synchronous streaming replica (made with
 * pg_basebackup -R), two hubs on the primary (the second stands by), workstations that know both
 * hubs. Hub 1 is killed: hub 2 takes over and nothing acknowledged is lost. Then the primary dies:
 * the replica is promoted, a hub starts on it, and still nothing acknowledged is lost.
 */
describe.skipIf(!bin)('two hubs, a primary and its streaming replica', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  }, 60_000);

  it('hub 1 killed: the seats move to hub 2; primary lost: the promoted replica has every acknowledged action', async () => {
    const primary = await startPgCluster();
    cleanup.push(() => primary.destroy());
    // The replica, as docs/hub.md says: a base backup with -R (standby.signal + primary_conninfo).
    const replicaDir = makeOwnedDir('vigie-10-replica-');
    pgRun(bin!, 'pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream', '--checkpoint=fast']);
    const replica: PgCluster = await startPgCluster({ dataDir: replicaDir, skipInit: true });
    cleanup.push(() => replica.destroy());
    // Synchronous: a commit (hence an acknowledgement) waits until the replica has it.
    await query(primary.url, "ALTER SYSTEM SET synchronous_standby_names = '*'");
    await query(primary.url, 'SELECT pg_reload_conf()');
    const sync = async () => (await query<{ sync_state: string }>(primary.url, 'SELECT sync_state FROM pg_stat_replication'))[0]?.sync_state;
    for (let i = 0; i < 100 && (await sync()) !== 'sync'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await sync()).toBe('sync');

    const dir = tempDir('vigie-10-failover-');
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const feed: FeedServer = await startFeedServer(featureCollection(['F1', 'F2', 'F3'].map((id) => incidentFeature(id))));
    cleanup.push(() => feed.close());
    const credentials = path.join(dir, 'hub-credentials.json');
    const secretA = addWorkstation(credentials, 'ws-a');
    const secretB = addWorkstation(credentials, 'ws-b');
    addHubUser(credentials, 'alice', 'supervisor', ['ws-a']);
    addHubUser(credentials, 'bruno', 'supervisor', ['ws-b']);
    const hubArgs = async (name: string, url: string) => {
      const state = path.join(dir, name);
      fs.mkdirSync(state, { recursive: true });
      fs.writeFileSync(path.join(state, 'config.json'), JSON.stringify({ feeds: [{ id: 'city', type: 'geojson', label: 'City', url: feed.url, intervalSeconds: 0.5 }], demo: false }));
      const port = await freePort();
      return { port, args: ['--pg', url, '--port', String(port), '--state', state, '--credentials', credentials, '--no-demo'] };
    };
    const h1 = await hubArgs('hub1', primary.url);
    const h2 = await hubArgs('hub2', primary.url);
    const hub1: HubProcess = await startHubProcess(h1.args);
    cleanup.push(() => hub1.stop('SIGKILL'));
    const hub2: HubProcess = await startHubProcess(h2.args, {}, 'standby');
    cleanup.push(() => hub2.stop('SIGKILL'));
    const urls = [`ws://127.0.0.1:${h1.port}/hub`, `ws://127.0.0.1:${h2.port}/hub`];
    const a: Seat = startSeat(path.join(dir, 'a'), { urls, workstation: 'ws-a', secret: secretA, user: 'alice' });
    const b: Seat = startSeat(path.join(dir, 'b'), { urls, workstation: 'ws-b', secret: secretB, user: 'bruno' });
    cleanup.push(() => a.close(), () => b.close());
    await waitFor('the feed on both seats', () => [a, b].every((s) => s.core.store.incidents.get('city:F3') !== null), 20_000);

    a.call('incidents.acknowledge', { id: 'city:F1' });
    for (let i = 0; i < 10; i++) a.call('incidents.addNote', { id: 'city:F1', text: `before ${i}` });
    await waitFor('all acknowledged by hub 1', () => a.sync.status().pending.length === 0);

    await hub1.stop('SIGKILL');
    await waitFor('hub 2 active', () => /Vigie hub listening/.test(hub2.output()), 30_000);
    b.call('incidents.acknowledge', { id: 'city:F2' });
    await waitFor('B on hub 2, its action on A', () => a.core.store.incidents.get('city:F2')?.status === 'acknowledged', 30_000);
    expect(b.sync.status().hub).toBe(urls[1]);
    await waitFor('B acknowledged', () => b.sync.status().pending.length === 0);

    // The primary is lost: promote the replica (PostgreSQL's own failover) and run a hub on it.
    const acked = [a, b].flatMap((s) => (s.core.store.db.prepare("SELECT uid FROM sync_outbox WHERE status = 'acked'").all() as { uid: string }[]).map((r) => r.uid));
    expect(acked).toHaveLength(12);
    await hub2.stop('SIGKILL');
    primary.stop('immediate');
    pgRun(bin!, 'pg_ctl', ['-D', replicaDir, '-w', 'promote']);
    const onReplica = new Set((await query<{ uid: string }>(replica.url, 'SELECT uid FROM hub_log WHERE uid IS NOT NULL')).map((r) => r.uid));
    for (const uid of acked) expect(onReplica.has(uid)).toBe(true);
    const h3 = { args: [...h1.args] };
    h3.args[1] = replica.url;
    const hub3 = await startHubProcess(h3.args);
    cleanup.push(() => hub3.stop('SIGKILL'));
    a.call('incidents.close', { id: 'city:F3', reason: 'after the failover' });
    await waitFor('the close on B through the promoted replica', () => b.core.store.incidents.get('city:F3')?.status === 'closed', 30_000);
  }, 180_000);
});
