import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { featureCollection, incidentFeature, startFeedServer, type FeedServer } from '../../test/helpers';
import { addHubUser, addWorkstation } from '../../main/core/hub/credentials';
import { freePort, NO_POSTGRES, postgresBinDir, startPgCluster, type PgCluster } from '../../main/core/hub/pgCluster';
import { startCable, startHubProcess, startSeat, type Cable, type HubProcess, type Seat } from '../../main/core/hub/testing';

test.skip(postgresBinDir() === null, NO_POSTGRES);

let cluster: PgCluster;
let feed: FeedServer;
let hub: HubProcess;
let cable: Cable;
let seatA: Seat;
let vigie: RunningVigie;
let dir: string;

test.afterEach(async () => {
  await vigie?.stop();
  await seatA?.close();
  await hub?.stop();
  await cable?.close();
  await feed?.close();
  cluster?.destroy();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a workstation cut from its hub shows its pending action, then the hub’s refusal and why, in English and French', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  cluster = await startPgCluster();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-10-e2e-'));
  feed = await startFeedServer(featureCollection([incidentFeature('H-1', { title: 'Rixe cours Belsunce', priority: 1 }, [5.3765, 43.2995]), incidentFeature('H-2', { title: 'Tapage rue de Rome' }, [5.38, 43.293])]));
  const state = path.join(dir, 'hub');
  fs.mkdirSync(state);
  fs.writeFileSync(path.join(state, 'config.json'), JSON.stringify({ feeds: [{ id: 'city', type: 'geojson', label: 'City', url: feed.url, intervalSeconds: 0.5 }], demo: false }));
  const credentials = path.join(dir, 'hub-credentials.json');
  const secretA = addWorkstation(credentials, 'poste-1');
  fs.writeFileSync(path.join(dir, 'poste-2.secret'), addWorkstation(credentials, 'poste-2'), { mode: 0o600 });
  addHubUser(credentials, 'alice', 'supervisor', ['poste-1']);
  addHubUser(credentials, 'chloe', 'supervisor', ['poste-2']);
  const port = await freePort();
  hub = await startHubProcess(['--pg', cluster.url, '--port', String(port), '--state', state, '--credentials', credentials, '--no-demo']);
  cable = await startCable(port);
  seatA = startSeat(path.join(dir, 'a'), { urls: [hub.url], workstation: 'poste-1', secret: secretA, user: 'alice' });
  // The seat on screen: `vigie serve --hub`, reaching the hub through a cable the test can cut.
  // IT's role policy lets this kiosk name its person (`--user`, docs/security.md).
  const profileDir = path.join(dir, 'seat-2');
  fs.mkdirSync(profileDir);
  fs.writeFileSync(path.join(profileDir, 'policy.json'), JSON.stringify({ version: 1, users: { chloe: 'supervisor' }, allowUserFlag: true }));
  vigie = await startVigie({ profileDir, args: ['--hub', cable.url, '--workstation', 'poste-2', '--secret-file', path.join(dir, 'poste-2.secret'), '--user', 'chloe'] });

  const screen = new VigiePage(page);
  await screen.open(vigie.url);
  const hubButton = page.getByRole('button', { name: /^Hub online/ });
  await expect(hubButton).toBeVisible();
  await screen.incident(/Rixe cours Belsunce/).click();

  cable.cut();
  await expect(page.getByRole('button', { name: /^Hub unreachable/ })).toBeVisible();
  // Meanwhile, on another workstation, Alice closes it.
  seatA.call('incidents.close', { id: 'city:H-1', reason: 'fin' });

  // Chloé, cut off, closes it too: it applies here at once and waits for the hub.
  await page.keyboard.press('c');
  const close = page.getByRole('dialog', { name: 'Close “Rixe cours Belsunce”' });
  await close.getByRole('textbox').fill('Calm restored');
  await close.getByRole('button', { name: 'Close' }).click();
  await expect(screen.details.locator('.status-chip').first()).toHaveText('Closed');
  await expect(page.getByTestId('sync-pending')).toHaveText('1 pending');
  const pendingShot = testInfo.outputPath('hub-pending.png');
  await page.screenshot({ path: pendingShot });
  await testInfo.attach('cut off: one action pending', { path: pendingShot, contentType: 'image/png' });

  cable.mend();
  const alert = page.getByRole('alert').filter({ hasText: 'refused by the hub' });
  await expect(alert).toContainText('Rixe cours Belsunce had already been closed by alice on another workstation', { timeout: 20_000 });
  await expect(page.getByTestId('sync-pending')).toHaveCount(0);
  // The incident's story says it too, next to Chloé's own attempt.
  await expect(screen.details.getByRole('list', { name: 'History' })).toContainText('the hub refused chloe’s close: alice had closed it first on another workstation');
  await expect(page.getByRole('button', { name: /^Hub online/ })).toBeVisible();
  const conflictShot = testInfo.outputPath('hub-conflict.png');
  await page.screenshot({ path: conflictShot });
  await testInfo.attach('back online: the refusal and why', { path: conflictShot, contentType: 'image/png' });

  await page.keyboard.press('l');
  await expect(page.getByRole('alert').filter({ hasText: 'Refus du hub' })).toContainText('avait déjà été clôturé par alice sur un autre poste');
  const frShot = testInfo.outputPath('hub-conflict-fr.png');
  await page.screenshot({ path: frShot });
  await testInfo.attach('the refusal in French', { path: frShot, contentType: 'image/png' });

  // Shift+Q lists it; Shift+P dismisses it.
  await page.keyboard.press('Shift+Q');
  await expect(page.getByRole('dialog', { name: /Lien avec le hub/ })).toContainText('Refusées par le hub (1)');
  const panelShot = testInfo.outputPath('hub-panel-fr.png');
  await page.screenshot({ path: panelShot });
  await testInfo.attach('the hub panel (Shift+Q)', { path: panelShot, contentType: 'image/png' });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+P');
  await expect(page.getByRole('alert').filter({ hasText: 'Refus du hub' })).toHaveCount(0);
});
