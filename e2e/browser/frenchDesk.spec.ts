import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';

let vigie: RunningVigie;
test.beforeEach(async () => {
  vigie = await startVigie({ config: { feeds: [] }, args: ['--role', 'admin'] });
});
test.afterEach(async () => {
  await vigie.stop();
});

test('a French desk reads key names and the service’s refusals in French (an admin adding a feed with a bad id)', async ({ page }, testInfo) => {
  test.setTimeout(150_000); // two screenshots of a WebGL page on a shared, software-rendered machine
  await page.addInitScript(() => localStorage.setItem('vigie.locale', 'fr'));
  // No map is needed here: wait for the connection, not for WebGL (slow on a loaded software-rendered machine).
  await page.goto(vigie.url);
  await expect(page.getByRole('status').filter({ hasText: 'Connecté' })).toBeVisible({ timeout: 60_000 });

  // Key names: Maj, Échap, Espace, Entrée (they read Shift, Esc, Space, Enter).
  await page.keyboard.press('?');
  const shortcuts = page.getByRole('dialog', { name: 'Raccourcis clavier' });
  await expect(shortcuts).toContainText('Échap');
  await expect(shortcuts).toContainText('Espace');
  await expect(shortcuts).toContainText('Maj+G');
  await expect(shortcuts).toContainText('A / Entrée / ⌫ / Échap');
  await expect(shortcuts).not.toContainText('Shift');
  await page.screenshot({ path: testInfo.outputPath('shortcuts-keys-fr.png') });
  await page.keyboard.press('Escape');

  // A refused call (bad_request from the service): a French sentence first, the service's exact words as the detail.
  await page.keyboard.press('f');
  const panel = page.getByRole('dialog', { name: 'Flux' });
  await panel.getByRole('button', { name: 'Ajouter un flux' }).click();
  const form = panel.getByRole('form', { name: 'Nouveau flux' });
  await form.getByLabel('Identifiant').fill('Pas Bon');
  await form.getByLabel('URL').fill('http://127.0.0.1:9/x');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  const alert = panel.getByRole('alert');
  await expect(alert).toContainText('Refusé : une valeur ne convient pas.');
  await expect(alert).toContainText('Détail du service (en anglais) : ');
  await expect(alert).toContainText('id: lower-case letters');
  await page.screenshot({ path: testInfo.outputPath('service-error-fr.png') });
});
