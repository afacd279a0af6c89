import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { writePmtiles } from '../city/pmtilesWriter';
import { tempDir } from '../../../test/helpers';

const operator: CallContext = { user: 'amartin', role: 'operator', origin: 'test' };
const opened: VigieCore[] = [];
afterEach(async () => {
  for (const core of opened.splice(0)) await core.close();
});

function open(profile: string, config?: unknown): VigieCore {
  if (config) fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify(config));
  const core = new VigieCore(profile, { profileDir: profile, demo: false, policyFile: path.join(profile, 'no-policy.json') });
  opened.push(core);
  return core;
}

async function reply(core: VigieCore, method: string, params: unknown = {}, ctx = operator) {
  return (await dispatch(core.api, { t: 'req', id: 1, method, params }, ctx, core.dispatchHooks)) as { ok: boolean; result?: unknown; error?: { code: string; message: string } };
}

/** A profile holding what an attacker wants to read: a credentials file. */
function profileWithSecrets(): string {
  const profile = tempDir();
  fs.mkdirSync(path.join(profile, 'secrets'));
  fs.writeFileSync(path.join(profile, 'secrets', 'credentials.json'), '{"feed":{"bearer":"s3cret"}}', { mode: 0o600 });
  return profile;
}

function pmtiles(file: string): void {
  writePmtiles(file, [{ z: 0, x: 0, y: 0, data: new Uint8Array([0x1a, 0x00]) }], { tileType: 'mvt', bounds: [5.2, 43.1, 5.6, 43.4], minZoom: 0, maxZoom: 0, center: [5.4, 43.3], centerZoom: 0, metadata: { name: 'Marseille offline' } });
}

describe('a desk user changes only personal settings', () => {
  it('refuses a file path as the basemap with a sentence, journals the refusal and writes nothing', async () => {
    const profile = profileWithSecrets();
    const core = open(profile);
    const r = await reply(core, 'settings.set', { key: 'basemap', value: 'secrets/credentials.json' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('is not one of the basemaps deployed here (builtin)') } });
    expect(fs.existsSync(path.join(profile, 'settings.json'))).toBe(false);
    expect(core.store.audit.list({ limit: 1 })[0]).toMatchObject({ user: 'amartin', action: 'refused', target: 'settings.set basemap', reason: expect.stringContaining('secrets/credentials.json') });
  });

  it('refuses the update switch and URL to a desk user, journaled', async () => {
    const core = open(tempDir());
    const r = await reply(core, 'settings.set', { key: 'updates', value: { enabled: true, url: 'https://evil.example/releases' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/"updates" is not a personal setting: IT sets it/) } });
    expect(core.store.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'refused', target: 'settings.set updates' });
    expect(((await reply(core, 'settings.get')).result as { values: { updates: unknown }; locked: string[] }).values.updates).toEqual({ enabled: false, url: null });
  });

  it('takes the update URL from config.json, which IT writes, and shows it locked', async () => {
    const core = open(tempDir(), { updates: { enabled: true, url: 'https://updates.ville.example/vigie' } });
    const settings = (await reply(core, 'settings.get')).result as { values: { updates: unknown }; sources: Record<string, string>; locked: string[] };
    expect(settings.values.updates).toEqual({ enabled: true, url: 'https://updates.ville.example/vigie' });
    expect(settings.sources.updates).toBe('profile');
    expect(settings.locked).toContain('updates');
  });

  it('ignores a path or update URL left in settings.json by an older version: nothing of the file is served after a restart', async () => {
    const profile = profileWithSecrets();
    fs.writeFileSync(path.join(profile, 'settings.json'), JSON.stringify({ basemap: 'secrets/credentials.json', updates: { enabled: true, url: 'https://evil.example' }, trailMinutes: 30 }));
    const core = open(profile);
    expect(await reply(core, 'map.basemap')).toMatchObject({ ok: true, result: { kind: 'builtin' } });
    expect(await reply(core, 'map.basemapBytes', { offset: 0, length: 64 })).toMatchObject({ ok: true, result: { base64: '' } });
    const settings = (await reply(core, 'settings.get')).result as { values: { trailMinutes: number; updates: unknown } };
    expect(settings.values).toMatchObject({ trailMinutes: 30, updates: { enabled: false, url: null } });
  });

  it('lets a desk user choose among the basemaps IT deployed, by name, and serves that file', async () => {
    const profile = tempDir();
    pmtiles(path.join(profile, 'marseille.pmtiles'));
    const config = { basemaps: { Marseille: { type: 'pmtiles', path: 'marseille.pmtiles' } } };
    const core = open(profile, config);
    const set = await reply(core, 'settings.set', { key: 'basemap', value: 'Marseille' });
    expect(set).toMatchObject({ ok: true, result: { values: { basemap: 'Marseille' }, basemaps: ['builtin', 'Marseille'] } });
    await core.close();
    opened.pop();
    const again = open(profile);
    // Read back by the pmtiles npm package: the header we did not parse ourselves.
    expect(await reply(again, 'map.basemap')).toMatchObject({ ok: true, result: { kind: 'pmtiles', name: 'Marseille offline' } });
    const bytes = (await reply(again, 'map.basemapBytes', { offset: 0, length: 7 })).result as { base64: string };
    expect(Buffer.from(bytes.base64, 'base64').toString()).toBe('PMTiles');
  });
});

describe('basemap bytes come only from checked files inside the deployed folders', () => {
  it('refuses a file that is not a PMTiles archive before serving a byte of it', async () => {
    const profile = profileWithSecrets();
    fs.copyFileSync(path.join(profile, 'secrets', 'credentials.json'), path.join(profile, 'map.pmtiles'));
    const core = open(profile, { basemap: { type: 'pmtiles', path: 'map.pmtiles' } });
    const r = await reply(core, 'map.basemapBytes', { offset: 0, length: 64 });
    expect(r.ok).toBe(false);
    expect(r.error!.message).toMatch(/is not a PMTiles v3 archive/);
    expect(JSON.stringify(r)).not.toContain(Buffer.from('{"feed":{"bearer').toString('base64').slice(0, 12));
  });

  it('refuses a symbolic link in the profile that leads outside the deployed folders', async () => {
    const outside = tempDir();
    pmtiles(path.join(outside, 'elsewhere.pmtiles'));
    const profile = tempDir();
    fs.symlinkSync(path.join(outside, 'elsewhere.pmtiles'), path.join(profile, 'map.pmtiles'));
    const core = open(profile, { basemap: { type: 'pmtiles', path: 'map.pmtiles' } });
    const r = await reply(core, 'map.basemapBytes', { offset: 0, length: 7 });
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringContaining('outside the folders IT deployed maps in') } });
  });

  it('refuses an .mbtiles that is not an MBTiles database', async () => {
    const profile = tempDir();
    fs.writeFileSync(path.join(profile, 'city.mbtiles'), 'root:x:0:0:root:/root:/bin/bash\n');
    const core = open(profile, { basemap: { type: 'mbtiles', path: 'city.mbtiles' } });
    expect(await reply(core, 'map.basemapTile', { z: 0, x: 0, y: 0 })).toMatchObject({ ok: false, error: { message: expect.stringContaining('is not an MBTiles (SQLite) file') } });
  });
});
