import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { test, expect } from '@playwright/test';
import { startVigie, vigieCli, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { scrubTo } from '../support/replay';
import { readHoustonRows } from '../../test/houston';

/** 64,028 real Houston reports (../shared/data, beside the project; never copied into it). */
const HOUSTON = fileURLToPath(new URL('../../../shared/data/incidents/houston_2010-01_2010-06.csv.gz', import.meta.url));

test.skip(!fs.existsSync(HOUSTON), `the Houston sample is absent (${HOUSTON}): this ground-truth check needs ../shared/data`);
// The replay day and its midnight are the browser's: run it in UTC, the file's zone.
test.use({ timezoneId: 'UTC' });
test.setTimeout(240_000);

/** The test's own reading of the file, independent of the importer: time (UTC), lon, lat of each readable row. */
function groundTruth(): number[] {
  return readHoustonRows(HOUSTON).map((r) => r.occurred);
}

let vigie: RunningVigie;

/**
 * The first ten days of the file (as a user would import one period of it). Houston's reports carry
 * no closing time: the import states the rule, each report open for an hour after it occurred
 * (`--lifecycle reports:1h`). The counts at instants of those days depend only on reports up to
 * then, so the ground truth below still reads the whole file.
 */
const UNTIL = Date.parse('2010-01-11T00:00:00Z');
const OPEN_FOR = 3_600_000;

test.beforeAll(async () => {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-houston-'));
  const lines = zlib.gunzipSync(fs.readFileSync(HOUSTON)).toString('utf8').trim().split(/\r?\n/);
  const period = path.join(profileDir, 'houston-2010-01-01-10.csv.gz');
  fs.writeFileSync(period, zlib.gzipSync([lines[0], ...lines.slice(1).filter((l) => Date.parse(`${l.slice(0, 19).replace(' ', 'T')}Z`) < UNTIL)].join('\n')));
  const printed = execFileSync(process.execPath, [vigieCli, 'import', '--profile', profileDir, '--type', 'csv', '--lifecycle', 'reports:1h', period]).toString();
  expect(printed).toMatch(/stored \d+/);
  expect(printed).toMatch(/lifecycle: reports:1h \(\d+ closed\)/);
  expect(printed).toMatch(/profile: history/);
  // Served as the issue served it, without --no-demo: an imported profile never starts the demo feed.
  vigie = await startVigie({ profileDir });
});

test.afterAll(async () => {
  await vigie?.stop();
});

test('the replay bar counts the Houston incidents open at an instant and since midnight exactly as the CSV does', async ({ page }, testInfo) => {
  const times = groundTruth();
  expect(times.length).toBe(64_026);
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  // Imported history: no simulated Marseille feed, and the map opens on Houston (outside the Marseille pack).
  await expect(page.getByRole('status').filter({ hasText: 'SIMULATED DATA' })).toHaveCount(0);
  // The map is fitted to the data once its extent arrives (map.dataExtent).
  await expect.poll(async () => {
    const [x, y] = await page.evaluate(() => window.vigieMap!.center());
    return x > -96 && x < -95 && y > 29.5 && y < 30.2;
  }).toBe(true);
  await vigiePage.waitForMapIdle();
  const [lon, lat] = await page.evaluate(() => window.vigieMap!.center());
  const openShot = testInfo.outputPath('houston-opens-on-data.png');
  await page.screenshot({ path: openShot });
  await testInfo.attach('imported Houston opens on its data', { path: openShot, contentType: 'image/png' });

  // Zoom to data from far in a corner of it, by its key.
  await page.evaluate(() => window.vigieMap!.flyTo(-95.05, 29.55, 16));
  await vigiePage.waitForMapIdle();
  await page.keyboard.press('Shift+Z');
  await expect.poll(() => page.evaluate(() => window.vigieMap!.zoom())).toBeLessThan(12);
  await vigiePage.waitForMapIdle();
  // Back on the same view the profile opened on (both fit the data's extent).
  await expect.poll(async () => {
    const [zlon, zlat] = await page.evaluate(() => window.vigieMap!.center());
    return Math.max(Math.abs(zlon - lon), Math.abs(zlat - lat));
  }).toBeLessThan(0.05);
  await expect(page.getByRole('button', { name: 'Zoom to data' })).toBeVisible();

  await page.keyboard.press('t');
  await expect(page.getByRole('status').filter({ hasText: 'REPLAY' })).toBeVisible();
  // Replay opens on the last day of the log: January 11th, when the last reports of the 10th closed. Wait for it before choosing another day.
  await expect(page.getByRole('textbox', { name: 'Day', exact: true })).toHaveValue('2010-01-11');
  const counts = page.getByRole('status', { name: 'Incidents at the replayed instant' });

  for (const iso of ['2010-01-03T06:30:00Z', '2010-01-07T12:00:00Z', '2010-01-10T23:00:00Z']) {
    const at = Date.parse(iso);
    const midnight = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
    await page.getByRole('textbox', { name: 'Day', exact: true }).fill(iso.slice(0, 10));
    await expect(page.getByRole('slider', { name: 'Time of day' })).toHaveAttribute('min', String(midnight));
    await scrubTo(page, at);
    await expect(counts).toHaveAttribute('data-at', String(at), { timeout: 30_000 });
    const open = times.filter((t) => t <= at && t + OPEN_FOR > at).length;
    // Since midnight up to and including the instant: a report stamped on the hour counts on both sides at once.
    const day = times.filter((t) => t >= midnight && t <= at).length;
    await expect(counts).toHaveText(`${open} open · ${day} since midnight`);
    testInfo.annotations.push({ type: 'count', description: `${iso}: ${open} open, ${day} since midnight (CSV and screen agree)` });
  }
  await expect(page.getByTestId('replay-lifecycle')).toHaveText('Imported items closed by: reports:1h');

  // Selecting a report far from the view moves the map to it.
  await page.evaluate(() => window.vigieMap!.flyTo(-95.05, 29.55, 16));
  await vigiePage.waitForMapIdle();
  const option = vigiePage.incidentList.getByRole('option').first();
  await option.click();
  const position = await vigiePage.details.locator('dd.mono').first().textContent();
  const [plat, plon] = position!.split(',').map(Number);
  await expect.poll(async () => {
    const [clon, clat] = await page.evaluate(() => window.vigieMap!.center());
    return Math.abs(clon - plon!) < 0.001 && Math.abs(clat - plat!) < 0.001;
  }).toBe(true);
  const shot = testInfo.outputPath('replay-houston-counts.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('replay counts, Houston', { path: shot, contentType: 'image/png' });
});
