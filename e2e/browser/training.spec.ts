import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, vigieCli, type RunningVigie } from '../support/vigieServer';
import { printDebrief, saveDebrief } from '../support/debrief';
import { VigiePage } from '../support/VigiePage';

let vigie: RunningVigie;

test.beforeEach(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-training-'));
  const live = path.join(root, 'live');
  const csv = path.join(root, 'history.csv');
  fs.writeFileSync(csv, 'id,time,lon,lat,category\nH-1,2025-03-14T10:00:00Z,5.3700,43.2950,theft\nH-2,2025-03-15T09:00:00Z,5.3900,43.3050,noise\n');
  execFileSync(process.execPath, [vigieCli, 'import', '--profile', live, '--type', 'csv', '--map', 'id=id,time=time,lon=lon,lat=lat,category=category', csv]);
  const scenario = path.join(root, 'scenario.json');
  fs.writeFileSync(scenario, JSON.stringify({
    name: 'Fire at the port',
    injections: [{ offsetSeconds: 8, record: { kind: 'incident', externalId: 'S1', category: 'fire', priority: 1, status: 'new', title: 'Fire on quay 4', lon: 5.36, lat: 43.31 } }],
  }));
  const sandbox = path.join(root, 'sandbox');
  execFileSync(process.execPath, [vigieCli, 'sandbox', 'create', '--profile', live, '--day', '2025-03-14', '--start', '10:00', '--out', sandbox, '--scenario', scenario]);
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
  // Only the chosen day, no demo (the injection may already be there on a slow machine: it comes 8 s in).
  await expect(vigiePage.incidentList.getByRole('option').filter({ hasNotText: 'Fire on quay 4' })).toHaveCount(1);
  await expect(vigiePage.incident(/noise/)).toHaveCount(0);
  await expect(vigiePage.incident(/Fire on quay 4/)).toBeVisible({ timeout: 30_000 });
  const shot = testInfo.outputPath('training-sandbox.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('training sandbox', { path: shot, contentType: 'image/png' });

  // The trainee acknowledges the injected fire; the trainer saves the debrief (Shift+D) and prints it to PDF.
  await vigiePage.incident(/Fire on quay 4/).click();
  await page.keyboard.press('a');
  await expect(vigiePage.details).toContainText(/acknowledged/i);
  const files = await saveDebrief(page, testInfo);
  expect(files.map((f) => path.basename(f)).sort()).toEqual(['debrief.csv', 'debrief.html']);
  const csv = fs.readFileSync(files.find((f) => f.endsWith('.csv'))!, 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^incident,title,/);
  expect(csv).toContain('Fire on quay 4');
  const report = await page.context().newPage();
  await report.goto(`file://${files.find((f) => f.endsWith('.html'))!}`);
  const timeline = report.getByRole('table').nth(2); // after the summary and the injections answered
  await expect(timeline).toContainText('inject incident');
  await expect(timeline).toContainText('incident.acknowledge');
  await expect(report.getByRole('table').first()).toContainText('Injections answered');
  const reportShot = testInfo.outputPath('debrief.png');
  await report.screenshot({ path: reportShot, fullPage: true });
  await testInfo.attach('debrief', { path: reportShot, contentType: 'image/png' });
  await printDebrief(report, testInfo);
});
