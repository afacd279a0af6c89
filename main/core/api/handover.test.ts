import { describe, expect, it } from 'vitest';
import type { Handover } from '../../../common/methods/handover';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { TestClock } from '../../../test/clock';
import { tempDir } from '../../../test/helpers';

const person = (user: string, role: CallContext['role'] = 'supervisor'): CallContext => ({ user, role, origin: 'test' });
let id = 0;
async function call<T = unknown>(core: VigieCore, ctx: CallContext, method: string, params: unknown = {}): Promise<T> {
  const reply = (await dispatch(core.api, { t: 'req', id: ++id, method, params }, ctx, core.dispatchHooks)) as { ok: boolean; result?: T; error?: { code: string; message: string } };
  if (!reply.ok) throw Object.assign(new Error(reply.error!.message), { code: reply.error!.code });
  return reply.result as T;
}

/** The open incidents by priority, counted from the incident list (not the summary's own SQL). */
function openByPriorityFromList(core: VigieCore): number[] {
  const counts = [0, 0, 0, 0];
  for (const i of core.store.incidents.list({ limit: 10_000 })) if (i.status !== 'closed') counts[i.priority - 1]! += 1;
  return counts;
}

describe('the shift handover log', () => {
  it('summarises the shift, freezes what the outgoing supervisor signed, and needs the incoming one to sign as themselves', async () => {
    const profile = tempDir();
    const clock = new TestClock();
    const core = new VigieCore(profile, { profileDir: profile, demo: false, clock });
    // The alarm queue listens as it does in a running service (core.start() would also start the feeds).
    const stopAlarms = core.alarms.start();
    const alice = person('alice');
    const bob = person('bob');
    try {
      const opened = await call<{ current: Handover; previous: Handover | null }>(core, alice, 'handover.current');
      expect(opened.current).toMatchObject({ startedBy: 'alice', startedAt: clock.now(), outgoing: null, incoming: null, entries: [] });
      expect(opened.previous).toBeNull();
      const shift = opened.current.id;

      // The shift: two P1, one P2 of which one P1 is closed, one P3; two indicator alerts, one acknowledged.
      const create = (priority: number, title: string) => call<{ id: string }>(core, alice, 'incidents.create', { category: 'assault', priority, title, lon: 5.38, lat: 43.3 });
      const p1 = await create(1, 'Rixe devant la gare');
      await create(1, 'Agression cours Julien');
      await create(2, 'Vol à l’arraché');
      await create(3, 'Tapage nocturne');
      await call(core, alice, 'incidents.close', { id: p1.id, reason: 'handled' });
      const raise = (district: string) =>
        core.store.transaction(() => core.store.log.append({ t: clock.now(), source: 'indicators', kind: 'indicator.alert', entity: `indicator:thefts:${district}`, payload: { indicatorId: 'thefts', label: 'Vols', district, window: 'hour', count: 12, usual: 2, sheet: 'x' } }).seq)();
      const first = raise('Noailles');
      raise('Belsunce');
      await call(core, alice, 'indicators.acknowledge', { seq: first });
      clock.advance(60 * 60_000);

      await call(core, alice, 'handover.addEntry', { text: 'PM 2 relevé à 22 h, véhicule au garage' });
      const live = (await call<{ current: Handover }>(core, alice, 'handover.current')).current;
      expect(live.summary.openByPriority).toEqual(openByPriorityFromList(core));
      expect(live.summary.openByPriority).toEqual([1, 1, 1, 0]);
      // The alarms still open are the alarm queue's, as its own list says: closing one takes it off the summary.
      const queue = async () => (await call<{ alarms: { id: number }[] }>(core, alice, 'alarms.list', {})).alarms;
      const raised = await queue();
      expect(raised.length).toBeGreaterThan(0);
      expect(live.summary).toMatchObject({ openAlarms: raised.length, alarmsFrom: 'alarm-queue' });
      await call(core, alice, 'alarms.close', { id: raised[0]!.id, reason: 'handled' });
      expect((await call<{ current: Handover }>(core, alice, 'handover.current')).current.summary.openAlarms).toBe(raised.length - 1);
      expect(live.summary).toMatchObject({ newIncidents: 4, closedIncidents: 1, unitsCommitted: new Set(core.store.assignments.active().map((a) => a.unitId)).size, since: opened.current.startedAt, at: clock.now() });
      expect(live.summary.notable.map((n) => n.kind)).toEqual(expect.arrayContaining(['incident', 'indicator']));
      expect(live.summary.notable.filter((n) => n.kind === 'incident').map((n) => n.text).sort()).toEqual(['Agression cours Julien', 'Rixe devant la gare', 'Vol à l’arraché']);
      expect(live.entries).toMatchObject([{ author: 'alice', text: 'PM 2 relevé à 22 h, véhicule au garage' }]);

      const signedOut = await call<Handover>(core, alice, 'handover.sign', { id: shift });
      expect(signedOut.outgoing).toEqual({ user: 'alice', at: clock.now() });
      // What alice signed stays what she signed, whatever happens next.
      await create(1, 'Incendie de poubelles');
      clock.advance(5 * 60_000);
      const after = (await call<{ current: Handover }>(core, bob, 'handover.current')).current;
      expect(after.id).toBe(shift);
      expect(after.summary.openByPriority).toEqual([1, 1, 1, 0]);
      await expect(call(core, alice, 'handover.addEntry', { text: 'one more thing' })).rejects.toThrow(/has signed this handover/);

      // alice cannot sign for the incoming supervisor; bob, from his own session, can.
      await expect(call(core, alice, 'handover.sign', { id: shift })).rejects.toThrow(/the incoming supervisor signs as themselves/);
      const done = await call<Handover>(core, bob, 'handover.sign', { id: shift });
      expect(done).toMatchObject({ outgoing: { user: 'alice' }, incoming: { user: 'bob', at: clock.now() } });
      await expect(call(core, bob, 'handover.sign', { id: shift })).rejects.toThrow(/already signed by alice and bob/);

      const next = await call<{ current: Handover; previous: Handover }>(core, bob, 'handover.current');
      expect(next.current).toMatchObject({ startedBy: 'bob', startedAt: clock.now(), entries: [], outgoing: null });
      expect(next.previous).toMatchObject({ id: shift, outgoing: { user: 'alice' }, incoming: { user: 'bob' }, summary: { openByPriority: [1, 1, 1, 0] } });

      // Journaled: each entry and each signature, by whom.
      const rows = core.store.audit.list({ limit: 50 }).filter((r) => r.action.startsWith('handover.') && r.kind === 'action');
      expect(rows.map((r) => `${r.user} ${r.action}`).reverse()).toEqual(['alice handover.addEntry', 'alice handover.sign.outgoing', 'bob handover.sign.incoming']);
      // An operator neither reads nor signs it.
      await expect(call(core, person('olivia', 'operator'), 'handover.current')).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      stopAlarms();
      await core.close();
    }
  });
});
