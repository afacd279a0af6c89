import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { featureCollection, incidentFeature, startFeedServer, tempDir, type FeedServer } from '../../test/helpers';
import { buildCityPack } from '../../main/core/city/packBuild';

// Issue 24: what a newcomer met on a first walk through the app, in English and in French.
// Software WebGL on a shared machine: screenshots of the map can take long.
test.setTimeout(240_000);

const servers: FeedServer[] = [];
let vigie: RunningVigie | null = null;
test.afterEach(async () => {
  await vigie?.stop();
  vigie = null;
  for (const s of servers.splice(0)) await s.close();
});

// Districts as `vigie pack build` writes them.
const square = (name: string, w: number, s: number, e: number, n: number) => ({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } });

const T0 = Date.parse('2026-12-05T19:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

test('merging a duplicate: candidates nearest in place and time first, and the result names the other incident with a link to it', async ({ page }, testInfo) => {
  const feed = await startFeedServer(
    featureCollection([
      incidentFeature('R-1', { title: 'Rixe cours Belsunce', address: 'Cours Belsunce', occurredAt: at(0) }, [5.3765, 43.2995]),
      // ≈ 660 m away, 10 min later.
      incidentFeature('R-2', { title: 'Tapage quai du Port', address: 'Quai du Port', occurredAt: at(10) }, [5.37, 43.296]),
      // ≈ 270 m away but six hours earlier: second by place alone, last by place and time.
      incidentFeature('R-3', { title: 'Rixe place d’Aix', address: 'Place d’Aix', occurredAt: at(-360) }, [5.3745, 43.3015]),
      // ≈ 130 m away, 5 min later: the likely duplicate.
      incidentFeature('R-4', { title: 'Bagarre rue Thubaneau', address: 'Rue Thubaneau', occurredAt: at(5) }, [5.378, 43.3]),
    ]),
  );
  servers.push(feed);
  // A one-district pack: the full Marseille one makes the first map load slow on a busy machine.
  const profileDir = tempDir('vigie-e2e-');
  const districts = path.join(tempDir(), 'districts.geojson');
  fs.writeFileSync(districts, JSON.stringify({ type: 'FeatureCollection', features: [square('Belsunce', 5.365, 43.29, 5.39, 43.31)] }));
  buildCityPack({ out: path.join(profileDir, 'pack'), id: 'test', name: 'Marseille (test)', districts, attribution: [] });
  vigie = await startVigie({ profileDir, args: ['--no-demo'], config: { cityPack: 'pack', feeds: [{ id: 'city', type: 'geojson', label: 'Ville (test)', url: feed.url, intervalSeconds: 0.25 }] } });
  const vigiePage = new VigiePage(page);
  // English first, whatever the browser's language; L switches to French later.
  await page.addInitScript(() => localStorage.getItem('vigie.locale') ?? localStorage.setItem('vigie.locale', 'en'));
  await vigiePage.open(vigie.url);
  await expect(page.locator('.topbar-right .user')).toContainText('· supervisor');

  await vigiePage.incident(/Rixe cours Belsunce/).click();
  await page.keyboard.press('m');
  const dialog = page.getByRole('dialog', { name: /Rixe cours Belsunce.*duplicates/ });
  await expect(dialog).toBeVisible();
  const options = dialog.getByRole('listbox', { name: 'The incident it duplicates' }).locator('option');
  await expect(options).toHaveText([
    /^Bagarre rue Thubaneau · Rue Thubaneau · 1[23]0 m, 5 min apart$/,
    /^Tapage quai du Port · Quai du Port · 6[5-7]0 m, 10 min apart$/,
    /^Rixe place d’Aix · Place d’Aix · 2[6-8]0 m, 6 h 00 apart$/,
  ]);
  await expect(dialog).toContainText('Nearest first, place and time together: 500 m apart counts as much as 30 min apart.');
  await page.screenshot({ path: testInfo.outputPath('merge-dialog-en.png') });
  await dialog.getByRole('button', { name: 'Merge duplicate' }).click();
  await expect(dialog).toBeHidden();

  const details = vigiePage.details;
  const link = details.getByRole('button', { name: 'Bagarre rue Thubaneau · Rue Thubaneau' });
  await expect(details.locator('.merged-into')).toHaveText('Merged into Bagarre rue Thubaneau · Rue Thubaneau');
  await expect(details.getByText(/demo:|city:R-4/)).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('merged-en.png') });
  // The link opens the other incident; Shift+G does the same from the keyboard.
  await link.click();
  await expect(details.getByRole('heading', { name: 'Bagarre rue Thubaneau' })).toBeVisible();
  // The merged one is closed: the list shows closed incidents too after O.
  await page.keyboard.press('o');
  await vigiePage.incident(/Rixe cours Belsunce/).click();
  await expect(details.locator('.merged-into')).toBeVisible();
  await page.keyboard.press('Shift+G');
  await expect(details.getByRole('heading', { name: 'Bagarre rue Thubaneau' })).toBeVisible();

  // In French: the same screens, and the role in the top bar in French.
  await page.keyboard.press('l');
  await expect(page.locator('.topbar-right .user')).toContainText('· superviseur');
  await page.keyboard.press('m');
  const dialogFr = page.getByRole('dialog', { name: /Bagarre rue Thubaneau.*doublon/ });
  await expect(dialogFr.locator('option').first()).toHaveText(/^Tapage quai du Port · Quai du Port · \d+ m, 5 min d’écart$/);
  await expect(dialogFr).toContainText('Les plus proches d’abord, lieu et heure ensemble : 500 m d’écart pèsent autant que 30 min d’écart.');
  await page.screenshot({ path: testInfo.outputPath('merge-dialog-fr.png') });
  await page.keyboard.press('Escape');
  await vigiePage.incident(/Rixe cours Belsunce/).click();
  await expect(details.locator('.merged-into')).toHaveText('Fusionné dans Bagarre rue Thubaneau · Rue Thubaneau');
  await page.screenshot({ path: testInfo.outputPath('merged-fr.png') });
  // The journal names the role in French too.
  await page.keyboard.press('g');
  const journal = page.getByRole('dialog', { name: 'Journal d’audit' });
  await expect(journal.getByRole('row').filter({ hasText: 'incident.merge' }).first()).toContainText('(superviseur)');
  await page.screenshot({ path: testInfo.outputPath('journal-fr.png') });
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Raccourcis clavier' })).toContainText('Ouvrir l’incident où un doublon a été fusionné');
  // Where a key works is said in French too (it read "J / K (Feeds)").
  await expect(page.getByRole('dialog', { name: 'Raccourcis clavier' }).getByRole('row').filter({ hasText: 'choisir un flux' })).toContainText('J / K (panneau des flux)');
  await page.screenshot({ path: testInfo.outputPath('shortcuts-fr.png') });
});


test('the signals layer writes each area’s count on it and takes new readings live, without a reload', async ({ page }, testInfo) => {
  const profileDir = tempDir('vigie-e2e-');
  const districts = path.join(tempDir(), 'districts.geojson');
  fs.writeFileSync(districts, JSON.stringify({ type: 'FeatureCollection', features: [square('Vieux-Port', 5.366, 43.29, 5.38, 43.3), square('Noailles', 5.38, 43.29, 5.392, 43.3)] }));
  buildCityPack({ out: path.join(profileDir, 'pack'), id: 'test', name: 'Marseille (test)', districts, attribution: [] });
  const start = Date.now() - 20 * 60_000;
  const telecom = await startFeedServer(JSON.stringify([{ kind: 'presence', area: 'Vieux-Port', start, minutes: 15, count: 1200 }]));
  // A second operator counts per 1 km cell of the European statistical grid (EPSG:3035), east of the districts.
  const cell = '1kmN2254E3946';
  const cells = await startFeedServer(JSON.stringify([{ kind: 'presence', area: cell, start, minutes: 15, count: 300 }]));
  servers.push(telecom, cells);
  vigie = await startVigie({ profileDir, args: ['--no-demo'], config: { cityPack: 'pack', feeds: [], signals: [{ id: 'telecom', url: telecom.url, intervalSeconds: 1, k: 10 }, { id: 'cells', url: cells.url, intervalSeconds: 1, k: 10, areas: [cell] }] } });
  const vigiePage = new VigiePage(page);
  // English first, whatever the browser's language; L switches to French later.
  await page.addInitScript(() => localStorage.getItem('vigie.locale') ?? localStorage.setItem('vigie.locale', 'en'));
  await vigiePage.open(vigie.url);
  await page.evaluate(() => window.vigieMap!.flyTo(5.376, 43.295, 14));
  const labels = () => page.evaluate(() => window.vigieMap!.labels('signal-counts').sort());
  await expect.poll(labels).toEqual(['1200 present', '300 present']);
  // The cell is drawn where it is (its centre ≈ 5.3944 E, 43.2948 N, east of both districts), not left off the map.
  const centre = await page.evaluate(() => window.vigieMap!.project(5.3944, 43.2948));
  expect(await page.evaluate(({ x, y }) => window.vigieMap!.pick(x + 15, y + 15, ['signal-heat'])?.layer ?? null, centre)).toBe('signal-heat');
  const outside = await page.evaluate(() => window.vigieMap!.project(5.41, 43.2948));
  expect(await page.evaluate(({ x, y }) => window.vigieMap!.pick(x, y, ['signal-heat'])?.layer ?? null, outside)).toBeNull();
  await page.screenshot({ path: testInfo.outputPath('signals-before-en.png') });

  // The operator publishes the next quarter hour, and a first count for Noailles, and one under k: written "< 10", never its number.
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  telecom.setBody(
    JSON.stringify([
      { kind: 'presence', area: 'Vieux-Port', start: start + 15 * 60_000, minutes: 15, count: 1500 },
      { kind: 'mentions', area: 'Noailles', start: start + 15 * 60_000, minutes: 15, count: 40 },
      { kind: 'presence', area: 'Noailles', start: start + 15 * 60_000, minutes: 15, count: 4 },
    ]),
  );
  await expect.poll(labels, { timeout: 10_000 }).toEqual(['1500 present', '300 present', '< 10 present · 40 mentions']);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  const p = await page.evaluate(() => window.vigieMap!.project(5.373, 43.295));
  await page.mouse.move(p.x, p.y - 40);
  await page.screenshot({ path: testInfo.outputPath('signals-live-en.png') });

  await page.keyboard.press('l');
  await expect.poll(labels).toEqual(['1500 présents', '300 présents', '< 10 présents · 40 mentions']);
  await page.mouse.move(p.x + 2, p.y - 42); // the tooltip is written on hover: hover again in French
  await page.screenshot({ path: testInfo.outputPath('signals-live-fr.png') });
});
