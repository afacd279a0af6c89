import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { startVigie, vigieCli, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { replayTime, scrubTo, wallClockPast, wholeSecondAfter } from '../support/replay';

/** A past morning in Marseille, imported with `vigie import` as a user would: three calls minutes apart. */
const HISTORY = `id,time,lon,lat,category
H-1,2025-03-14T10:00:00Z,5.3700,43.2950,theft
H-2,2025-03-14T10:03:00Z,5.3900,43.3050,fire
H-3,2025-03-14T10:20:00Z,5.3600,43.2850,noise
`;

/** A wind warning over the Saint-Pierre cemetery that morning, in force 10:21–10:40, imported with its original times. */
const WIND_AREA: [number, number][] = [[5.405, 43.283], [5.415, 43.283], [5.415, 43.289], [5.405, 43.289], [5.405, 43.283]];
const CAP = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>E2E-WIND-1</identifier><sender>meteo@example.org</sender><sent>2025-03-14T10:21:00Z</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Met</category><event>Vent violent</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <expires>2025-03-14T10:40:00Z</expires>
    <area><areaDesc>Saint-Pierre</areaDesc><polygon>${WIND_AREA.map(([lon, lat]) => `${lat},${lon}`).join(' ')}</polygon></area>
  </info>
</alert>`;

let vigie: RunningVigie;

test.beforeEach(async () => {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-replay-'));
  const csv = path.join(profileDir, 'history.csv');
  fs.writeFileSync(csv, HISTORY);
  execFileSync(process.execPath, [vigieCli, 'import', '--profile', profileDir, '--type', 'csv', '--map', 'id=id,time=time,lon=lon,lat=lat,category=category', csv]);
  const capFile = path.join(profileDir, 'wind.xml');
  fs.writeFileSync(capFile, CAP);
  execFileSync(process.execPath, [vigieCli, 'import', '--profile', profileDir, '--type', 'cap', capFile]);
  vigie = await startVigie({ profileDir, args: ['--no-demo'] });
});

test.afterEach(async () => {
  await vigie.stop();
});


test('replay: at 60× the clock moves a minute per second of wall time and the map with it; bookmarks persist; every window follows the clock', async ({ page, context }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await expect(page.getByRole('status').filter({ hasText: 'REPLAY' })).toHaveCount(0);

  await page.keyboard.press('t');
  await expect(page.getByRole('status').filter({ hasText: 'REPLAY' })).toBeVisible();
  // Replay opens on the last day of the log, at its first event.
  await expect.poll(() => replayTime(page)).toBe(Date.parse('2025-03-14T10:00:00Z'));
  await expect.poll(() => vigiePage.incidentList.getByRole('option').count()).toBe(1);
  const first = await vigiePage.incidentDrawnAt(5.37, 43.295);
  expect(first).not.toBeNull();
  expect(await vigiePage.incidentDrawnAt(5.39, 43.305)).toBeNull();

  // A second window of the desk shows the same instant.
  const [other] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Open the incident queue in a new window' }).click()]);
  await other.waitForLoadState();
  await expect.poll(() => replayTime(other)).toBe(Date.parse('2025-03-14T10:00:00Z'));

  await page.getByRole('combobox', { name: 'Speed' }).selectOption('60');
  const before = await replayTime(page);
  const wallStart = Date.now();
  await page.getByRole('button', { name: 'Play' }).click();
  // Played until the clock passes 10:04 (H-2 is at 10:03): a condition on the replay clock, not a fixed wait.
  await expect.poll(() => replayTime(page), { intervals: [100] }).toBeGreaterThanOrEqual(Date.parse('2025-03-14T10:04:00Z'));
  await page.getByRole('button', { name: 'Pause' }).click();
  const wall = Date.now() - wallStart;
  const advanced = (await replayTime(page)) - before;
  // At least the 4 minutes waited for, and never faster than 60 × the wall time (plus the clicks' own latency).
  expect(advanced).toBeGreaterThanOrEqual(240_000);
  expect(advanced).toBeLessThanOrEqual(wall * 60 + 1000);
  testInfo.annotations.push({ type: 'replay', description: `60× for ${wall} ms of wall time: clock advanced ${advanced / 1000} s` });
  // H-2 happened at 10:03: it is on the map now, in both windows; H-3 (10:20) is not yet.
  await expect.poll(() => vigiePage.incidentDrawnAt(5.39, 43.305)).not.toBeNull();
  expect(await vigiePage.incidentDrawnAt(5.36, 43.285)).toBeNull();
  await expect.poll(() => replayTime(other)).toBe(await replayTime(page));
  await expect(other.getByRole('listbox', { name: 'Incident list' }).getByRole('option')).toHaveCount(2);

  await page.getByRole('button', { name: 'Next event' }).click();
  await expect.poll(() => replayTime(page)).toBe(Date.parse('2025-03-14T10:20:00Z'));
  await expect.poll(() => vigiePage.incidentDrawnAt(5.36, 43.285)).not.toBeNull();

  // Replay is read-only: the selected call shows why its actions are gone, and their keys say so instead of doing nothing.
  await vigiePage.incidentList.getByRole('option').first().click();
  await expect(vigiePage.details.getByRole('note')).toHaveText('Replay: read-only. Go back to live (T) to act.');
  await expect(vigiePage.details.getByRole('toolbar', { name: 'Incident actions' })).toHaveCount(0);
  // No button carrying an action key (acknowledge, dispatch, close, note…) is left in the details.
  await expect(vigiePage.details.locator('button[data-shortcut]')).toHaveCount(0);
  await expect(page.getByRole('toolbar', { name: 'Draw on the map' })).toHaveCount(0);
  const keyNotice = page.getByTestId('replay-read-only');
  await expect(keyNotice).toHaveText('Replay: read-only. Go back to live (T) to act.');
  await page.keyboard.press('a');
  await expect(keyNotice).toHaveText('Replay: read-only. A acts only live: press T to go back to live.');
  await page.keyboard.press('Shift+N');
  await expect(keyNotice).toHaveText('Replay: read-only. Shift+N acts only live: press T to go back to live.');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // Nothing was acted on: the call is still new.
  await expect(vigiePage.details.locator('.status-chip')).toHaveText('New');
  const readOnlyShot = testInfo.outputPath('replay-read-only.png');
  await page.screenshot({ path: readOnlyShot });
  await testInfo.attach('replay is read-only', { path: readOnlyShot, contentType: 'image/png' });

  await page.getByRole('textbox', { name: 'Bookmark label' }).fill('Third call');
  await page.getByRole('button', { name: 'Bookmark', exact: true }).click();
  const bookmarks = page.getByRole('list', { name: 'Bookmarks' });
  await expect(bookmarks.getByRole('button', { name: 'Third call', exact: true })).toBeVisible();
  const shot = testInfo.outputPath('replay-timeline.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('replay timeline', { path: shot, contentType: 'image/png' });

  // A reloaded window rejoins the desk's clock; bookmarks are kept by the data service.
  await page.reload();
  await vigiePage.waitForMap();
  await expect(page.getByRole('status').filter({ hasText: 'REPLAY' })).toBeVisible();
  await expect.poll(() => replayTime(page)).toBe(Date.parse('2025-03-14T10:20:00Z'));
  await page.keyboard.press('[');
  await expect.poll(() => replayTime(other)).toBe(Date.parse('2025-03-14T10:19:00Z'));
  await page.getByRole('button', { name: 'Third call', exact: true }).click();
  await expect.poll(() => replayTime(page)).toBe(Date.parse('2025-03-14T10:20:00Z'));

  // French, and the keys listed in the ? dialog.
  await page.keyboard.press('l');
  await expect(page.getByRole('status').filter({ hasText: 'RELECTURE' })).toBeVisible();
  await expect(page.getByRole('timer', { name: 'Heure relue' })).toBeVisible();
  const frShot = testInfo.outputPath('replay-timeline-fr.png');
  await page.screenshot({ path: frShot });
  await testInfo.attach('replay timeline (fr)', { path: frShot, contentType: 'image/png' });
  await page.keyboard.press('l');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Live / replay');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Back to live' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'REPLAY' })).toHaveCount(0);
  await expect(other.getByRole('timer', { name: 'Replay time' })).toHaveCount(0);
});

const alertDrawnAt = (page: Page, lon: number, lat: number) =>
  page.evaluate(([x, y]) => {
    const p = window.vigieMap!.project(x!, y!);
    return window.vigieMap!.pick(p.x, p.y, ['alerts'])?.layer ?? null;
  }, [lon, lat]);

test('replay shows the whole picture: an annotation and a CAP alert appear and disappear with the timeline', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  const annotations = (n: number) => page.getByRole('button', { name: `Annotations (${n})` });
  // The list's button shows only while there is an annotation.
  const noAnnotation = () => expect(page.getByRole('button', { name: /^Annotations \(/ })).toHaveCount(0);

  // Live: a supervisor draws a cordon, keeps it a few seconds, then deletes it.
  const beforeDrawing = Date.now();
  await page.keyboard.press('e');
  const form = page.getByRole('form', { name: 'Drawing a Polygon' });
  for (const [lon, lat] of [[5.368, 43.292], [5.376, 43.292], [5.376, 43.297], [5.368, 43.297]] as const) await vigiePage.clickMapAt(lon, lat);
  await form.getByRole('textbox', { name: 'Label' }).fill('Cordon');
  await form.getByRole('button', { name: 'Save annotation' }).click();
  await expect(annotations(1)).toBeVisible();
  const drawn = Date.now();
  // An instant, in whole seconds, when the cordon was surely on the map: it is deleted only once the clock is past it.
  const during = wholeSecondAfter(drawn);
  await wallClockPast(during);
  await annotations(1).click();
  await page.getByRole('button', { name: 'Delete Cordon' }).click();
  await noAnnotation();
  const deleted = Date.now();

  // Replay of today: before the cordon, while it stood, after its deletion.
  await page.keyboard.press('t');
  await expect(page.getByRole('status').filter({ hasText: 'REPLAY' })).toBeVisible();
  await scrubTo(page, beforeDrawing - 2000);
  await noAnnotation();
  await scrubTo(page, during);
  await expect(annotations(1)).toBeVisible();
  const cordon = testInfo.outputPath('replay-annotation.png');
  await page.screenshot({ path: cordon });
  await testInfo.attach('replay: the cordon as it stood', { path: cordon, contentType: 'image/png' });
  await scrubTo(page, deleted + 2000);
  await noAnnotation();

  // The imported morning: the wind warning is drawn only while it was in force.
  await page.getByRole('textbox', { name: 'Day', exact: true }).fill('2025-03-14');
  await expect(page.getByRole('slider', { name: 'Time of day' })).toHaveAttribute('min', String(new Date(2025, 2, 14).getTime()));
  const [lon, lat] = [5.41, 43.286];
  await scrubTo(page, Date.parse('2025-03-14T10:20:00Z'));
  await expect.poll(() => alertDrawnAt(page, lon, lat)).toBeNull();
  // "Next event" now stops at the alert too, not only at calls.
  await page.getByRole('button', { name: 'Next event' }).click();
  await expect.poll(() => replayTime(page)).toBe(Date.parse('2025-03-14T10:21:00Z'));
  await expect.poll(() => alertDrawnAt(page, lon, lat)).toBe('alerts');
  const wind = testInfo.outputPath('replay-cap-alert.png');
  await page.screenshot({ path: wind });
  await testInfo.attach('replay: the wind warning in force', { path: wind, contentType: 'image/png' });
  await scrubTo(page, Date.parse('2025-03-14T10:45:00Z'));
  await expect.poll(() => alertDrawnAt(page, lon, lat)).toBeNull();

  // Back to live: the live picture again (the cordon is deleted, the 2025 alert long expired).
  await page.getByRole('button', { name: 'Back to live' }).click();
  await noAnnotation();
  await expect.poll(() => alertDrawnAt(page, lon, lat)).toBeNull();
});
