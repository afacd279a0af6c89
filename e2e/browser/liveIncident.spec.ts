import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { featureCollection, incidentFeature, startFeedServer, type FeedServer } from '../../test/helpers';

const VIEUX_PORT: [number, number] = [5.3747, 43.2951];

let feed: FeedServer;
let vigie: RunningVigie;

test.beforeEach(async () => {
  feed = await startFeedServer(featureCollection([]));
  vigie = await startVigie({
    config: { feeds: [{ id: 'city', type: 'geojson', label: 'Ville (test)', url: feed.url, intervalSeconds: 0.25, timeoutSeconds: 2 }] },
  });
});

test.afterEach(async () => {
  await vigie.stop();
  await feed.close();
});

test('an incident published by a feed appears in the list and on the map within a second, and survives a reload', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  // Every feed up (one summary in the top bar).
  await expect(page.getByRole('button', { name: /^Feed health/ })).toHaveText(/^(\d+)\/\1 feeds up$/);

  feed.setBody(featureCollection([incidentFeature('E2E-1', { title: 'Rixe quai des Belges', priority: 1, address: 'Quai des Belges' }, VIEUX_PORT)]));
  const published = Date.now();
  await expect(vigiePage.incident(/Rixe quai des Belges/)).toBeVisible({ timeout: 1_000 });
  await vigiePage.expectIncidentOnMap(...VIEUX_PORT, 'city:E2E-1', 1_000 - (Date.now() - published));

  await vigiePage.clickMapAt(...VIEUX_PORT);
  await expect(vigiePage.details.getByRole('heading', { name: 'Rixe quai des Belges' })).toBeVisible();
  await expect(vigiePage.details).toContainText('P1 · critical');
  await expect(vigiePage.details).toContainText('Quai des Belges');

  await page.reload();
  await vigiePage.waitForMap();
  await expect(vigiePage.incident(/Rixe quai des Belges/)).toBeVisible();
  await vigiePage.expectIncidentOnMap(...VIEUX_PORT, 'city:E2E-1');
  await vigiePage.incident(/Rixe quai des Belges/).click();
  await expect(vigiePage.details.getByRole('heading', { name: 'Rixe quai des Belges' })).toBeVisible();
  const shot = testInfo.outputPath('live-incident.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('screen', { path: shot, contentType: 'image/png' });
});

test('the picture survives a restart of the data service (SQLite cache)', async ({ page }) => {
  const vigiePage = new VigiePage(page);
  feed.setBody(featureCollection([incidentFeature('KEEP-1', { title: 'Feu de poubelles' })]));
  await vigiePage.open(vigie.url);
  await expect(vigiePage.incident(/Feu de poubelles/)).toBeVisible();
  await vigie.stop();
  await feed.close();
  feed = await startFeedServer(featureCollection([]));
  vigie = await startVigie({ profileDir: vigie.profileDir, config: { feeds: [{ id: 'city', type: 'geojson', url: feed.url }] } });
  await vigiePage.open(vigie.url);
  await expect(vigiePage.incident(/Feu de poubelles/)).toBeVisible();
});

test('a malformed feature is quarantined while the rest of the batch shows, and the app keeps running', async ({ page }) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  const broken = { type: 'Feature', id: 'BROKEN', geometry: { type: 'Point', coordinates: [5.37] }, properties: { category: 'theft' } };
  feed.setBody(featureCollection([incidentFeature('OK-1', { title: 'Vol à l’arraché' }), broken]));
  await expect(vigiePage.incident(/Vol à l’arraché/)).toBeVisible();
  await expect(page.getByRole('button', { name: /^Feed health/ })).toHaveAttribute('title', /Ville \(test\): 1 quarantined/);
});

test('a feed that goes down is shown as failing without stopping the app', async ({ page }) => {
  const vigiePage = new VigiePage(page);
  feed.setBody(featureCollection([incidentFeature('UP-1', { title: 'Tapage nocturne' })]));
  await vigiePage.open(vigie.url);
  await expect(vigiePage.incident(/Tapage nocturne/)).toBeVisible();
  feed.setDown(true);
  await expect(page.getByRole('button', { name: /^Feed health/ })).toHaveText('0/1 feeds up · 1 failing');
  await expect(vigiePage.incident(/Tapage nocturne/)).toBeVisible();
});

test('the interface speaks French and English and every action has a shortcut', async ({ page }) => {
  const vigiePage = new VigiePage(page);
  feed.setBody(featureCollection([incidentFeature('A', { title: 'Premier' }), incidentFeature('B', { title: 'Second', occurredAt: '2026-11-28T09:00:00Z' })]));
  await vigiePage.open(vigie.url);
  await expect(vigiePage.incident(/Premier/)).toBeVisible();
  await page.getByRole('button', { name: 'Passer en français' }).click();
  await expect(page.getByRole('heading', { name: 'Détails de l’incident' })).toBeVisible();
  await page.keyboard.press('j');
  await expect(vigiePage.details.getByRole('heading', { name: 'Premier' })).toBeVisible();
  await page.keyboard.press('j');
  await expect(vigiePage.details.getByRole('heading', { name: 'Second' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(vigiePage.details).toContainText('Sélectionnez un incident');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Raccourcis clavier' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('l');
  await expect(page.getByRole('heading', { name: 'Incident details' })).toBeVisible();
});

test('without the access token the page says how to get in, and the service refuses it', async ({ page }) => {
  const bare = vigie.url.replace(/\?token=.*/, '');
  await page.goto(bare);
  await expect(page.getByRole('alert')).toContainText('vigie serve');
});
