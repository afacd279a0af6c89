import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, vigieCli, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

/** 12 bis Rue Paradis, as the BAN file below places it. */
const TWELVE_BIS: [number, number] = [5.37742, 43.29376];
const BAN_HEADER = 'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles';

let vigie: RunningVigie;

/** A profile whose city pack was built by `vigie pack build` from streets, a BAN address file and places. */
function profileWithPack(): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-search-'));
  const streets = path.join(profile, 'streets.geojson');
  fs.writeFileSync(streets, JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { name: 'Rue Paradis' }, geometry: { type: 'LineString', coordinates: [[5.3772, 43.2945], [5.3776, 43.2925], [5.3781, 43.289]] } },
    { type: 'Feature', properties: { name: 'La Canebière' }, geometry: { type: 'LineString', coordinates: [[5.3746, 43.2962], [5.3853, 43.2996]] } },
  ] }));
  const addresses = path.join(profile, 'adresses-13.csv');
  const row = (numero: string, rep: string, lon: number, lat: number) => `13201_6950_${numero}${rep};13201_6950;${numero};${rep};Rue Paradis;13001;13201;Marseille;;;;;${lon};${lat};entrée;;;MARSEILLE;RUE PARADIS;commune;commune;1;`;
  fs.writeFileSync(addresses, [BAN_HEADER, row('10', '', 5.37737, 43.29395), row('12', '', 5.3774, 43.29381), row('12', 'bis', ...TWELVE_BIS), row('14', '', 5.37745, 43.29369)].join('\n') + '\n');
  const places = path.join(profile, 'places.geojson');
  fs.writeFileSync(places, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Opéra de Marseille' }, geometry: { type: 'Point', coordinates: [5.3766, 43.2946] } }] }));
  execFileSync(process.execPath, [vigieCli, 'pack', 'build', '--out', path.join(profile, 'pack'), '--name', 'Marseille (test)', '--streets', streets, '--addresses', addresses, '--places', places], { stdio: 'pipe' });
  fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ cityPack: 'pack', feeds: [] }));
  return profile;
}

// Building the pack and a cold Chromium on a shared machine take most of the default minute.
test.describe.configure({ timeout: 120_000 });

test.beforeEach(async () => {
  vigie = await startVigie({ profileDir: profileWithPack(), args: ['--no-demo'] });
});

test.afterEach(async () => {
  await vigie.stop();
});

const centre = (page: import('@playwright/test').Page) => page.evaluate(() => window.vigieMap!.center());

test('a call-taker finds an address typed the short way, flies there, creates the incident at it and sees it in the list', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  const before = await centre(page);

  await page.keyboard.press('Control+K');
  const box = page.getByRole('combobox', { name: /Search a place/ });
  await expect(box).toBeFocused();
  await box.fill('12 bis r paradis');
  const results = page.getByRole('listbox', { name: /Search a place/ });
  await expect(results.getByRole('option').first()).toContainText('12 bis Rue Paradis');
  await expect(results.getByRole('option').first()).toContainText('13001 Marseille');
  const shot1 = testInfo.outputPath('search-results.png');
  await page.screenshot({ path: shot1 });
  await testInfo.attach('results', { path: shot1, contentType: 'image/png' });

  await box.press('Enter');
  // The map flies to the house and rings it.
  await expect.poll(async () => {
    const [lon, lat] = await centre(page);
    return Math.max(Math.abs(lon - TWELVE_BIS[0]), Math.abs(lat - TWELVE_BIS[1]));
  }, { timeout: 5_000 }).toBeLessThan(1e-5);
  expect(Math.abs(before[0] - TWELVE_BIS[0]) + Math.abs(before[1] - TWELVE_BIS[1])).toBeGreaterThan(1e-4);
  await expect.poll(() => page.evaluate(() => window.vigieMap!.drawnLayers())).toContain('search-ring');
  const shotRing = testInfo.outputPath('flown-there.png');
  await page.screenshot({ path: shotRing });
  await testInfo.attach('flown there', { path: shotRing, contentType: 'image/png' });

  // Shift+N: a new incident at the place found.
  await page.keyboard.press('Shift+N');
  const dialog = page.getByRole('dialog', { name: 'New incident' });
  await expect(dialog).toContainText('At 12 bis Rue Paradis');
  await dialog.getByLabel('Category').selectOption('fire');
  await dialog.getByLabel('Priority').selectOption('2');
  await dialog.getByLabel('Notes').fill('Appel 18 : fumée au rez-de-chaussée');
  await dialog.getByLabel('Title').fill('Feu de poubelle');
  const shot2 = testInfo.outputPath('new-incident.png');
  await page.screenshot({ path: shot2 });
  await testInfo.attach('dialog', { path: shot2, contentType: 'image/png' });
  await dialog.getByLabel('Title').press('Enter');
  await expect(dialog).toBeHidden();

  // In the list, open in the details, drawn at the address: like any incident.
  await expect(vigiePage.incident(/Feu de poubelle/)).toBeVisible();
  await expect(vigiePage.details.getByRole('heading', { name: 'Feu de poubelle' })).toBeVisible();
  await expect(vigiePage.details).toContainText('P2 · urgent');
  await expect(vigiePage.details).toContainText('12 bis Rue Paradis');
  await expect(vigiePage.details).toContainText('root: created by hand');
  await expect.poll(() => vigiePage.incidentDrawnAt(...TWELVE_BIS), { timeout: 5_000 }).toMatch(/^manual:M-/);
  const shot3 = testInfo.outputPath('incident-created.png');
  await page.screenshot({ path: shot3 });
  await testInfo.attach('created', { path: shot3, contentType: 'image/png' });

  // It is found again by its words, now as an incident.
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await box.fill('feu paradis');
  await expect(results.getByRole('option').first()).toContainText('Feu de poubelle');
});

test('a radio report placed by right-clicking the map; the French screen says the same', async ({ page }) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await page.keyboard.press('l');
  await expect(page.getByRole('combobox', { name: /Rechercher un lieu/ })).toHaveAttribute('placeholder', /Adresse, lieu, unité, incident/);
  const box = await vigiePage.map.boundingBox();
  await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2, { button: 'right' });
  await page.getByRole('menuitem', { name: 'Nouvel incident ici' }).click();
  const dialog = page.getByRole('dialog', { name: 'Nouvel incident' });
  await expect(dialog).toContainText(/À 43\.\d{5}, 5\.\d{5}/);
  await dialog.getByLabel('Intitulé').fill('Rixe signalée par patrouille');
  await dialog.getByRole('button', { name: 'Créer' }).click();
  await expect(vigiePage.incident(/Rixe signalée par patrouille/)).toBeVisible();
});
