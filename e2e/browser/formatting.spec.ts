import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { tempDir } from '../../test/helpers';
import { buildCityPack } from '../../main/core/city/packBuild';

// Counts and times in each language (renderer/i18n/format.ts): "1 row" / "N rows", "N lignes
// intactes", the clock as France and the UK write it. Software WebGL on a shared machine: slow map.
test.setTimeout(180_000);

let vigie: RunningVigie | null = null;
test.afterEach(async () => {
  await vigie?.stop();
  vigie = null;
});

const square = (name: string, w: number, s: number, e: number, n: number) => ({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } });

test('the audit journal counts its rows with the plural each language needs, in English then in French', async ({ page }, testInfo) => {
  const profileDir = tempDir('vigie-e2e-');
  const districts = path.join(tempDir(), 'districts.geojson');
  fs.writeFileSync(districts, JSON.stringify({ type: 'FeatureCollection', features: [square('Belsunce', 5.365, 43.29, 5.39, 43.31)] }));
  buildCityPack({ out: path.join(profileDir, 'pack'), id: 'test', name: 'Marseille (test)', districts, attribution: [] });
  vigie = await startVigie({ profileDir, args: ['--no-demo'], config: { cityPack: 'pack', feeds: [] } });
  const vigiePage = new VigiePage(page);
  await page.addInitScript(() => localStorage.getItem('vigie.locale') ?? localStorage.setItem('vigie.locale', 'en'));
  await vigiePage.open(vigie.url);

  await page.keyboard.press('g');
  const journal = page.getByRole('dialog', { name: 'Audit journal' });
  const status = journal.getByRole('status');
  await expect(status).toHaveText(/^Hash chain verified: \d+ rows? intact\.$/);
  const english = (await status.textContent())!;
  const rows = Number(/(\d+)/.exec(english)![1]);
  // The form follows the count: never "1 rows", never "2 row".
  expect(english).toBe(`Hash chain verified: ${rows} ${rows === 1 ? 'row' : 'rows'} intact.`);
  await expect(page.locator('time.clock')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
  await expect(page.getByText('0 shown', { exact: true })).toBeVisible();
  const shotEn = testInfo.outputPath('journal-en.png');
  await page.screenshot({ path: shotEn });
  await testInfo.attach('journal, English', { path: shotEn, contentType: 'image/png' });
  await page.keyboard.press('Escape');
  await expect(journal).toBeHidden();

  await page.getByRole('button', { name: 'Passer en français' }).click();
  await page.keyboard.press('g');
  const journalFr = page.getByRole('dialog', { name: 'Journal d’audit' });
  const statusFr = journalFr.getByRole('status');
  await expect(statusFr).toHaveText(/^Chaîne d’empreintes vérifiée : \d+ lignes? intactes?\.$/);
  const french = (await statusFr.textContent())!;
  const n = Number(/(\d+)/.exec(french)![1]);
  // French puts 0 and 1 in the singular.
  expect(french).toBe(`Chaîne d’empreintes vérifiée : ${n} ${n <= 1 ? 'ligne intacte' : 'lignes intactes'}.`);
  expect(n).toBeGreaterThanOrEqual(rows);
  // No incident: "0 affiché", singular in French (English says "0 shown" either way).
  await expect(page.getByText('0 affiché', { exact: true })).toBeVisible();
  const shotFr = testInfo.outputPath('journal-fr.png');
  await page.screenshot({ path: shotFr });
  await testInfo.attach('journal, French', { path: shotFr, contentType: 'image/png' });
});
