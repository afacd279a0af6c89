import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

let vigie: RunningVigie | null = null;
test.afterEach(async () => {
  await vigie?.stop();
  vigie = null;
});

function policy(content: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-policy-')), 'policy.json');
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

test('settings the machine policy sets or locks are shown but cannot be changed; the others can', async ({ page }) => {
  const file = policy({ settings: { basemap: '/srv/maps/marseille.pmtiles' }, locked: ['updates'] });
  vigie = await startVigie({ env: { VIGIE_POLICY_FILE: file } });
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await page.keyboard.press(',');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toContainText(`Your organisation’s policy applies (${file})`);
  await expect(dialog.getByLabel('Basemap')).toHaveValue('/srv/maps/marseille.pmtiles');
  await expect(dialog.getByLabel('Automatic updates')).toBeDisabled();
  await expect(dialog.getByLabel('Unit trails (minutes)')).toBeEnabled();
  await dialog.getByLabel('Language').selectOption('fr');
  await expect(page.getByRole('dialog', { name: 'Réglages' })).toBeVisible();
  const saved = JSON.parse(fs.readFileSync(path.join(vigie.profileDir, 'settings.json'), 'utf8'));
  expect(saved).toEqual({ language: 'fr' });
});

test('an invalid policy starts Vigie read-only, saying which field is wrong', async ({ page }) => {
  vigie = await startVigie({ env: { VIGIE_POLICY_FILE: policy({ retention: { maxDays: 0 } }) } });
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await expect(page.getByRole('alert').filter({ hasText: 'READ-ONLY' })).toContainText('retention.maxDays');
  // No feed runs: not even the demo.
  await expect(page.getByText('Démonstration (simulé)')).toHaveCount(0);
});
