import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

let vigie: RunningVigie;

test.beforeEach(async () => {
  vigie = await startVigie({ args: ['--no-demo'], config: { calendar: { clashDistanceM: 500 } } });
});

test.afterEach(async () => {
  await vigie.stop();
});

const icsTime = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

test('an imported .ics with two overlapping events 200 m apart shows one clash with its reason, in the list and on the map layer', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  const tomorrow = Date.now() + 86_400_000;
  const ics = [
    'BEGIN:VCALENDAR', 'VERSION:2.0',
    'BEGIN:VEVENT', 'UID:concert', 'SUMMARY:Concert Canebière', `DTSTART:${icsTime(tomorrow)}`, `DTEND:${icsTime(tomorrow + 4 * 3_600_000)}`, 'GEO:43.2960;5.3770', 'CATEGORIES:festival', 'X-VIGIE-ATTENDANCE:3000', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:manif', 'SUMMARY:Manifestation déclarée', `DTSTART:${icsTime(tomorrow + 2 * 3_600_000)}`, `DTEND:${icsTime(tomorrow + 5 * 3_600_000)}`, 'GEO:43.2978;5.3770', 'CATEGORIES:manifestation', 'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');

  await page.keyboard.press('Shift+W');
  const dialog = page.getByRole('dialog', { name: 'Events calendar, next 7 days' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Import a calendar file (.ics, .csv, .geojson)').setInputFiles({ name: 'agenda.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
  await expect(dialog.getByRole('status')).toHaveText('2 imported, 0 refused.');
  const clashes = dialog.getByRole('region', { name: 'Clashes (1)' });
  await expect(clashes.getByRole('listitem')).toHaveCount(1);
  await expect(clashes.getByRole('listitem')).toContainText('Concert Canebière × Manifestation déclarée');
  await expect(clashes.getByRole('listitem')).toContainText(/at the same time, 2\d\d m apart/);
  await expect(dialog.getByRole('region', { name: 'Planned events (2)' })).toContainText('3000 expected');
  await page.screenshot({ path: testInfo.outputPath('calendar.png') });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('button', { name: 'Events calendar, clashes: 1' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Layers' }).getByRole('checkbox', { name: 'Planned events' })).toBeChecked();
  await expect.poll(() => page.evaluate(() => window.vigieMap!.drawnLayers())).toContain('calendar');
});
