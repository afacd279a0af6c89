import { test, expect } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';

let vigie: RunningVigie;

test.beforeEach(async () => {
  vigie = await startVigie({ args: ['--no-demo'], config: { calendar: { clashDistanceM: 500 } } });
});

test.afterEach(async () => {
  await vigie.stop();
});

const icsTime = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

test('a cancelled event and a weekly market from an .ics are listed (cancelled marked, occurrences expanded) and the cancelled one clashes with nothing', async ({ page }, testInfo) => {
  test.slow(); // a shared, loaded machine
  // The dialog needs no map: wait for the connection, not for WebGL.
  await page.goto(vigie.url);
  await expect(page.getByText('Connected')).toBeVisible({ timeout: 60_000 });
  const tomorrow = Date.now() + 86_400_000;
  const ics = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Ville de Marseille//Agenda//FR',
    'BEGIN:VEVENT', 'UID:concert', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Concert Canebière', `DTSTART:${icsTime(tomorrow)}`, `DTEND:${icsTime(tomorrow + 4 * 3_600_000)}`, 'GEO:43.2960;5.3770', 'CATEGORIES:festival', 'STATUS:CANCELLED', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:manif', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Manifestation déclarée', `DTSTART:${icsTime(tomorrow + 2 * 3_600_000)}`, `DTEND:${icsTime(tomorrow + 5 * 3_600_000)}`, 'GEO:43.2978;5.3770', 'CATEGORIES:manifestation', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:marche', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Marché du Prado', `DTSTART:${icsTime(tomorrow - 3 * 86_400_000)}`, 'DURATION:PT6H', 'RRULE:FREQ=DAILY;INTERVAL=2', 'GEO:43.27;5.39', 'CATEGORIES:marché', 'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');

  await page.getByRole('button', { name: /Events calendar/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Events calendar, next 7 days' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Import a calendar file (.ics, .csv, .geojson)').setInputFiles({ name: 'agenda.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
  await expect(dialog.getByRole('status')).toHaveText('3 imported, 0 refused.');
  await expect(dialog.getByRole('region', { name: 'Clashes (0)' })).toBeVisible();
  const planned = dialog.getByRole('region', { name: /Planned events/ });
  await expect(planned.getByRole('listitem').filter({ hasText: 'Concert Canebière' })).toContainText('Cancelled');
  // Every other day over the next 7: three or four markets, each its own line.
  expect(await planned.getByRole('listitem').filter({ hasText: 'Marché du Prado' }).count()).toBeGreaterThanOrEqual(3);
  const shot = testInfo.outputPath('calendar-cancelled.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('calendar with a cancelled event', { path: shot, contentType: 'image/png' });
});
