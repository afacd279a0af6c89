import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from '../core';
import { dispatch } from '../rpc';
import { geojsonAdapter } from '../feeds/geojson';
import { ingestBatch } from '../ingest/ingest';
import { seededRandom } from '../../../common/random';
import type { CellExplanation, ForecastCheck, ModelCard } from '../../../common/methods/forecasts';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';

const cores: VigieCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

function openCore(dir = tempDir(), config?: unknown): VigieCore {
  if (config) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  const core = new VigieCore(dir, { profileDir: dir, demo: false });
  cores.push(core);
  return core;
}

async function call<T>(core: VigieCore, method: string, params: unknown = {}, role = 'supervisor'): Promise<T> {
  const reply = (await dispatch(core.api, { t: 'req', id: 1, method, params }, { role: role as 'supervisor', user: 'test', origin: 'test' })) as { ok: boolean; result?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(reply.error!.message);
  return reply.result as T;
}

const DAY = 864e5;
const VIEUX_PORT = [5.3747, 43.2951] as const;

/** Six weeks of Marseille incidents: a steady hotspot on the Vieux-Port, a scatter over the city. */
function seed(core: VigieCore, now: number): void {
  const random = seededRandom(9);
  const features = [
    ...Array.from({ length: 240 }, (_, i) => incidentFeature(`H${i}`, { occurredAt: new Date(now - random() * 42 * DAY).toISOString(), category: i % 3 ? 'theft' : 'assault' }, [VIEUX_PORT[0] + (random() - 0.5) * 0.001, VIEUX_PORT[1] + (random() - 0.5) * 0.001])),
    ...Array.from({ length: 400 }, (_, i) => incidentFeature(`S${i}`, { occurredAt: new Date(now - random() * 42 * DAY).toISOString(), category: 'theft' }, [5.36 + random() * 0.06, 43.27 + random() * 0.06])),
  ];
  const parsed = geojsonAdapter.parse(featureCollection(features), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: now });
  ingestBatch(core.store, { id: 'city', simulated: false }, parsed, now);
}

describe('the forecast model card', () => {
  it('names the model, its inputs, training window and chosen parameters, and keeps the last check across a restart', async () => {
    const dir = tempDir();
    const core = openCore(dir);
    const now = Date.now();
    seed(core, now);
    const card = await call<ModelCard>(core, 'forecasts.modelCard', { horizonHours: 24 });
    expect(card).toMatchObject({ model: 'auto', modelVersion: '1', horizonHours: 24, cellM: 250, basedOn: 640, inputs: ['occurredAt', 'lon', 'lat', 'category'] });
    expect(card.trainingTo! - card.trainingFrom!).toBeGreaterThan(40 * DAY);
    expect(card.categories.map((c) => c.name).sort()).toEqual(['assault', 'theft']);
    // Which method won the inner backtest, against which count, and by how much.
    expect(card.params.map((p) => p.name)).toEqual(expect.arrayContaining(['chosen', 'reference', 'gainOverBestCountPct', 'marginPct']));
    // No check yet: opening the card started one in the background.
    expect(card.checkRunning).toBe(true);

    const check = await call<ForecastCheck>(core, 'forecasts.runCheck', { horizonHours: 24 });
    expect(check.windows).toBe(20);
    expect(check.model.pai).toHaveLength(2);
    // The calibration of the live model's intervals over the same windows.
    expect(check.coverage?.levels).toEqual([0.8, 0.95]);
    expect(check.coverage!.cells).toBeGreaterThan(0);
    expect(check.ratio).toHaveLength(2);
    expect(check.districts.reduce((s, d) => s + d.incidents, 0)).toBe(check.incidents);
    // Derived numbers only: no incident id leaves the service.
    expect(JSON.stringify(check)).not.toMatch(/"H\d|"S\d/);

    await core.close();
    cores.length = 0;
    const again = openCore(dir);
    const kept = await call<ModelCard>(again, 'forecasts.modelCard', { horizonHours: 24 });
    expect(kept.check?.ranAt).toBe(check.ranAt);
    expect(kept.checkRunning).toBe(false);
    expect(fs.existsSync(path.join(dir, 'forecast-checks.json'))).toBe(true);
    // The check of the live model (auto) runs it once per window, with its own inner backtest: slower than a single fit.
  }, 60_000);

  it('an operator reads the card but cannot start a check', async () => {
    const core = openCore();
    seed(core, Date.now());
    await expect(call(core, 'forecasts.modelCard', {}, 'operator')).resolves.toBeTruthy();
    await expect(call(core, 'forecasts.runCheck', {}, 'operator')).rejects.toThrow();
  });

  it('says why there is no check on an empty cache', async () => {
    const core = openCore();
    await call(core, 'forecasts.runCheck', { horizonHours: 24 });
    const card = await call<ModelCard>(core, 'forecasts.modelCard', { horizonHours: 24 });
    expect(card.check).toBeNull();
    expect(card.checkNote).toMatch(/only 0 incidents/);
  });
});

describe('why is this cell high', () => {
  it('explains the top cell with parts that add up to its expected value, and the baselines beside it', async () => {
    const core = openCore();
    seed(core, Date.now());
    const forecast = await call<{ cells: { expected: number; west: number; east: number; south: number; north: number; rank: number }[] }>(core, 'forecasts.latest', { horizonHours: 24 });
    const top = forecast.cells[0]!;
    const e = await call<CellExplanation>(core, 'forecasts.explain', { horizonHours: 24, lon: (top.west + top.east) / 2, lat: (top.south + top.north) / 2 });
    expect(e.cell.rank).toBe(1);
    expect(e.value).toBeCloseTo(top.expected, 9);
    expect(e.parts.reduce((s, p) => s + p.value, 0)).toBeCloseTo(top.expected, 9);
    expect(new Set(e.parts.map((p) => p.category))).toEqual(new Set(['theft', 'assault']));
    expect(e.baselines.map((b) => b.model)).toEqual(['count-all', 'count-recent']);
    // The weights of whichever method the inner backtest chose, and the level its expected counts were put at.
    expect(e.weights.map((w) => w.name)).toContain('intervalLevel');
  });

  it('answers null where the model scores nothing (out at sea)', async () => {
    const core = openCore();
    seed(core, Date.now());
    expect(await call(core, 'forecasts.explain', { horizonHours: 24, lon: 5.2, lat: 43.2 })).toBeNull();
  });
});

describe('the live model chosen in config.json', () => {
  it('hawkes: the card names it and a cell splits into the background of each category and the near-repeat part', async () => {
    const core = openCore(tempDir(), { forecast: { model: 'hawkes' } });
    const now = Date.now();
    seed(core, now);
    // A burst of thefts around the Vieux-Port in the last two days: near-repeat material.
    const burst = Array.from({ length: 20 }, (_, i) => incidentFeature(`B${i}`, { occurredAt: new Date(now - (i + 1) * 2 * 3_600_000).toISOString(), category: 'theft' }, [VIEUX_PORT[0], VIEUX_PORT[1]]));
    ingestBatch(core.store, { id: 'city', simulated: false }, geojsonAdapter.parse(featureCollection(burst), { feedId: 'city', config: geojsonAdapter.configSchema.parse(undefined), receivedAt: now }), now);
    const card = await call<ModelCard>(core, 'forecasts.modelCard', { horizonHours: 24 });
    expect(card).toMatchObject({ model: 'hawkes', modelVersion: '1' });
    const e = await call<CellExplanation>(core, 'forecasts.explain', { horizonHours: 24, lon: VIEUX_PORT[0], lat: VIEUX_PORT[1] });
    expect(e.model).toBe('hawkes');
    expect(new Set(e.parts.map((p) => p.kind))).toEqual(new Set(['background', 'triggering']));
    expect(e.parts.reduce((s, p) => s + p.value, 0)).toBeCloseTo(e.value, 9);
    expect(e.weights.some((w) => w.name.endsWith(': theta'))).toBe(true);
  });
});
