import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract } from '../../../common/contract';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { eventForRole } from './roleView';
import { tempDir } from '../../../test/helpers';

const as = (role: CallContext['role']): CallContext => ({ user: `${role}.user`, role, origin: 'test' });
let id = 0;
const call = (core: VigieCore, role: CallContext['role'], method: string, params: unknown = {}) =>
  dispatch(core.api, { t: 'req', id: ++id, method, params }, as(role), core.dispatchHooks);

/** A supervisor creates an incident with the caller's words and the street address, as on a desk. */
async function withIncident(core: VigieCore) {
  const created = await call(core, 'supervisor', 'incidents.create', {
    category: 'assault', priority: 1, title: 'Agression signalée', notes: 'Appelante: Mme Durand, 06 12 34 56 78', lon: 5.38, lat: 43.3, address: '12 rue de la République',
  });
  expect(created).toMatchObject({ ok: true });
  return (created as { result: { id: string } }).result.id;
}

describe('what each role sees: the wall without personal text, the auditor without the picture', () => {
  it('a wall reads the picture without descriptions or addresses, and no method that writes names it', async () => {
    const profile = tempDir();
    const core = new VigieCore(profile, { profileDir: profile, demo: false });
    try {
      const incidentId = await withIncident(core);
      const desk = await call(core, 'supervisor', 'incidents.get', { id: incidentId });
      // The desk sees what the wall must not: the check below would pass vacuously otherwise.
      expect(desk).toMatchObject({ ok: true, result: { address: '12 rue de la République' } });
      expect(JSON.stringify(desk)).toMatch(/Durand/);
      const wall = await call(core, 'wall', 'incidents.list', {});
      expect(wall).toMatchObject({ ok: true });
      const [seen] = (wall as { result: Record<string, unknown>[] }).result;
      expect(seen).toMatchObject({ id: incidentId, priority: 1, category: 'assault', title: 'Agression signalée' });
      expect(JSON.stringify(seen)).not.toMatch(/République|Durand|06 12/);
      // Read-only by the contract itself: every write leaves the wall out (its own settings aside).
      const writesForWall = Object.entries(contract).filter(([name, spec]) => 'writes' in spec && spec.writes && spec.roles.includes('wall') && !name.startsWith('settings.'));
      expect(writesForWall.map(([name]) => name)).toEqual([]);
      expect(await call(core, 'wall', 'incidents.acknowledge', { id: incidentId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await call(core, 'wall', 'incidents.history', { id: incidentId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      await core.close();
    }
  });

  it('a wall shows addresses when IT’s machine policy grants them, and still no description', async () => {
    const profile = tempDir();
    const policyFile = path.join(profile, 'machine-policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({ wall: { fields: ['address'] } }));
    const core = new VigieCore(profile, { profileDir: profile, demo: false, policyFile });
    try {
      const incidentId = await withIncident(core);
      const wall = await call(core, 'wall', 'incidents.get', { id: incidentId });
      expect(wall).toMatchObject({ ok: true, result: { address: '12 rue de la République' } });
      expect(JSON.stringify(wall)).not.toMatch(/Durand/);
    } finally {
      await core.close();
    }
  });

  it('an auditor reads the journal and its verification, and is refused the live picture (journaled)', async () => {
    const profile = tempDir();
    const core = new VigieCore(profile, { profileDir: profile, demo: false });
    try {
      await withIncident(core);
      expect(await call(core, 'auditor', 'audit.list', {})).toMatchObject({ ok: true });
      expect(await call(core, 'auditor', 'audit.verify', {})).toMatchObject({ ok: true });
      expect(await call(core, 'auditor', 'settings.get', {})).toMatchObject({ ok: true });
      for (const method of ['incidents.list', 'units.list', 'map.cityPack', 'alerts.list', 'cameras.list']) {
        expect(await call(core, 'auditor', method, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      expect(core.store.audit.list({ limit: 1 })[0]).toMatchObject({ role: 'auditor', action: 'refused', target: 'cameras.list' });
      // Pushed events: the auditor gets feed health, not incidents; the wall gets incidents without their address.
      const incident = { id: 'f:1', title: 't', address: '12 rue X', priority: 1 };
      expect(eventForRole('auditor', 'incident.changed', { incident })).toBeNull();
      expect(eventForRole('auditor', 'feed.status', { feed: { id: 'f' } })).toEqual({ feed: { id: 'f' } });
      expect(eventForRole('wall', 'incident.changed', { incident })).toEqual({ incident: { id: 'f:1', title: 't', priority: 1 } });
      expect(eventForRole('wall', 'annotation.changed', { annotation: {} })).toBeNull();
      expect(eventForRole('supervisor', 'incident.changed', { incident })).toEqual({ incident });
    } finally {
      await core.close();
    }
  });
});
