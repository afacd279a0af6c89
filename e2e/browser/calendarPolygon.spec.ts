import { test, expect, type Page } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

let vigie: RunningVigie | undefined;
test.afterEach(async () => {
  await vigie?.stop();
});

const local = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

async function screenPoint(page: Page, lon: number, lat: number) {
  return page.evaluate(([x, y]) => window.vigieMap!.project(x!, y!), [lon, lat]);
}

test('a manual calendar entry takes an area drawn on the map, by mouse and by keyboard', async ({ page }, testInfo) => {
  vigie = await startVigie({ args: ['--no-demo'] });
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await page.evaluate(() => window.vigieMap!.flyTo(5.3767, 43.2965, 15));

  await page.keyboard.press('Shift+W');
  const dialog = page.getByRole('dialog', { name: 'Events calendar, next 7 days' });
  const form = dialog.getByRole('form', { name: 'Add planned events' });
  await form.getByLabel('Title', { exact: true }).fill('Marché de Noël, Vieux-Port');
  await form.locator('select[name=kind]').selectOption('market');
  const tomorrow = Date.now() + 86_400_000;
  await form.getByLabel('Start', { exact: true }).fill(local(tomorrow));
  await form.getByLabel('End', { exact: true }).fill(local(tomorrow + 6 * 3_600_000));
  await form.getByLabel('Expected attendance').fill('5000');
  await form.getByLabel('An area (polygon)').check();
  await expect(form).toContainText('No area drawn yet.');

  // Shift+Y: the dialog steps aside and the map takes the corners.
  await dialog.press('Shift+Y');
  await expect(dialog).toBeHidden();
  const banner = page.getByRole('status', { name: 'Drawing a planned event’s area' });
  await expect(banner).toContainText('0 so far');
  const corners: [number, number][] = [[5.3740, 43.2950], [5.3790, 43.2950], [5.3790, 43.2980]];
  for (const [lon, lat] of corners) {
    const p = await screenPoint(page, lon, lat);
    await page.mouse.click(p.x, p.y);
  }
  await expect(banner).toContainText('3 so far');
  // Keyboard: A adds the centre of the map, Backspace takes it back, A again after moving the map.
  await page.keyboard.press('a');
  await expect(banner).toContainText('4 so far');
  await page.keyboard.press('Backspace');
  await expect(banner).toContainText('3 so far');
  await page.evaluate(() => window.vigieMap!.flyTo(5.3745, 43.2978, 15));
  await page.keyboard.press('a');
  await expect(banner).toContainText('4 so far');
  await page.screenshot({ path: testInfo.outputPath('calendar-drawing.png') });
  await page.keyboard.press('Enter');

  // Back in the dialog, with everything typed before and the area.
  await expect(dialog).toBeVisible();
  await expect(form.getByLabel('Title', { exact: true })).toHaveValue('Marché de Noël, Vieux-Port');
  await expect(form).toContainText('Area of 4 corners drawn.');
  await form.getByRole('button', { name: 'Add the event' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Marché de Noël, Vieux-Port added.');
  await expect(dialog.getByRole('region', { name: 'Planned events (1)' })).toContainText('5000 expected');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The area is on the map: the calendar layer answers inside it, not outside it.
  const inside = await screenPoint(page, 5.3775, 43.2960);
  await expect.poll(() => page.evaluate(([x, y]) => window.vigieMap!.pick(x!, y!, ['calendar'])?.layer ?? null, [inside.x, inside.y])).toBe('calendar');
  const outside = await screenPoint(page, 5.3700, 43.2930);
  expect(await page.evaluate(([x, y]) => window.vigieMap!.pick(x!, y!, ['calendar'])?.layer ?? null, [outside.x, outside.y])).toBeNull();
  await page.screenshot({ path: testInfo.outputPath('calendar-polygon.png') });

  // Esc while drawing cancels and keeps the dialog's point entry as it was.
  await page.keyboard.press('Shift+W');
  await form.getByLabel('An area (polygon)').check();
  await dialog.press('Shift+Y');
  await expect(banner).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(banner).toBeHidden();
  await expect(dialog).toBeVisible();
  await expect(form).toContainText('No area drawn yet.');
});
