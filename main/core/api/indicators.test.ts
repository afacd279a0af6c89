import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { buildCityPack } from '../city/packBuild';
import { tempDir } from '../../../test/helpers';

const as = (role: CallContext['role']): CallContext => ({ user: `${role}.user`, role, origin: 'test' });
const rixes = { id: 'rixes', label: 'Rixes', category: 'public_order', window: 'hour', threshold: { kind: 'absolute', count: 3 }, sheet: '1. Call the duty officer' };

function profileWith(config: object): string {
  const profile = tempDir();
  const districts = path.join(profile, 'districts.geojson');
  fs.writeFileSync(districts, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Vieux-Port' }, geometry: { type: 'Polygon', coordinates: [[[5.366, 43.29], [5.38, 43.29], [5.38, 43.3], [5.366, 43.3], [5.366, 43.29]]] } }] }));
  buildCityPack({ out: path.join(profile, 'pack'), id: 'test', name: 'Test', districts, attribution: [] });
  fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ cityPack: 'pack', ...config }));
  return profile;
}

describe('indicators through the API', () => {
  it('serves the indicators IT deployed in config.json; editing them is for a supervisor or admin, acknowledging for a supervisor', async () => {
    const profile = profileWith({ indicators: [rixes] });
    const core = new VigieCore(profile, { profileDir: profile, demo: false });
    try {
      const call = (method: string, params: unknown, ctx: CallContext) => dispatch(core.api, { t: 'req', id: 1, method, params }, ctx, core.dispatchHooks);
      expect(await call('indicators.list', {}, as('operator'))).toMatchObject({ ok: true, result: [{ id: 'rixes', sheet: '1. Call the duty officer' }] });
      expect(await call('indicators.save', { indicators: [] }, as('operator'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await call('indicators.acknowledge', { seq: 1 }, as('admin'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await call('indicators.save', { indicators: [{ ...rixes, threshold: { kind: 'multiple', factor: 0.5, minCount: 2 } }] }, as('admin'))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(await call('indicators.save', { indicators: [{ ...rixes, label: 'Rixes (nuit)' }] }, as('admin'))).toMatchObject({ ok: true });
      expect(await call('indicators.list', {}, as('operator'))).toMatchObject({ ok: true, result: [{ label: 'Rixes (nuit)' }] });
      // Looking at the district counts is a consultation: journaled.
      expect(await call('indicators.readings', {}, as('supervisor'))).toMatchObject({ ok: true, result: [] });
      expect(core.store.audit.list({ limit: 10 }).map((e) => [e.user, e.kind, e.action])).toEqual(
        expect.arrayContaining([['supervisor.user', 'consultation', 'indicators.readings'], ['admin.user', 'action', 'indicators.save'], ['operator.user', 'action', 'refused']]),
      );
    } finally {
      await core.close();
    }
  });

  it('refuses a config.json whose indicator is malformed, naming the field', () => {
    const profile = profileWith({ indicators: [{ ...rixes, window: 'fortnight' }] });
    expect(() => new VigieCore(profile, { profileDir: profile, demo: false })).toThrow(/indicators\.0\.window/);
  });
});
