import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

let vigie: RunningVigie;

test.beforeEach(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-training-'));
  const live = path.join(root, 'live');
  const csv = path.join(root, 'history.csv');
  fs.writeFileSync(csv, 'id,time,lon,lat,category\nH-1,2025-03-14T10:00:00Z,5.3700,43.2950,theft\nH-2,2025-03-15T09:00:00Z,5.3900,43.3050,noise\n');
  execFileSync(process.execPath, ['bin/vigie.mjs', 'import', '--profile', live, '--type', 'csv', '--map', 'id=id,time=time,lon=lon,lat=lat,category=category', csv]);
  const scenario = path.join(root, 'scenario.json');
  fs.writeFileSync(scenario, JSON.stringify({
    name: 'Fire at the port',
    injections: [{ offsetSeconds: 15, record: { kind: 'incident', externalId: 'S1', category: 'fire', priority: 1, status: 'new', title: 'Fire on quay 4', lon: 5.36, lat: 43.31 } }],
  }));
  const sandbox = path.join(root, 'sandbox');
  execFileSync(process.execPath, ['bin/vigie.mjs', 'sandbox', 'create', '--profile', live, '--day', '2025-03-14', '--out', sandbox, '--scenario', scenario]);
  vigie = await startVigie({ profileDir: sandbox });
});

test.afterEach(async () => {
  await vigie.stop();
});

test('a training sandbox shows its TRAINING flag, the historical day, and the scenario injection when its offset passes', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await expect(page.getByRole('status').filter({ hasText: 'TRAINING' })).toBeVisible();
  await expect(vigiePage.incident(/theft/)).toBeVisible();
  await expect(vigiePage.incidentList.getByRole('option')).toHaveCount(1); // only the chosen day, no demo
  await expect(vigiePage.incident(/Fire on quay 4/)).toBeVisible({ timeout: 30_000 });
  const shot = testInfo.outputPath('training-sandbox.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('training sandbox', { path: shot, contentType: 'image/png' });
});
