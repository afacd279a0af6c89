import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedRecord } from '../../../common/domain/feedRecord';
import type { Incident } from '../../../common/domain/incident';
import { VigieCore } from '../core';
import { dispatch } from '../rpc';
import { Store } from '../store';
import { ingestBatch } from '../ingest/ingest';
import { tempDir } from '../../../test/helpers';
import { TestClock } from '../../../test/clock';
import { createSandbox } from './sandbox';
import { buildDebrief, debriefCsv, debriefHtml } from './debrief';
import { ExerciseClock } from './exerciseClock';

const cores: VigieCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

function openCore(dir: string, clock: TestClock): VigieCore {
  const core = new VigieCore(dir, { profileDir: dir, demo: false, clock });
  cores.push(core);
  return core;
}

async function call<T>(core: VigieCore, method: string, params: unknown = {}, role: 'trainer' | 'operator' | 'supervisor' = 'trainer', user = 'trainee-1'): Promise<T> {
  const reply = (await dispatch(core.api, { t: 'req', id: 1, method, params }, { role, user, origin: 'test' })) as { ok: boolean; result?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(reply.error!.message);
  return reply.result as T;
}

const H = 3_600_000;
const MIN = 60_000;
const DAY = Date.parse('2010-03-14T00:00:00Z');
const at = (hh: number, mm = 0, ss = 0) => DAY + hh * H + mm * MIN + ss * 1000;
/** A call as the CSV importer stores one without an id column: a 16-hex-digit row hash. */
const call16 = (n: number) => n.toString(16).padStart(16, 'a');
const incident = (id: string, occurredAt: number, extra: Record<string, unknown> = {}): FeedRecord =>
  ({ kind: 'incident', externalId: id, category: 'burglary', priority: 3, status: 'new', title: `Burglary ${id.slice(-3)}`, lon: -95.36, lat: 29.76, occurredAt, ...extra }) as FeedRecord;

/** A Houston-like history: calls at 08:00, 08:00, 09:00 and the next day, and (for one) what the real supervisor did. */
function history(): string {
  const dir = tempDir();
  const store = Store.open(dir);
  const put = (r: FeedRecord, t: number) => ingestBatch(store, { id: 'houston', simulated: false }, { records: [r], errors: [] }, Date.now(), { eventTime: () => t });
  put(incident(call16(1), at(8)), at(8));
  put(incident(call16(2), at(8)), at(8));
  put(incident(call16(3), at(9)), at(9));
  put(incident(call16(4), at(24 + 8)), at(24 + 8));
  // The real day: the first call acknowledged 4 min after it occurred, dispatched at 6 min, closed at 30 min.
  put(incident(call16(1), at(8), { status: 'acknowledged', updatedAt: at(8, 4) }), at(8, 4));
  put(incident(call16(1), at(8), { status: 'dispatched', updatedAt: at(8, 6) }), at(8, 6));
  put(incident(call16(1), at(8), { status: 'closed', closedAt: at(8, 30), updatedAt: at(8, 30) }), at(8, 30));
  store.close();
  return dir;
}

describe('the exercise clock', () => {
  it('reads the day from its start, fires timers at their exercise instants, stands still when paused and follows speed changes', () => {
    const base = new TestClock(1_000_000);
    const clock = new ExerciseClock({ at: at(7, 55), speed: 60, running: true }, base);
    const fired: [string, number][] = [];
    clock.setTimeout(() => fired.push(['08:00', clock.now()]), 5 * MIN);
    clock.setTimeout(() => fired.push(['08:10', clock.now()]), 15 * MIN);
    base.advance(4_999); // 60x: 5 exercise minutes are 5 wall seconds
    expect(fired).toEqual([]);
    base.advance(1);
    expect(fired).toEqual([['08:00', at(8)]]);
    clock.pause();
    base.advance(3_600_000); // an hour of wall time paused: no exercise time passes
    expect(clock.now()).toBe(at(8));
    expect(fired).toHaveLength(1);
    clock.resume();
    clock.setSpeed(600); // the 10 minutes left take one wall second
    base.advance(999);
    expect(fired).toHaveLength(1);
    base.advance(1);
    expect(fired).toEqual([['08:00', at(8)], ['08:10', at(8, 10)]]);
    expect(base.pendingCount).toBe(0);
    expect(() => clock.setSpeed(0)).toThrow(/above 0/);
  });
});

describe('a sandbox exercise in time', () => {
  it('delivers the day\'s calls in order at their own instants, paused and sped up by the trainer, and resumes after a restart', async () => {
    const out = path.join(tempDir(), 'sandbox');
    const created = createSandbox({ source: history(), day: '2010-03-14', out, start: '07:55', speed: 60 });
    expect(created.scripted).toBe(6); // the day's incident events from 07:55 on wait for their time
    const base = new TestClock();
    const core = openCore(out, base);
    const arrived: { id: string; occurredAt: number; exerciseNow: number }[] = [];
    core.bus.subscribe((event, payload) => {
      const list = event === 'incident.changed' ? [(payload as { incident: Incident }).incident] : event === 'incidents.changed' ? (payload as { incidents: Incident[] }).incidents : [];
      for (const i of list) if (!arrived.some((a) => a.id === i.id)) arrived.push({ id: i.id, occurredAt: i.occurredAt, exerciseNow: core.training!.runner.clock.now() });
    });
    core.start();
    expect(await call(core, 'incidents.list', { limit: 100 }, 'operator')).toEqual([]);
    base.advance(4_999);
    expect(arrived).toEqual([]);
    base.advance(1); // 08:00 in exercise time
    expect(arrived.map((a) => [a.id, a.occurredAt, a.exerciseNow])).toEqual([[`houston:${call16(1)}`, at(8), at(8)], [`houston:${call16(2)}`, at(8), at(8)]]);
    // The real day's later statuses are not delivered as decisions: the trainee sees the call as it came in, and decides.
    base.advance(10 * 1000); // 08:10
    expect((await call<Incident[]>(core, 'incidents.list', { limit: 100 }, 'operator')).map((i) => i.status)).toEqual(['new', 'new']);

    await call(core, 'training.control', { action: 'pause' });
    base.advance(10 * H);
    expect(arrived).toHaveLength(2);
    await expect(call(core, 'training.control', { action: 'resume' }, 'supervisor')).rejects.toThrow(/not allowed|role/i);
    const { clock } = await call<{ clock: { at: number; running: boolean } }>(core, 'training.control', { action: 'speed', speed: 600 });
    expect(clock).toMatchObject({ at: at(8, 10), running: false });
    await call(core, 'training.control', { action: 'resume' });
    // 08:10 → 09:00 at 600x: 50 minutes in 5 wall seconds.
    base.advance(4_999);
    expect(arrived).toHaveLength(2);
    base.advance(1);
    expect(arrived.map((a) => [a.occurredAt, a.exerciseNow])).toEqual([[at(8), at(8)], [at(8), at(8)], [at(9), at(9)]]);
    expect(await call(core, 'training.clock', {}, 'operator')).toMatchObject({ clock: { at: at(9), speed: 600, running: true }, startAt: at(7, 55) });

    // A restart resumes the exercise where it stood, without delivering anything twice.
    await core.close();
    cores.splice(0);
    const again = openCore(out, base);
    again.start();
    expect(again.training!.runner.clock.now()).toBe(at(9));
    base.advance(60_000);
    expect((await call<Incident[]>(again, 'incidents.list', { limit: 100 }, 'operator')).map((i) => i.occurredAt).sort()).toEqual([at(8), at(8), at(9)]);
    const events = again.store.db.prepare("SELECT count(*) FROM events WHERE kind = 'incident.upsert'").pluck().get();
    expect(events).toBe(3); // three calls, once each (the real day's later statuses are held back: they change nothing)
  });

  it('gives trainees an injected call exactly like the day\'s (same feed, same id shape, same fields), marked for the trainer only', async () => {
    const out = path.join(tempDir(), 'sandbox');
    const scenario = path.join(tempDir(), 'scenario.json');
    fs.writeFileSync(scenario, JSON.stringify({ name: 'Break-in spree', injections: [{ offsetSeconds: 120, note: 'the test call', record: { kind: 'incident', externalId: 'S1', category: 'burglary', priority: 3, status: 'new', title: 'Burglary 9f1', lon: -95.37, lat: 29.75 } }] }));
    createSandbox({ source: history(), day: '2010-03-14', out, start: '07:59', speed: 60, scenarioFile: scenario });
    const base = new TestClock();
    const core = openCore(out, base);
    core.start();
    base.advance(2_000); // 08:01 at 60x: the day's two 08:00 calls and the injection at 08:01
    const list = await call<Incident[]>(core, 'incidents.list', { limit: 100 }, 'operator');
    expect(list).toHaveLength(3);
    const injected = list.find((i) => i.title === 'Burglary 9f1')!;
    const real = list.find((i) => i.title !== 'Burglary 9f1')!;
    // Nothing of the trainee's data says "training", "scenario" or "S1"; the keys and the id shape are the day's.
    expect(Object.keys(injected).sort()).toEqual(Object.keys(real).sort());
    expect(injected.feedId).toBe(real.feedId);
    expect(injected.externalId).toMatch(/^[0-9a-f]{16}$/);
    expect(injected.occurredAt).toBe(at(8, 1));
    expect(JSON.stringify(list)).not.toMatch(/training|scenario|"S1"/i);
    const log = await call<unknown>(core, 'incidents.history', { id: injected.id }, 'operator').catch(() => null);
    if (log) expect(JSON.stringify(log)).not.toMatch(/training|scenario/i);
    // Only the trainer learns which it was.
    await expect(call(core, 'training.injections', {}, 'operator')).rejects.toThrow(/not allowed|role/i);
    await expect(call(core, 'training.injections', {}, 'supervisor')).rejects.toThrow(/not allowed|role/i);
    expect(await call(core, 'training.injections', {}, 'trainer')).toEqual([{ entity: injected.id, t: at(8, 1), origin: 'scenario', note: 'the test call' }]);
  });

  it('stamps trainee actions on the exercise clock and debriefs them beside the real supervisor\'s times and the injections answered', async () => {
    const out = path.join(tempDir(), 'sandbox');
    const scenario = path.join(tempDir(), 'scenario.json');
    fs.writeFileSync(scenario, JSON.stringify({ name: 'Break-in spree', injections: [{ offsetSeconds: 180, record: { kind: 'incident', externalId: 'S1', category: 'burglary', priority: 2, status: 'new', title: 'Burglary 9f1', lon: -95.37, lat: 29.75 } }] }));
    createSandbox({ source: history(), day: '2010-03-14', out, start: '07:58', speed: 1, scenarioFile: scenario });
    const base = new TestClock();
    const core = openCore(out, base);
    core.start();
    base.advance(2 * MIN); // 08:00
    const first = `houston:${call16(1)}`;
    base.advance(90_000); // the trainee acknowledges 90 s after the call came in
    const acked = await call<Incident>(core, 'incidents.acknowledge', { id: first }, 'operator');
    expect(acked.acknowledgedAt).toBe(at(8, 1, 30)); // exercise time, not the wall date
    base.advance(30_000); // 08:02: the injection arrives at 08:01 (+180 s from 07:58)
    const injected = (await call<Incident[]>(core, 'incidents.list', { limit: 100 }, 'operator')).find((i) => i.title === 'Burglary 9f1')!;
    base.advance(45_000);
    await call(core, 'incidents.acknowledge', { id: injected.id }, 'operator');
    base.advance(5 * MIN);
    await call(core, 'incidents.close', { id: first, reason: 'handled' }, 'supervisor');
    await core.close();
    cores.splice(0);

    const d = buildDebrief(out);
    // Figures computed here from the story above, independently of the debrief's code.
    const row = d.rows.find((r) => r.incident === first)!;
    expect(row).toMatchObject({ origin: 'day', occurredAt: at(8), shownAt: at(8), secondsToAcknowledge: 90, dayAcknowledgedAfterS: 4 * 60, dayDispatchedAfterS: 6 * 60, dayClosedAfterS: 30 * 60 });
    expect(row.secondsToClose).toBe((at(8, 7, 45) - at(8)) / 1000);
    const inj = d.rows.find((r) => r.title === 'Burglary 9f1')!;
    expect(inj).toMatchObject({ origin: 'scenario', shownAt: at(8, 1), secondsToAcknowledge: 60 + 45, dayAcknowledgedAfterS: null });
    const second = d.rows.find((r) => r.incident === `houston:${call16(2)}`)!;
    expect(second).toMatchObject({ secondsToAcknowledge: null, dayAcknowledgedAfterS: null });
    expect(d.rows).toHaveLength(3); // the 09:00 call never reached this exercise
    expect(d.timeline.map((e) => [e.offsetS, e.who, e.action])).toEqual([
      [210, 'trainee-1', 'incident.acknowledge'],
      [180, 'scenario', 'inject incident'],
      [285, 'trainee-1', 'incident.acknowledge'],
      [585, 'trainee-1', 'incident.close'],
    ].sort((a, b) => (a[0] as number) - (b[0] as number)));
    const html = debriefHtml(d);
    expect(html).toContain('<tr><th scope="row">Injections answered</th><td>1 of 1</td>');
    expect(html).toMatch(/Mean time to acknowledge<\/th><td>98 s<\/td><td>real day: 4 min 0 s \(1 calls with a time in the history; trainee on those: 90 s\)/);
    const csv = debriefCsv(d.rows).split('\r\n');
    const header = csv[0]!.split(',');
    const cells = csv.find((l) => l.startsWith(first))!.split(',');
    expect(cells[header.indexOf('secondsToAcknowledge')]).toBe('90');
    expect(cells[header.indexOf('dayAcknowledgedAfterS')]).toBe('240');
    expect(cells[header.indexOf('occurredAt')]).toBe('2010-03-14T08:00:00.000Z');
  });
});
