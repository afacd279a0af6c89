import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch, type CallContext } from '../rpc';
import { tempDir } from '../../../test/helpers';

const supervisor: CallContext = { user: 'jdupont', role: 'supervisor', origin: 'test' };
const T0 = Date.parse('2026-12-05T10:00:00Z');
const MIN = 60_000;
let core: VigieCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

function open(signals: object[]) {
  const profile = tempDir();
  fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ signals }));
  const c = (core = new VigieCore(profile, { profileDir: profile, demo: false, policyFile: path.join(profile, 'no-policy.json') }));
  const importBody = async (buckets: object[]) =>
    ((await dispatch(c.api, { t: 'req', id: 1, method: 'signals.import', params: { feedId: 'telecom', body: JSON.stringify(buckets) } }, supervisor)) as { result: { stored: number; refused: { reason: string }[] } }).result;
  const readings = async () => ((await dispatch(c.api, { t: 'req', id: 2, method: 'signals.readings', params: { from: T0 - 60 * MIN, to: T0 + 180 * MIN } }, supervisor)) as { result: { area: string; start: number; minutes: number; count: number }[] }).result;
  return { c, importBody, readings };
}

describe('signal buckets name only known areas', () => {
  it('refuses a free-text area (a name and an address), keeps districts of the city pack', async () => {
    const { c, importBody, readings } = open([{ id: 'telecom', k: 5 }]);
    const out = await importBody([
      { kind: 'reports', area: 'M. Dupont, 12 rue de la République', start: T0, minutes: 15, count: 7 },
      { kind: 'reports', area: 'Noailles', start: T0, minutes: 15, count: 9 },
    ]);
    expect(out.stored).toBe(1);
    expect(out.refused[0]!.reason).toMatch(/area "M\. Dupont, 12 rue de la République" is neither a district of the city pack nor a cell id/);
    // Matched whatever its case, stored under the pack's own name.
    expect((await readings()).map((r) => r.area)).toEqual(['NOAILLES']);
    expect(c.store.quarantine.list(5, 'telecom')[0]!.reason).toMatch(/free-text places can name an address/);
  });

  it('takes the cell ids a feed declares, and only those', async () => {
    const { importBody } = open([{ id: 'telecom', k: 5, areas: ['cell-1', 'cell-2'] }]);
    const out = await importBody([
      { kind: 'presence', area: 'cell-1', start: T0, minutes: 15, count: 40 },
      { kind: 'presence', area: 'NOAILLES', start: T0, minutes: 15, count: 40 },
    ]);
    expect(out.stored).toBe(1);
    expect(out.refused).toHaveLength(1);
  });
});

describe('overlapping buckets are refused', () => {
  it('refuses a bucket whose difference with a stored one would show a count below k, and takes corrections and adjacent buckets', async () => {
    const { importBody, readings } = open([{ id: 'telecom', k: 10 }]);
    expect((await importBody([{ kind: 'presence', area: 'NOAILLES', start: T0, minutes: 60, count: 12 }])).stored).toBe(1);
    // 60 min = 12 and its first 45 min = 10 would say 2 came in the last quarter hour.
    const first45 = await importBody([{ kind: 'presence', area: 'NOAILLES', start: T0, minutes: 45, count: 10 }]);
    expect(first45.stored).toBe(0);
    expect(first45.refused[0]!.reason).toMatch(/overlaps the 60-minute bucket from 2026-12-05T10:00:00\.000Z for presence in NOAILLES/);
    expect((await importBody([{ kind: 'presence', area: 'NOAILLES', start: T0 + 45 * MIN, minutes: 15, count: 10 }])).stored).toBe(0);
    // Two overlapping buckets in one batch: the second is refused.
    const batch = await importBody([
      { kind: 'presence', area: 'BELSUNCE', start: T0, minutes: 30, count: 20 },
      { kind: 'presence', area: 'BELSUNCE', start: T0 + 15 * MIN, minutes: 30, count: 25 },
    ]);
    expect(batch.stored).toBe(1);
    // The same bucket sent again corrects it; the next hour does not overlap.
    expect((await importBody([{ kind: 'presence', area: 'NOAILLES', start: T0, minutes: 60, count: 13 }])).stored).toBe(1);
    expect((await importBody([{ kind: 'presence', area: 'NOAILLES', start: T0 + 60 * MIN, minutes: 60, count: 11 }])).stored).toBe(1);
    expect((await readings()).filter((r) => r.area === 'NOAILLES').map((r) => [r.minutes, r.count])).toEqual([
      [60, 13],
      [60, 11],
    ]);
  });
});
