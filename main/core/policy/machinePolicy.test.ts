import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../common/domain/settings';
import { VigieCore } from '../core';
import { dispatch } from '../rpc';
import { loadMachinePolicy, LockedSettingError, machinePolicyPath, resolveSettings, UserSettings } from './machinePolicy';
import { tempDir } from '../../../test/helpers';

const cores: VigieCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});

function policyFile(policy: unknown): string {
  const file = path.join(tempDir(), 'policy.json');
  fs.writeFileSync(file, typeof policy === 'string' ? policy : JSON.stringify(policy));
  return file;
}

describe('the machine policy', () => {
  it('lives where IT expects it on each OS', () => {
    expect(machinePolicyPath('linux', {})).toBe('/etc/vigie/policy.json');
    expect(machinePolicyPath('win32', { ProgramData: 'C:\\ProgramData' })).toBe('C:\\ProgramData\\Vigie\\policy.json');
    expect(machinePolicyPath('darwin', {})).toBe('/Library/Application Support/Vigie/policy.json');
  });

  it('applies policy over user settings over defaults, key by key, and says where each came from', () => {
    const load = loadMachinePolicy(policyFile({ settings: { basemap: '/srv/maps/marseille.pmtiles' }, locked: ['updates'] }));
    const effective = resolveSettings({ basemap: 'https://tiles.example/style.json', trailMinutes: 30, updates: { enabled: true, url: 'https://evil.example' } }, load);
    expect(effective.values).toEqual({ ...DEFAULT_SETTINGS, basemap: '/srv/maps/marseille.pmtiles', trailMinutes: 30 });
    expect(effective.sources).toMatchObject({ basemap: 'policy', trailMinutes: 'user', updates: 'default', language: 'default' });
    expect(effective.locked.sort()).toEqual(['basemap', 'updates']);
  });

  it('refuses a user change to a locked setting, and keeps the others', () => {
    const profile = tempDir();
    const load = loadMachinePolicy(policyFile({ locked: ['trailMinutes'] }));
    const settings = new UserSettings(profile);
    expect(() => settings.set('trailMinutes', 30, resolveSettings(settings.read(), load))).toThrow(LockedSettingError);
    settings.set('language', 'fr', resolveSettings(settings.read(), load));
    expect(resolveSettings(new UserSettings(profile).read(), load).values.language).toBe('fr');
  });

  it('refuses an invalid policy with an error naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ settings: { trailMinutes: 'many' } }, /settings\.trailMinutes: .*number/],
      [{ setings: {} }, /setings/],
      [{ roles: { users: { alice: 'boss' } } }, /roles\.users\.alice/],
      [{ feeds: [{ id: 'x', type: 'geojson', url: 'not a url' }] }, /feeds\.0\.url/],
      ['{ "locked": [', /not valid JSON/],
    ];
    for (const [policy, pattern] of cases) {
      const load = loadMachinePolicy(policyFile(policy));
      expect(load.status).toBe('invalid');
      expect(load.status === 'invalid' && load.error).toMatch(pattern);
    }
  });

  it('starts the service read-only rather than with half a policy', async () => {
    const profileDir = tempDir();
    fs.writeFileSync(path.join(profileDir, 'config.json'), JSON.stringify({ feeds: [{ id: 'city', type: 'geojson', url: 'http://127.0.0.1:9/x' }] }));
    const core = new VigieCore(profileDir, { profileDir, policyFile: policyFile({ retention: { maxDays: -1 } }) });
    cores.push(core);
    expect(core.readOnly).toMatch(/retention\.maxDays/);
    expect(core.feeds).toEqual([]);
    const ctx = { user: 'alice', role: 'supervisor' as const, origin: 'test' };
    const refused = await dispatch(core.api, { t: 'req', id: 1, method: 'settings.set', params: { key: 'language', value: 'fr' } }, ctx, core.dispatchHooks);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/read-only.*machine policy was refused/) } });
    const read = await dispatch(core.api, { t: 'req', id: 2, method: 'session.whoami', params: {} }, ctx, core.dispatchHooks);
    expect(read).toMatchObject({ ok: true, result: { readOnly: expect.stringMatching(/retention/) } });
  });

  it('sets the feeds and the roles when it has them', async () => {
    const profileDir = tempDir();
    fs.writeFileSync(path.join(profileDir, 'config.json'), JSON.stringify({ feeds: [{ id: 'mine', type: 'geojson', url: 'http://127.0.0.1:9/mine' }] }));
    const file = policyFile({ feeds: [{ id: 'city', type: 'geojson', url: 'http://127.0.0.1:9/city' }], roles: { users: { [os.userInfo().username]: 'auditor', bob: 'supervisor' } } });
    const core = new VigieCore(profileDir, { profileDir, policyFile: file, demo: false });
    cores.push(core);
    expect(core.feeds.map((f) => f.id)).toEqual(['city']);
    expect(core.roleFor(os.userInfo().username, 'supervisor')).toBe('auditor');
    expect(core.roleFor('bob', 'operator')).toBe('supervisor');
    expect(core.roleFor('mallory', 'supervisor')).toBeNull();
  });
});

describe('the basemap setting', () => {
  it('turns a policy or user value into a basemap: builtin, tile file, or style URL', async () => {
    const { basemapFromSetting } = await import('../api/basemap');
    expect(basemapFromSetting('builtin')).toEqual({ type: 'builtin' });
    expect(basemapFromSetting('/srv/maps/marseille.pmtiles')).toEqual({ type: 'pmtiles', path: '/srv/maps/marseille.pmtiles' });
    expect(basemapFromSetting('C:\\Maps\\city.mbtiles')).toEqual({ type: 'mbtiles', path: 'C:\\Maps\\city.mbtiles' });
    expect(basemapFromSetting('https://tiles.city.example/style.json')).toEqual({ type: 'style', url: 'https://tiles.city.example/style.json' });
  });
});

describe('the retention ceiling', () => {
  it('caps every feed’s own retention', async () => {
    const profileDir = tempDir();
    fs.writeFileSync(
      path.join(profileDir, 'config.json'),
      JSON.stringify({ feeds: [{ id: 'long', type: 'geojson', url: 'http://127.0.0.1:9/a', privacy: { retentionDays: 400 } }, { id: 'short', type: 'geojson', url: 'http://127.0.0.1:9/b', privacy: { retentionDays: 10 } }] }),
    );
    const core = new VigieCore(profileDir, { profileDir, policyFile: policyFile({ retention: { maxDays: 30 } }), demo: false });
    cores.push(core);
    const retention = Object.fromEntries(core.scheduler.statuses().map((s) => [s.id, s.retentionDays]));
    expect(retention).toEqual({ long: 30, short: 10 });
  });
});
