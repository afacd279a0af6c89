import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core/core';
import { storeAndPublish } from '../core/feeds/scheduler';
import { geojsonAdapter } from '../core/feeds/geojson';
import { RpcError } from '../../common/rpc';
import type { Role } from '../../common/domain/roles';
import { serve, type RunningServer } from './websocket';
import { rendererCsp } from '../core/net/csp';
import { featureCollection, incidentFeature, tempDir } from '../../test/helpers';
import { clientOver, connect } from '../../test/browserClient';

let running: { core: VigieCore; server: RunningServer }[] = [];
afterEach(async () => {
  for (const { core, server } of running) {
    await server.close();
    await core.close();
  }
  running = [];
});

async function start(role: Role = 'supervisor') {
  const profileDir = tempDir();
  const rendererDir = tempDir('vigie-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Vigie</title>');
  const core = new VigieCore(profileDir, { profileDir, demo: false });
  const server = await serve(core, { host: '127.0.0.1', port: 0, rendererDir, role });
  running.push({ core, server });
  return { core, server, origin: `http://127.0.0.1:${server.port}` };
}

describe('browser mode server', () => {
  it('refuses WebSocket connections without the token or from another origin', async () => {
    const { server, origin } = await start();
    await expect(connect(server.port, 'wrong-token-of-the-same-len', origin)).rejects.toThrow(/HTTP 403/);
    await expect(connect(server.port, '', origin)).rejects.toThrow(/HTTP 403/);
    await expect(connect(server.port, server.token, 'http://evil.example')).rejects.toThrow(/HTTP 403/);
    const ws = await connect(server.port, server.token, origin);
    ws.close();
  });

  it('serves the renderer with a strict content security policy', async () => {
    const { server } = await start();
    const response = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'.*script-src 'self'/);
    const escape = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).not.toMatch(/root:/);
  });

  it('serves the one renderer CSP that Electron also uses, its WebSocket origins the only addition', async () => {
    const { server } = await start();
    const served = (await fetch(`http://127.0.0.1:${server.port}/`)).headers.get('content-security-policy') ?? '';
    const ws = [`ws://127.0.0.1:${server.port}`, `ws://localhost:${server.port}`];
    expect(served).toBe(rendererCsp(ws));
    // Electron serves rendererCsp() (main/electron/security.ts): the same text once the origins go.
    expect(served.replace(` ${ws[0]} ${ws[1]}`, '')).toBe(rendererCsp());
    expect(rendererCsp()).toContain("connect-src 'self';");
  });

  it('answers contract calls and pushes incidents as they are stored', async () => {
    const { core, server, origin } = await start();
    const client = clientOver(await connect(server.port, server.token, origin));
    const who = await client.call('session.whoami');
    expect(who).toMatchObject({ role: 'supervisor', demo: false });
    const pushed = new Promise((resolve) => client.on('incident.changed', ({ incident }) => resolve(incident)));
    const parsed = geojsonAdapter.parse(featureCollection([incidentFeature('LIVE-1')]), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: Date.now() });
    storeAndPublish(core, { id: 'city', simulated: false }, parsed, Date.now());
    await expect(pushed).resolves.toMatchObject({ id: 'city:LIVE-1', title: 'Incident LIVE-1' });
    await expect(client.call('incidents.list')).resolves.toHaveLength(1);
    await expect(client.call('incidents.get', { id: 'city:LIVE-1' })).resolves.toMatchObject({ externalId: 'LIVE-1' });
  });

  it('rejects bad parameters, unknown methods and callers without the role', async () => {
    const { server, origin } = await start('auditor');
    const client = clientOver(await connect(server.port, server.token, origin));
    await expect(client.call('audit.list', { limit: -3 })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/limit/) });
    await expect(client.call('no.such' as 'incidents.list')).rejects.toMatchObject({ code: 'not_found' });
    const forbidden = client.call('quarantine.list');
    await expect(forbidden).rejects.toBeInstanceOf(RpcError);
    await expect(forbidden).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/auditor/) });
  });

  it('fails calls in flight when the connection drops, instead of hanging', async () => {
    const { server, origin } = await start();
    const ws = await connect(server.port, server.token, origin);
    const client = clientOver(ws);
    const pending = client.call('map.cityPack');
    ws.terminate();
    await expect(pending).rejects.toMatchObject({ code: 'unavailable' });
  });
});
