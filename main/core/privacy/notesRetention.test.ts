import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { geojsonAdapter } from '../feeds/geojson';
import { storeAndPublish } from '../feeds/scheduler';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';

const operator: CallContext = { user: 'amartin', role: 'operator', origin: 'test' };
const DAY = 86_400_000;
let core: VigieCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

function open(config: object, policy?: object): VigieCore {
  const profile = tempDir();
  fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ demo: false, ...config }));
  const policyFile = path.join(profile, 'machine-policy.json');
  if (policy) fs.writeFileSync(policyFile, JSON.stringify(policy));
  core = new VigieCore(profile, { profileDir: profile, demo: false, policyFile });
  storeAndPublish({ store: core.store, bus: core.bus }, { id: 'city', simulated: false }, geojsonAdapter.parse(featureCollection([incidentFeature('A')]), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: Date.now() }), Date.now());
  return core;
}

const call = async (c: VigieCore, method: string, params: unknown) => {
  const reply = (await dispatch(c.api, { t: 'req', id: 1, method, params }, operator, c.dispatchHooks)) as { ok: boolean; result: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(reply.error!.message);
  return reply.result;
};
const noteTexts = async (c: VigieCore) => ((await call(c, 'incidents.history', { id: 'city:A' })) as { kind: string; payload: { text?: string } }[]).filter((h) => h.kind === 'incident.note').map((h) => h.payload.text);

describe('operators’ notes have a retention', () => {
  it('deletes a note once past notesRetentionDays, keeps the journal row and records the purge', async () => {
    const c = open({ notesRetentionDays: 30 });
    await call(c, 'incidents.addNote', { id: 'city:A', text: 'Témoin : M. Martin, 06 00 00 00 00' });
    expect(await noteTexts(c)).toEqual(['Témoin : M. Martin, 06 00 00 00 00']);
    c.scheduler.purge(Date.now() + 29 * DAY);
    expect(await noteTexts(c)).toHaveLength(1);
    const reports = c.scheduler.purge(Date.now() + 31 * DAY);
    expect(reports.find((r) => r.feedId === 'operator-notes')).toMatchObject({ deleted: { notes: 1 } });
    expect(await noteTexts(c)).toEqual([]);
    // Who noted on which incident stays in the journal; the text does not.
    const journal = c.store.audit.all().filter((r) => r.action === 'incident.note');
    expect(journal).toMatchObject([{ user: 'amartin', target: 'city:A' }]);
    expect(JSON.stringify(c.store.audit.all())).not.toContain('06 00 00 00 00');
    expect(c.store.audit.verify().ok).toBe(true);
  });

  it('never keeps notes longer than the machine policy’s retention.maxDays', async () => {
    const c = open({ notesRetentionDays: 365 }, { retention: { maxDays: 10 } });
    await call(c, 'incidents.addNote', { id: 'city:A', text: 'rappeler le requérant' });
    c.scheduler.purge(Date.now() + 11 * DAY);
    // (The incident itself went with the feed's capped retention: the log is asked directly.)
    expect(c.store.db.prepare("SELECT count(*) FROM events WHERE kind = 'incident.note'").pluck().get()).toBe(0);
  });
});
