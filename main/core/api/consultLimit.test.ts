import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { geojsonAdapter } from '../feeds/geojson';
import { storeAndPublish } from '../feeds/scheduler';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';

const operator: CallContext = { user: 'amartin', role: 'operator', origin: 'ws:127.0.0.1:50000' };
let core: VigieCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

function open(): VigieCore {
  const profile = tempDir();
  core = new VigieCore(profile, { profileDir: profile, demo: false, policyFile: path.join(profile, 'no-policy.json') });
  storeAndPublish({ store: core.store, bus: core.bus }, { id: 'city', simulated: false }, geojsonAdapter.parse(featureCollection([incidentFeature('A')]), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: Date.now() }), Date.now());
  return core;
}

const consult = async (c: VigieCore, action: string, target: string, ctx = operator) =>
  (await dispatch(c.api, { t: 'req', id: 1, method: 'audit.consult', params: { action, target } }, ctx)) as { ok: boolean; error?: { code: string; message: string } };

describe('audit.consult journals only real consultations, within bounds', () => {
  it('refuses 2,000 invented incident targets without writing a journal row', async () => {
    const c = open();
    const before = c.store.audit.all().length;
    const started = performance.now();
    for (let i = 0; i < 2_000; i++) {
      const r = await consult(c, 'incident.open', `invented-${i}`);
      if (r.ok || r.error!.code !== 'not_found') throw new Error(`invented target ${i} was accepted: ${JSON.stringify(r)}`);
    }
    expect(c.store.audit.all().length).toBe(before);
    console.log(`2,000 invented targets refused in ${Math.round(performance.now() - started)} ms`);
    expect(await consult(c, 'incident.open', 'city:A')).toMatchObject({ ok: true });
    expect(c.store.audit.list({ limit: 1 })[0]).toMatchObject({ kind: 'consultation', action: 'incident.open', target: 'city:A', user: 'amartin' });
  });

  it('journals at most 120 consultations a minute per session, says why beyond, and a repeat once', async () => {
    const c = open();
    const before = c.store.audit.all().length;
    const replies = [];
    for (let i = 0; i < 500; i++) replies.push(await consult(c, 'incidents.search', `query ${i}`));
    expect(replies.filter((r) => r.ok)).toHaveLength(120);
    expect(replies[120]).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('at most 120 a minute') } });
    expect(c.store.audit.all().length - before).toBe(120);
    // Another person's session is not held back by this one's.
    expect(await consult(c, 'incidents.search', 'rue de la République', { ...operator, user: 'jdupont', origin: 'ws:127.0.0.1:50001' })).toMatchObject({ ok: true });
  });

  it('journals the same search repeated at once a single time', async () => {
    const c = open();
    const before = c.store.audit.all().length;
    for (let i = 0; i < 5; i++) expect(await consult(c, 'incidents.search', 'vol')).toMatchObject({ ok: true });
    expect(c.store.audit.all().length - before).toBe(1);
  });
});
