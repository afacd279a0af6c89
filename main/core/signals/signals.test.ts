import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { startFeedServer, tempDir } from '../../../test/helpers';
import { EventBus } from '../bus';
import { Store } from '../store';
import { IndicatorService } from '../indicators/indicators';
import { districtsFrom } from '../indicators/districts';
import { SignalService } from './signals';

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const HOUR = 3_600_000;

function coreWith(config: object) {
  const profile = tempDir();
  fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify(config));
  const core = new VigieCore(profile, { profileDir: profile, demo: false });
  const call = async (method: string, params: unknown, ctx: CallContext = supervisor) => dispatch(core.api, { t: 'req', id: 1, method, params }, ctx, core.dispatchHooks);
  return { core, call };
}

describe('aggregated signals', () => {
  it('never returns a count below k from the API: such a bucket comes as "below k", the same for 0 as for 4', async () => {
    const { core, call } = coreWith({ signals: [{ id: 'telecom', k: 5 }] });
    try {
      const start = Date.now() - 30 * 60_000;
      const body = JSON.stringify([
        { kind: 'presence', area: 'NOAILLES', start, minutes: 15, count: 4 },
        { kind: 'presence', area: 'BELSUNCE', start, minutes: 15, count: 0 },
        { kind: 'presence', area: 'LA JOLIETTE', start, minutes: 15, count: 12 },
      ]);
      expect(await call('signals.import', { feedId: 'telecom', body })).toMatchObject({ ok: true, result: { stored: 3, refused: [] } });
      const res = (await call('signals.readings', {})) as { ok: true; result: Record<string, unknown>[] };
      const byArea = new Map(res.result.map(({ area, ...rest }) => [area, rest]));
      expect(byArea.get('LA JOLIETTE')).toMatchObject({ count: 12 });
      expect(byArea.get('NOAILLES')).toEqual({ kind: 'presence', start, minutes: 15, feedId: 'telecom', count: null, belowK: 5 });
      // 4 people and nobody read the same: the answer says "fewer than 5" and nothing more.
      expect(byArea.get('BELSUNCE')).toEqual(byArea.get('NOAILLES'));
      expect(res.result).toHaveLength(3);
      // What forecasts and indicators add up never includes them.
      expect(core.signals.readings(start - 1, Date.now()).map((r) => [r.area, r.count])).toEqual([['LA JOLIETTE', 12]]);
      expect(core.store.audit.list({ limit: 5 }).map((e) => e.action)).toContain('signals.readings');
    } finally {
      await core.close();
    }
  });

  it('refuses a record carrying a user id, with the reason, and keeps the rest of the batch', async () => {
    const { core, call } = coreWith({ signals: [{ id: 'social' }] });
    try {
      const start = new Date(Date.now() - 10 * 60_000).toISOString();
      const body = JSON.stringify({ buckets: [
        { kind: 'mentions', area: 'BELSUNCE', start, minutes: 60, count: 40, user_id: 'u-829' },
        { kind: 'mentions', area: 'BELSUNCE', start, minutes: 60, count: 38 },
        { kind: 'mentions', area: 'BELSUNCE', start, minutes: 60, count: 30, followers: 12 },
      ] });
      const res = await call('signals.import', { feedId: 'social', body });
      expect(res).toMatchObject({ ok: true, result: { stored: 1, refused: [{ reason: expect.stringContaining('"user_id", which identifies a person') }, { reason: expect.stringContaining('followers') }] } });
      expect(core.store.quarantine.list(10, 'social')).toHaveLength(2);
      expect(((await call('signals.readings', {})) as { result: unknown[] }).result).toEqual([{ kind: 'mentions', area: 'BELSUNCE', start: Date.parse(start), minutes: 60, count: 38, feedId: 'social' }]);
      expect(await call('signals.import', { feedId: 'nope', body })).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('config.json') } });
    } finally {
      await core.close();
    }
  });

  it('refuses a k below 5 in config.json, naming the field', () => {
    const profile = tempDir();
    fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ signals: [{ id: 'telecom', k: 3 }] }));
    expect(() => new VigieCore(profile, { profileDir: profile, demo: false })).toThrow(/signals\.0\.k: k is at least 5/);
  });

  it('polls a feed over HTTP', async () => {
    const start = Date.now() - 5 * 60_000;
    const server = await startFeedServer(JSON.stringify([{ kind: 'reports', area: 'HOTEL DE VILLE', start, minutes: 15, count: 11 }]));
    const store = Store.open(tempDir());
    const signals = new SignalService(store, [{ id: 'citizens', url: server.url, intervalSeconds: 60, k: 10 }]);
    try {
      signals.start();
      await expect.poll(() => signals.readings(start, Date.now()).length).toBe(1);
    } finally {
      signals.stop();
      await server.close();
      store.close();
    }
  });

  it('feeds an indicator: a district whose presence count crosses the threshold raises an alert', () => {
    const store = Store.open(tempDir());
    const signals = new SignalService(store, [{ id: 'telecom', intervalSeconds: 300, k: 10 }]);
    const square = { type: 'Feature', properties: { name: 'HOTEL DE VILLE' }, geometry: { type: 'Polygon', coordinates: [[[5.366, 43.29], [5.38, 43.29], [5.38, 43.3], [5.366, 43.3], [5.366, 43.29]]] } };
    const service = new IndicatorService(store, new EventBus(), () => districtsFrom({ features: [square] }), [
      { id: 'foule', label: 'Foule', category: 'signal:presence', window: 'hour', threshold: { kind: 'absolute', count: 5000 }, sheet: '' },
    ], signals);
    const now = Date.now();
    signals.ingest('telecom', JSON.stringify([{ kind: 'presence', area: 'HOTEL DE VILLE', start: now - HOUR / 2, minutes: 15, count: 3000 }]));
    expect(service.evaluate(now)).toEqual([]);
    signals.ingest('telecom', JSON.stringify([{ kind: 'presence', area: 'HOTEL DE VILLE', start: now - HOUR / 4, minutes: 15, count: 2500 }]));
    expect(service.evaluate(now)).toMatchObject([{ indicatorId: 'foule', district: 'HOTEL DE VILLE', count: 5500 }]);
    store.close();
  });
});
