import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { writePmtiles } from '../../main/core/city/pmtilesWriter';

let vigie: RunningVigie | null = null;
let mounted: string | null = null;
test.afterEach(async () => {
  await vigie?.stop();
  vigie = null;
  if (mounted) execFileSync('umount', ['-l', mounted]);
  mounted = null;
});

test('a desk user chooses the basemap among those IT deployed, by name, and cannot change updates', async ({ page }, testInfo) => {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-'));
  writePmtiles(path.join(profileDir, 'marseille.pmtiles'), [{ z: 0, x: 0, y: 0, data: new Uint8Array([0x1a, 0x00]) }], { tileType: 'mvt', bounds: [5.2, 43.1, 5.6, 43.4], minZoom: 0, maxZoom: 0, center: [5.4, 43.3], centerZoom: 0, metadata: { name: 'Marseille' } });
  vigie = await startVigie({ profileDir, config: { basemaps: { 'Marseille hors ligne': { type: 'pmtiles', path: 'marseille.pmtiles' } } }, env: { VIGIE_POLICY_FILE: path.join(profileDir, 'no-policy.json') } });
  // The settings and the banner do not need the map: no wait for WebGL here.
  await page.goto(vigie.url);
  await expect(page.getByRole('heading', { name: 'Vigie' })).toBeVisible();
  await page.keyboard.press(',');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const basemap = dialog.getByLabel('Basemap');
  await expect(basemap.locator('option')).toHaveText(['Built-in map (offline)', 'Marseille hors ligne']);
  await expect(dialog.getByLabel('Automatic updates')).toBeDisabled();
  await basemap.selectOption('Marseille hors ligne');
  await expect(basemap).toHaveValue('Marseille hors ligne');
  await page.screenshot({ path: testInfo.outputPath('settings-basemap-choice.png') });
  expect(JSON.parse(fs.readFileSync(path.join(profileDir, 'settings.json'), 'utf8'))).toEqual({ basemap: 'Marseille hors ligne' });
});

test('a full disk under vigie serve: the feeds fail with the reason, the page keeps working and says DISK FULL', async ({ page }, testInfo) => {
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch {
    test.skip(true, 'needs root to mount a small tmpfs (mount -t tmpfs -o size=8m)');
  }
  mounted = mountPoint;
  const profileDir = path.join(mountPoint, 'profile');
  fs.mkdirSync(profileDir);
  vigie = await startVigie({ profileDir, env: { VIGIE_DEMO_INTERVAL_MS: '100', VIGIE_POLICY_FILE: path.join(mountPoint, 'no-policy.json') } });
  await page.goto(vigie.url);
  await expect(page.getByRole('heading', { name: 'Vigie' })).toBeVisible();
  // Fill what is left of the disk.
  const fd = fs.openSync(path.join(mountPoint, 'filler'), 'w');
  try {
    for (;;) fs.writeSync(fd, Buffer.alloc(64 * 1024));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  const banner = page.getByRole('alert').filter({ hasText: 'DISK FULL' });
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await expect(banner).toContainText('free space on the disk holding the Vigie profile');
  expect(vigie.process.exitCode).toBeNull();
  // A write the page makes meanwhile is refused with what to do, not as an internal failure.
  await expect(page.getByRole('alert').filter({ hasText: 'inside the data service' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('disk-full-banner.png') });
  // The page still answers: the settings dialog opens from the service.
  await page.keyboard.press(',');
  await expect(page.getByRole('dialog', { name: 'Settings' }).getByLabel('Language')).toBeVisible();
  fs.rmSync(path.join(mountPoint, 'filler'));
  await expect(banner).toHaveCount(0, { timeout: 20_000 });
});
