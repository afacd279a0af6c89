import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { startFeedServer, type FeedServer } from '../../test/helpers';

// An Atom index whose entries only link to alerts on another host (not followed), and the
// NWS-style index whose entries carry the alert inline (stored as alerts).
const linksOnly = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id>${['a', 'b', 'c']
  .map((id) => `<entry><id>urn:${id}</id><link type="application/cap+xml" href="https://alerts.example.invalid/${id}.xml"/></entry>`)
  .join('')}</feed>`;
const nws = fs.readFileSync(path.join(import.meta.dirname, '../../main/core/feeds/fixtures/nws_cap11_index.atom'), 'utf8');

let index: FeedServer;
let inline: FeedServer;
let vigie: RunningVigie;

test.beforeEach(async () => {
  index = await startFeedServer(linksOnly);
  inline = await startFeedServer(nws);
  vigie = await startVigie({
    config: {
      feeds: [
        { id: 'prefecture', type: 'cap', label: 'Alertes préfecture', url: index.url, intervalSeconds: 0.5 },
        { id: 'nws', type: 'cap', label: 'NWS Texas', url: inline.url, intervalSeconds: 0.5 },
      ],
    },
  });
});

test.afterEach(async () => {
  await vigie.stop();
  await index.close();
  await inline.close();
});

test('the feeds panel never shows a silent zero: it says what was read and not stored, in English and French', async ({ page }, testInfo) => {
  test.slow(); // a map page on a shared, loaded machine
  // The panel needs no map: wait for the connection, not for WebGL (slow on a loaded machine).
  await page.goto(vigie.url);
  await expect(page.getByRole('button', { name: 'Feeds panel' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Feeds panel' }).click();
  const panel = page.getByRole('dialog', { name: 'Feeds' });
  const table = panel.getByRole('table', { name: 'Feed health' });
  const prefecture = table.getByRole('row', { name: 'Alertes préfecture' });
  await expect(prefecture.getByLabel('Read but not stored (latest payload)')).toHaveText('3 index entries: links only');
  // The inline entries became alerts (one is quarantined with its reason), and nothing is said to be ignored.
  const texas = table.getByRole('row', { name: 'NWS Texas' });
  await expect(texas).toContainText('up to date');
  await expect(texas.getByRole('cell').nth(5)).toHaveText('3'); // stored
  await expect(texas.getByRole('cell').nth(6)).toHaveText('1'); // quarantined: the "Catastrophic" entry
  await expect(texas.getByLabel('Read but not stored (latest payload)')).toHaveCount(0);
  const shot = testInfo.outputPath('feeds-ignored-en.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('feeds panel (EN)', { path: shot, contentType: 'image/png' });

  await page.keyboard.press('Escape');
  await page.keyboard.press('l');
  await page.getByRole('button', { name: 'Panneau des flux' }).click();
  const panneau = page.getByRole('dialog', { name: 'Flux' });
  await expect(panneau.getByRole('row', { name: 'Alertes préfecture' }).getByLabel('Lus mais non stockés (dernier envoi)')).toHaveText('3 entrées d’index : liens seulement');
  const fr = testInfo.outputPath('feeds-ignored-fr.png');
  await page.screenshot({ path: fr });
  await testInfo.attach('feeds panel (FR)', { path: fr, contentType: 'image/png' });
});
