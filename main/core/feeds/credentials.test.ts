import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../bus';
import { FeedConfig } from '../config';
import { Store } from '../store';
import { authHeader, credentialsPath, loadCredentials, saveCredential } from './credentials';
import { createRunner } from './scheduler';
import { HttpPollFeed } from './transports/poll';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';
import { startRouteServer, startWsFeedServer, waitFor, type RouteServer } from '../../../test/feedServers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

function guarded(server: RouteServer, expected: string) {
  server.route('/incidents.geojson', (req, res) => {
    if (req.headers.authorization !== expected) return void res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('who are you?');
    res.writeHead(200).end(featureCollection([incidentFeature('A')]));
  });
}

describe('feed credentials', () => {
  it('are kept in a 0600 file, sent to the feed, and appear in no status', async () => {
    const dir = tempDir();
    saveCredential(dir, 'city', { bearer: 's3cret-token' });
    expect(fs.statSync(credentialsPath(dir)).mode & 0o777).toBe(0o600);
    const server = await startRouteServer();
    cleanups.push(() => server.close());
    guarded(server, 'Bearer s3cret-token');
    const store = Store.open(dir);
    cleanups.push(() => store.close());
    const credentials = loadCredentials(dir);
    const feed = new HttpPollFeed({ store, bus: new EventBus(), credentialFor: (id) => credentials[id] }, FeedConfig.parse({ id: 'city', type: 'geojson', url: `${server.base}/incidents.geojson` }));
    await feed.pollOnce();
    expect(store.incidents.total()).toBe(1);
    expect(JSON.stringify(feed.status())).not.toContain('s3cret');
  });

  it('says so when the feed refuses us, without repeating a password written into the URL', async () => {
    const server = await startRouteServer();
    cleanups.push(() => server.close());
    guarded(server, authHeader({ basic: { username: 'vigie', password: 'right' } }).authorization!);
    const store = Store.open(tempDir());
    cleanups.push(() => store.close());
    const url = `${server.base.replace('http://', 'http://vigie:wrong@')}/incidents.geojson`;
    const feed = new HttpPollFeed({ store, bus: new EventBus() }, FeedConfig.parse({ id: 'city', type: 'geojson', url }));
    await feed.pollOnce();
    expect(feed.status().lastError).toMatch(/HTTP 401 Unauthorized from http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1/);
    expect(JSON.stringify(feed.status())).not.toContain('wrong');
    expect(server.hits[0]!.headers.authorization).toBe(authHeader({ basic: { username: 'vigie', password: 'wrong' } }).authorization);
  });

  it('go with a WebSocket handshake', async () => {
    const server = await startWsFeedServer();
    cleanups.push(() => server.close());
    const store = Store.open(tempDir());
    cleanups.push(() => store.close());
    const feed = createRunner({ store, bus: new EventBus(), credentialFor: () => ({ header: { name: 'X-Api-Key', value: 'k-123' } }) }, FeedConfig.parse({ id: 'ws', type: 'geojson', url: server.url }));
    feed.start();
    cleanups.push(() => feed.stop());
    await waitFor(() => server.connections === 1, 5000, 'connect');
    expect(server.lastHeaders?.['x-api-key']).toBe('k-123');
  });

  it('refuse a credentials file that others can read, saying how to fix it', () => {
    const dir = tempDir();
    saveCredential(dir, 'city', { bearer: 't' });
    fs.chmodSync(credentialsPath(dir), 0o644);
    expect(() => loadCredentials(dir)).toThrow(/can be read by other users; run `chmod 600/);
  });
});

describe('feed credentials, where they are kept', () => {
  it('browser mode: the 0600 file, which the Feeds panel names, with the feeds that have one and never a secret', async () => {
    const { VigieCore } = await import('../core');
    const { dispatch } = await import('../rpc');
    const dir = tempDir('vigie-3-cred-');
    fs.writeFileSync(`${dir}/config.json`, JSON.stringify({ feeds: [], demo: false }));
    saveCredential(dir, 'city', { bearer: 's3cret-token' });
    const core = new VigieCore(dir, { profileDir: dir });
    cleanups.push(() => core.close());
    const reply = await dispatch(core.api, { t: 'req', id: 1, method: 'feeds.settings', params: {} }, { user: 'it', role: 'admin', origin: 'test' });
    expect(reply).toMatchObject({ ok: true, result: { credentials: { storage: 'file', location: credentialsPath(dir), feeds: ['city'] } } });
    expect(JSON.stringify(reply)).not.toContain('s3cret');
  });

  it('desktop app: what main hands over replaces the file and is what the feed sends', async () => {
    const { FeedCredentials } = await import('./credentials');
    const dir = tempDir('vigie-3-cred-');
    const credentials = new FeedCredentials(dir);
    credentials.handOver({ type: 'credentials', storage: 'os-keychain', credentials: { city: { bearer: 'from-keychain' } } });
    expect(credentials.describe()).toMatchObject({ storage: 'os-keychain', feeds: ['city'] });
    const server = await startRouteServer();
    cleanups.push(() => server.close());
    guarded(server, 'Bearer from-keychain');
    const store = Store.open(dir);
    cleanups.push(() => store.close());
    const feed = new HttpPollFeed({ store, bus: new EventBus(), credentialFor: (id) => credentials.get(id) }, FeedConfig.parse({ id: 'city', type: 'geojson', url: `${server.base}/incidents.geojson` }));
    await feed.pollOnce();
    expect(store.incidents.total()).toBe(1);
    // A malformed handover is refused: the file stays in use, and the panel says so.
    credentials.handOver({ type: 'credentials', storage: 'os-keychain', credentials: { city: { bearer: 42 } } });
    expect(credentials.describe()).toMatchObject({ storage: 'os-keychain', note: expect.stringMatching(/unreadable/) });
  });
});
