import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { startFeedServer, tempDir } from '../../../test/helpers';
import { waitFor } from '../../../test/feedServers';

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };

describe('aggregated signals reach the windows live', () => {
  it('tells every window when a polled or imported batch is stored, without a count in the push', async () => {
    const start = Date.now() - 10 * 60_000;
    const operator = await startFeedServer(JSON.stringify([{ kind: 'presence', area: 'Vieux-Port', start, minutes: 15, count: 1200 }]));
    const profile = tempDir();
    fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ signals: [{ id: 'telecom', url: operator.url, intervalSeconds: 1, k: 10, areas: ['Vieux-Port'] }, { id: 'social', k: 10, areas: ['Noailles'] }] }));
    const core = new VigieCore(profile, { profileDir: profile, demo: false });
    const pushed: { event: string; payload: unknown }[] = [];
    core.bus.subscribe((event, payload) => pushed.push({ event, payload }));
    try {
      core.start();
      await waitFor(() => pushed.some((p) => p.event === 'signals.changed'), 10_000, 'the first poll to be pushed');
      expect(pushed.find((p) => p.event === 'signals.changed')!.payload).toEqual({ feedId: 'telecom', at: expect.any(Number) });

      // A new reading at the operator: pushed at the next poll, no reload.
      const before = pushed.length;
      operator.setBody(JSON.stringify([{ kind: 'presence', area: 'Vieux-Port', start, minutes: 15, count: 1500 }]), '"v2"');
      await waitFor(() => pushed.slice(before).some((p) => p.event === 'signals.changed'), 10_000, 'the new reading to be pushed');

      const imported = await dispatch(core.api, { t: 'req', id: 1, method: 'signals.import', params: { feedId: 'social', body: JSON.stringify([{ kind: 'mentions', area: 'Noailles', start, minutes: 60, count: 3 }]) } }, supervisor, core.dispatchHooks);
      expect(imported).toMatchObject({ ok: true, result: { stored: 1 } });
      const last = pushed.filter((p) => p.event === 'signals.changed').at(-1)!;
      // The push says only that something changed: a bucket under k (3 < 10) is not in it, nor any count.
      expect(last.payload).toEqual({ feedId: 'social', at: expect.any(Number) });
      expect(JSON.stringify(pushed.filter((p) => p.event === 'signals.changed'))).not.toMatch(/count|Noailles|Vieux-Port/);
    } finally {
      await core.close();
      await operator.close();
    }
  }, 30_000);
});
