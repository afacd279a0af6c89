import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../bus';
import { FeedConfig } from '../config';
import { Store } from '../store';
import { FeedScheduler } from './scheduler';
import { findSamples, startSampleReplay, type SampleReplay } from './sampleReplay';
import { hasSharedData, SHARED_DATA, SHARED_NOTE } from './fixtures/sharedData';
import { tempDir } from '../../../test/helpers';
import { waitFor } from '../../../test/feedServers';

let replay: SampleReplay | null = null;
let scheduler: FeedScheduler | null = null;
let store: Store | null = null;
afterEach(async () => {
  await scheduler?.stop();
  await replay?.close();
  store?.close();
  replay = scheduler = store = null;
});

describe('vigie simulate --samples: the real samples of ../shared/data replayed as live feeds', () => {
  it(`every sample arrives over its transport (HTTP polling, SSE, WebSocket, UDP, TCP), times shifted to now, nothing quarantined${SHARED_NOTE}`, async ({ skip }) => {
    if (!hasSharedData) skip();
    const began = Date.now();
    replay = await startSampleReplay({ dir: path.join(SHARED_DATA, 'feeds'), tickMs: 200 });
    store = Store.open(tempDir('vigie-3-samples-'));
    const configs = replay.feedConfigs().map((c) => FeedConfig.parse({ ...c, ...(c.transport === 'udp' || c.transport === 'tcp' ? {} : { intervalSeconds: 0.5 }) }));
    expect(new Set(configs.map((c) => c.transport))).toEqual(new Set(['poll', 'sse', 'websocket', 'udp', 'tcp']));
    scheduler = new FeedScheduler({ store, bus: new EventBus() }, configs, { defaultRetentionDays: 365 });
    scheduler.start();
    await waitFor(() => scheduler!.statuses().every((s) => s.stored > 0), 20_000, 'every replayed feed to store records');
    const statuses = scheduler.statuses();
    expect(statuses.filter((s) => s.quarantined > 0).map((s) => `${s.id}: ${store!.quarantine.list(1, s.id)[0]?.reason}`)).toEqual([]);

    // The Chicago request: the newest of its times is now, the 17 months between request and update kept.
    const request = store.incidents.get('sample-open311:14-00684314')!;
    expect(request).toMatchObject({ status: 'closed', address: '1200 W 81ST ST, CHICAGO, IL, 60620' });
    expect(request.sourceUpdatedAt).toBeGreaterThanOrEqual(began - 1000);
    expect(request.sourceUpdatedAt! - request.occurredAt).toBe(Date.UTC(2015, 9, 10, 15, 15, 40) - Date.UTC(2014, 4, 10, 0, 2, 21));
    expect(store.incidents.get('sample-open311-sse:14-00684314')?.status).toBe('closed');

    // The Amber alert, sent now, its personal contact line dropped at ingest.
    const alerts = store.alerts.list(Date.now());
    expect(alerts.map((a) => a.alertId)).toContain('KAR0-0306112239-SW');
    expect(Math.min(...alerts.map((a) => a.sent))).toBeGreaterThanOrEqual(began - 1000);

    // Positions from the GTFS vehicles and the iTAK tracker, fresh, over each transport.
    const units = store.units.list();
    for (const feed of ['sample-gtfs', 'sample-cot-ws', 'sample-cot-udp', 'sample-cot-tcp']) {
      const mine = units.filter((u) => u.feedId === feed);
      expect(mine.length, feed).toBeGreaterThan(0);
      for (const u of mine) expect(u.t, `${feed} ${u.unitId}`).toBeGreaterThanOrEqual(began - 5 * 60_000);
    }
    expect(units.filter((u) => u.feedId === 'sample-gtfs').map((u) => u.unitId).sort()).toEqual(['4311', '4356', '4372']);

    // The GOST thermometer reads now.
    const reading = store.db.prepare("SELECT payload FROM events WHERE kind = 'sensor.upsert' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
    expect(JSON.parse(reading)).toMatchObject({ observedProperty: 'air_temperature', value: 38 });
    expect(JSON.parse(reading).t).toBeGreaterThanOrEqual(began - 1000);
  }, 40_000);

  it(`the Open311 SSE sample answers a client that resumes with Last-Event-ID (after a restart or a drop) within its timeout${SHARED_NOTE}`, async ({ skip }) => {
    if (!hasSharedData) skip();
    replay = await startSampleReplay({ dir: path.join(SHARED_DATA, 'feeds'), tickMs: 200 });
    const sse = replay.feedConfigs().find((c) => c.transport === 'sse')!;
    // The app's own SSE client and scheduler; a 1 s timeout so the failure, if any, shows fast.
    const config = FeedConfig.parse({ ...sse, timeoutSeconds: 1 });
    store = Store.open(tempDir('vigie-24-sse-'));
    scheduler = new FeedScheduler({ store, bus: new EventBus() }, [config], { defaultRetentionDays: 365 });
    scheduler.start();
    await waitFor(() => scheduler!.statuses()[0]!.stored > 0, 10_000, 'the request list over SSE');
    await scheduler.stop();
    expect(store.feedState.get(config.id).cursor).toBeTruthy();

    // The app restarts: its client sends the id it committed, and the server has nothing newer to send.
    const restartedAt = Date.now();
    scheduler = new FeedScheduler({ store, bus: new EventBus() }, [config], { defaultRetentionDays: 365 });
    scheduler.start();
    await waitFor(() => (store!.feedState.get(config.id).lastSuccessAt ?? 0) >= restartedAt || store!.feedState.get(config.id).consecutiveErrors > 0, 10_000, 'the resumed stream to open or fail');
    expect(store.feedState.get(config.id)).toMatchObject({ consecutiveErrors: 0, lastError: null });
    expect(scheduler.statuses()[0]).toMatchObject({ state: 'ok', stored: 1 });
  }, 30_000);

  it('says why it is skipped where the samples are absent', () => {
    const empty = tempDir('vigie-3-nosamples-');
    expect(findSamples(empty)).toEqual({ skipped: expect.stringMatching(/no feed samples in .*shared\/data absent on this machine.*skipped/) });
    fs.mkdirSync(path.join(empty, 'cap'));
    fs.writeFileSync(path.join(empty, 'cap', 'cap_amber_alert_example.xml'), '<alert/>');
    expect(findSamples(empty)).toEqual({ skipped: expect.stringMatching(/lacks cot\/itak_position_sample.xml/) });
  });
});
