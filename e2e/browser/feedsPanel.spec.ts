import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { featureCollection, incidentFeature, startFeedServer, type FeedServer } from '../../test/helpers';

let feed: FeedServer;
let vigie: RunningVigie;
let dropDir: string;

test.beforeEach(async () => {
  feed = await startFeedServer(featureCollection([incidentFeature('OK-1', { title: 'Rixe' }), incidentFeature('BAD-1', {}, [5.37, 143.2])]));
  dropDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-drop-'));
  fs.writeFileSync(path.join(dropDir, 'calls.geojson'), '{"type":"FeatureCollection","features":[{"type":"Feature"');
  vigie = await startVigie({
    config: {
      feeds: [
        { id: 'city', type: 'geojson', label: 'Police municipale', url: feed.url, intervalSeconds: 0.5, privacy: { purpose: 'Dispatch', retentionDays: 90 } },
        { id: 'drop', type: 'geojson', label: 'Dépôt CAD', path: dropDir, intervalSeconds: 0.5 },
        { id: 'down', type: 'cap', label: 'Alertes préfecture', url: 'http://127.0.0.1:9/index.atom', intervalSeconds: 30 },
      ],
    },
  });
});

test.afterEach(async () => {
  await vigie.stop();
  await feed.close();
});

test('the feeds panel shows each feed\'s health, its quarantine with reason and raw input, and pauses a feed', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await page.keyboard.press('f');
  const panel = page.getByRole('dialog', { name: 'Feeds' });
  await expect(panel).toBeVisible();
  const table = panel.getByRole('table', { name: 'Feed health' });
  await expect(table.getByRole('row', { name: 'Police municipale' })).toContainText('up to date');
  await expect(table.getByRole('row', { name: 'Police municipale' })).toContainText('Dispatch');
  await expect(table.getByRole('row', { name: 'Alertes préfecture' })).toContainText('failing');
  await expect(table.getByRole('row', { name: 'Alertes préfecture' })).toContainText(/ECONNREFUSED|fetch failed/);

  await panel.getByRole('button', { name: 'Show the quarantine of Police municipale' }).click();
  const list = panel.getByRole('listbox', { name: 'Quarantined inputs' });
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(panel.getByLabel('Raw input')).toContainText('BAD-1');
  await expect(panel).toContainText('outside WGS84 bounds');
  await panel.getByRole('combobox', { name: 'Feed' }).selectOption({ label: 'All feeds' });
  await expect(list.getByRole('option')).toHaveCount(2);
  await list.getByRole('option', { name: /drop/ }).click();
  await expect(panel.getByLabel('Raw input')).toContainText('{"type":"FeatureCollection"');
  const shot = testInfo.outputPath('feeds-panel.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('feeds panel', { path: shot, contentType: 'image/png' });

  await panel.getByRole('button', { name: 'Pause Police municipale' }).click();
  await expect(table.getByRole('row', { name: 'Police municipale' })).toContainText('paused');
  // One summary in the top bar, whatever the number of feeds.
  await expect(page.getByRole('button', { name: /^Feed health/ })).toHaveText('1/3 feeds up · 1 failing · 1 paused');
  await panel.getByRole('button', { name: 'Resume Police municipale' }).click();
  await expect(table.getByRole('row', { name: 'Police municipale' })).toContainText('up to date');

  // The same from the keyboard: J/K choose a feed, P pauses or resumes it, Q shows its quarantine.
  await panel.getByRole('button', { name: 'Close the feeds panel' }).focus();
  for (const key of ['j', 'j', 'j']) await page.keyboard.press(key);
  await expect(table.getByRole('row', { name: 'Police municipale' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('p');
  await expect(table.getByRole('row', { name: 'Police municipale' })).toContainText('paused');
  await page.keyboard.press('p');
  await expect(table.getByRole('row', { name: 'Police municipale' })).toContainText('up to date');
  await page.keyboard.press('k');
  await page.keyboard.press('q');
  await expect(panel.getByRole('combobox', { name: 'Feed' })).toHaveValue('drop');

  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await page.keyboard.press('l');
  await page.getByRole('button', { name: 'Panneau des flux' }).click();
  const panneau = page.getByRole('dialog', { name: 'Flux' });
  await expect(panneau.getByRole('table', { name: 'État des flux' }).getByRole('row', { name: 'Alertes préfecture' })).toContainText('en échec');
  const shotFr = testInfo.outputPath('feeds-panel-fr.png');
  await page.screenshot({ path: shotFr });
  await testInfo.attach('panneau des flux', { path: shotFr, contentType: 'image/png' });
});

test('an operator sees feed health but not the quarantine, and cannot pause', async ({ page }) => {
  await vigie.stop();
  vigie = await startVigie({ profileDir: vigie.profileDir, args: ['--role', 'operator'] });
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await page.getByRole('button', { name: 'Feeds panel' }).click();
  const panel = page.getByRole('dialog', { name: 'Feeds' });
  await expect(panel.getByRole('row', { name: 'Police municipale' })).toBeVisible();
  await expect(panel.getByRole('button', { name: /Pause/ })).toHaveCount(0);
  await expect(panel.getByRole('region', { name: 'Quarantine' })).toHaveCount(0);
});

test('an admin adds a feed from the panel, sees its incidents, edits it and removes it', async ({ page }, testInfo) => {
  await vigie.stop();
  vigie = await startVigie({ profileDir: vigie.profileDir, args: ['--role', 'admin'] });
  const extra = await startFeedServer(featureCollection([incidentFeature('NEW-1', { title: 'Colis suspect gare' })]));
  try {
    const vigiePage = new VigiePage(page);
    await vigiePage.open(vigie.url);
    await page.keyboard.press('f');
    const panel = page.getByRole('dialog', { name: 'Feeds' });
    await panel.getByRole('button', { name: 'Add a feed' }).click();
    const form = panel.getByRole('form', { name: 'New feed' });
    await form.getByLabel('Identifier').fill('gare');
    await form.getByLabel('Name').fill('Gare Saint-Charles');
    await form.getByRole('combobox', { name: 'Standard' }).selectOption('geojson');
    await form.getByRole('combobox', { name: 'Transport' }).selectOption('poll');
    await form.getByLabel('URL').fill(extra.url);
    await form.getByLabel('Interval (s)').fill('0.5');
    await form.getByLabel('Purpose').fill('Sûreté ferroviaire');
    await form.getByLabel('Field policy (field: keep | drop | pseudonymise)').fill('address: drop');
    // Browser mode has no OS keychain: the editor says where credentials are kept, and how.
    await expect(form).toContainText('Credential: none.');
    await expect(form).toContainText(/secrets\/credentials\.json, readable by this user only \(mode 0600\) but not encrypted/);
    await expect(form).toContainText('vigie credentials --feed gare --bearer');
    const shot = testInfo.outputPath('feed-editor.png');
    await page.screenshot({ path: shot });
    await testInfo.attach('feed editor', { path: shot, contentType: 'image/png' });
    await form.getByRole('button', { name: 'Save' }).click();
    const row = panel.getByRole('table', { name: 'Feed health' }).getByRole('row', { name: 'Gare Saint-Charles' });
    await expect(row).toContainText('Sûreté ferroviaire');
    await expect(row).toContainText('up to date');
    // The modal makes the rest of the page inert: close it to see the new feed's incident.
    await page.keyboard.press('Escape');
    await expect(vigiePage.incident(/Colis suspect gare/)).toBeVisible();
    // Reopened with the top-bar button (F opened it above): under a loaded full run the key press
    // right after Esc was lost twice in CI, and this test is about the editor, not the key.
    await page.getByRole('button', { name: 'Feeds panel' }).click();

    await panel.getByRole('button', { name: 'Edit Gare Saint-Charles' }).click();
    const edit = panel.getByRole('form', { name: 'Edit the feed Gare Saint-Charles' });
    await expect(edit.getByLabel('Identifier')).toBeDisabled();
    await edit.getByLabel('Retention (days)').fill('30');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(row).toContainText('kept 30 days');

    await panel.getByRole('button', { name: 'Edit Gare Saint-Charles' }).click();
    await panel.getByRole('button', { name: 'Remove the feed' }).click();
    await panel.getByRole('button', { name: 'Confirm removal' }).click();
    await expect(row).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Feed health/ })).toContainText('/3 feeds up');

    await panel.getByRole('button', { name: 'Add a feed' }).click();
    await panel.getByRole('form', { name: 'New feed' }).getByLabel('Identifier').fill('Pas Bon');
    await panel.getByRole('form', { name: 'New feed' }).getByLabel('URL').fill('http://127.0.0.1:9/x');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect(panel.getByRole('alert')).toContainText('id: lower-case letters');
  } finally {
    await extra.close();
  }
});
