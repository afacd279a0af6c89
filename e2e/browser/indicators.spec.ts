import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../test/helpers';
import { buildCityPack } from '../../main/core/city/packBuild';

let feed: FeedServer;
let telecom: FeedServer;
let vigie: RunningVigie;

// One district around the Vieux-Port, as a city pack built by `vigie pack build`.
const VIEUX_PORT = { type: 'Feature', properties: { name: 'Vieux-Port' }, geometry: { type: 'Polygon', coordinates: [[[5.366, 43.29], [5.38, 43.29], [5.38, 43.3], [5.366, 43.3], [5.366, 43.29]]] } };
const SHEET = '# Rixes au Vieux-Port\n\n1. Call the **duty officer**\n2. Bring up camera `CAM-12`\n\n<img src=x onerror="window.pwned=1">';

test.beforeEach(async () => {
  const profileDir = tempDir('vigie-e2e-');
  const districts = path.join(tempDir(), 'districts.geojson');
  fs.writeFileSync(districts, JSON.stringify({ type: 'FeatureCollection', features: [VIEUX_PORT] }));
  buildCityPack({ out: path.join(profileDir, 'pack'), id: 'test', name: 'Marseille (test)', districts, attribution: [] });
  feed = await startFeedServer();
  // A telecom operator's aggregated product: people present per district and quarter hour.
  telecom = await startFeedServer(JSON.stringify([{ kind: 'presence', area: 'Vieux-Port', start: Date.now() - 10 * 60_000, minutes: 15, count: 1200 }]));
  vigie = await startVigie({
    profileDir,
    config: {
      cityPack: 'pack',
      feeds: [{ id: 'city', type: 'geojson', label: 'City (test)', url: feed.url, intervalSeconds: 0.25 }],
      signals: [{ id: 'telecom', url: telecom.url, k: 10 }],
      indicators: [{ id: 'rixes', label: 'Rixes', category: 'public_order', window: 'hour', threshold: { kind: 'absolute', count: 3 }, sheet: SHEET }],
    },
  });
});

test.afterEach(async () => {
  await vigie.stop();
  await feed.close();
  await telecom.close();
});

test('a burst in a district raises one alert in the tray and one alarm, whose reflex sheet opens in the side panel, and a supervisor acknowledges it', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  const now = new Date().toISOString();
  feed.setBody(featureCollection(['F1', 'F2', 'F3'].map((id) => incidentFeature(id, { occurredAt: now }, [5.372, 43.295]))));

  // The alert is an alarm in the queue; its sheet opens in the side panel when chosen, never as a modal.
  const alarm = page.getByRole('listbox', { name: 'Alarm queue' }).getByRole('option', { name: /Rixes · Vieux-Port/ });
  await expect(alarm).toBeVisible();
  await expect(page.locator('dialog[open]')).toHaveCount(0);
  await alarm.click();
  const sheet = page.getByRole('region', { name: 'Reflex sheet: Rixes · Vieux-Port' });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('heading', { name: 'Rixes au Vieux-Port' })).toBeVisible();
  await expect(sheet.getByRole('listitem').first()).toHaveText('Call the duty officer');
  // Raw HTML in a sheet is shown as text, never run.
  await expect(sheet.getByText('<img src=x onerror="window.pwned=1">')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await page.screenshot({ path: testInfo.outputPath('reflex-sheet.png') });

  const tray = page.getByRole('complementary', { name: 'Indicator alerts' });
  await expect(tray.getByRole('listitem')).toHaveCount(1);
  await expect(tray.getByRole('listitem', { name: 'Rixes · Vieux-Port' })).toContainText('3 (no history)');
  await page.screenshot({ path: testInfo.outputPath('indicator-tray.png') });

  await page.keyboard.press('i');
  await expect(tray).toContainText(/acknowledged by \S+/);
  await expect(tray.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);

  // Acknowledged once and for all: a reload shows it so, and the sheet can still be read.
  await vigiePage.open(vigie.url);
  await expect(tray).toContainText(/acknowledged by/);
  await page.keyboard.press('Shift+H');
  await expect(page.getByRole('complementary', { name: 'Indicator alerts' }).getByRole('region', { name: 'Reflex sheet: Rixes · Vieux-Port' })).toBeVisible();
});

test('a supervisor edits an indicator and its reflex sheet in the UI; a bad threshold is refused with the reason and nothing is lost', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await expect(page.getByRole('region', { name: 'Layers' }).getByRole('checkbox', { name: 'Crowd and social signals' })).toBeChecked();
  await page.screenshot({ path: testInfo.outputPath('signals-layer.png') });
  await page.keyboard.press('Shift+T');
  const editor = page.getByRole('dialog', { name: 'Indicators, thresholds and reflex sheets' });
  await expect(editor).toBeVisible();
  const rixes = editor.getByRole('group', { name: 'Rixes' });
  await rixes.getByRole('combobox', { name: 'Threshold' }).selectOption({ label: 'Multiple of the usual level' });
  await rixes.getByRole('spinbutton', { name: 'Times the usual level' }).fill('0.5');
  await editor.getByRole('button', { name: 'Save indicators' }).click();
  await expect(editor.getByRole('alert')).toContainText('factor');

  await rixes.getByRole('spinbutton', { name: 'Times the usual level' }).fill('2');
  await rixes.getByRole('textbox', { name: 'Name' }).fill('Rixes de nuit');
  await editor.getByRole('group', { name: 'Rixes de nuit' }).getByRole('textbox', { name: 'Reflex sheet' }).fill('## Appeler\n\n- le **chef de salle**');
  await expect(editor.getByRole('region', { name: 'Preview of the reflex sheet' }).getByRole('heading', { name: 'Appeler' })).toBeVisible();
  await editor.getByRole('button', { name: 'Save indicators' }).click();
  await expect(editor.getByRole('status')).toHaveText('Indicators saved.');
  await page.screenshot({ path: testInfo.outputPath('indicator-editor.png') });
  await editor.getByRole('button', { name: 'Close' }).click();

  // Saved in the cache: a reload shows the edit.
  await vigiePage.open(vigie.url);
  await page.keyboard.press('Shift+T');
  await expect(editor.getByRole('group', { name: 'Rixes de nuit' }).getByRole('spinbutton', { name: 'Minimum count' })).toHaveValue('5');
});
