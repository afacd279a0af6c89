import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';

// A square of about 500 m around the Vieux-Port, drawn corner by corner.
const CORNERS: [number, number][] = [[5.368, 43.292], [5.376, 43.292], [5.376, 43.297], [5.368, 43.297]];

let vigie: RunningVigie;
test.beforeEach(async () => {
  vigie = await startVigie({ config: { demo: false, feeds: [] } });
});
test.afterEach(async () => {
  await vigie.stop();
});

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

const annotation = (page: Page) => page.evaluate(() => window.vigieMap!.annotations()[0] ?? null);

test.setTimeout(120_000);

test('a drawn zone is reshaped by dragging a vertex and moved whole with the keyboard, each a new version; Y undoes; a stale edit from another window is refused', async ({ page, context }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  await page.evaluate(() => window.vigieMap!.flyTo(5.372, 43.2945, 15));

  await page.keyboard.press('e');
  const drawing = page.getByRole('form', { name: 'Drawing a Polygon' });
  for (const [lon, lat] of CORNERS) await vigiePage.clickMapAt(lon, lat);
  await drawing.getByRole('textbox', { name: 'Label' }).fill('Zone fan-zone');
  await drawing.getByRole('button', { name: 'Save annotation' }).click();
  await expect.poll(async () => (await annotation(page))?.version).toBe(1);
  const drawn = (await annotation(page))!;

  // A second window opens the same zone for editing, on version 1.
  const second = new VigiePage(await context.newPage());
  await second.open(vigie.url);
  await expect.poll(async () => (await annotation(second.page))?.version).toBe(1);
  // Only the front tab draws (software WebGL, background tabs throttled): work in the first one.
  await page.bringToFront();

  // Mouse: Shift+E edits the zone; the south-east corner is dragged 300 m further east.
  await page.keyboard.press('Shift+E');
  const editing = page.getByRole('form', { name: 'Editing the shape of Zone fan-zone' });
  await expect(editing.getByRole('status')).toContainText('Vertex 1 of 4');
  const from = await page.evaluate(([x, y]) => window.vigieMap!.project(x!, y!), CORNERS[1]!);
  const to = await page.evaluate(() => window.vigieMap!.project(5.3797, 43.292));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
  await expect(editing.getByRole('status')).toContainText('Vertex 2 of 4');
  await shot(page, testInfo, 'shape-edit-dragging');
  await editing.getByRole('button', { name: 'Save shape' }).click();
  await expect(editing).toBeHidden();
  await expect.poll(async () => (await annotation(page))?.version).toBe(2);
  const dragged = (await annotation(page))!;
  expect(dragged.coordinates[1]![0]).toBeCloseTo(5.3797, 3);
  expect(dragged.coordinates[1]![1]).toBeCloseTo(43.292, 3);
  expect([dragged.coordinates[0], dragged.coordinates[2], dragged.coordinates[3]]).toEqual([drawn.coordinates[0], drawn.coordinates[2], drawn.coordinates[3]]);

  // Keyboard: X steps to the "whole shape" handle, Shift+→ moves it east, Enter saves (focus is on Save).
  await page.keyboard.press('Shift+E');
  await expect(editing).toBeVisible();
  for (let i = 0; i < 4; i++) await page.keyboard.press('x');
  await expect(editing.getByRole('status')).toContainText('Whole shape');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  await shot(page, testInfo, 'shape-edit-keyboard');
  await page.keyboard.press('Enter');
  await expect(editing).toBeHidden();
  await expect.poll(async () => (await annotation(page))?.version).toBe(3);
  const moved = (await annotation(page))!;
  moved.coordinates.forEach(([lon, lat], i) => {
    expect(lon).toBeGreaterThan(dragged.coordinates[i]![0] + 0.0005);
    expect(lat).toBeCloseTo(dragged.coordinates[i]![1], 5);
  });
  await shot(page, testInfo, 'shape-edit-moved');

  // Y undoes the move: the dragged shape is back, as version 4.
  await page.keyboard.press('y');
  await expect.poll(async () => (await annotation(page))?.version).toBe(4);
  expect((await annotation(page))!.coordinates).toEqual(dragged.coordinates);

  // The second window had started an edit on version 1 before all this: its save is refused, with who changed it.
  await expect.poll(async () => (await annotation(second.page))?.version).toBe(4);
  await second.page.bringToFront();
  await second.page.getByRole('button', { name: 'Annotations (1)' }).click();
  await second.page.getByRole('button', { name: 'Edit the shape of Zone fan-zone' }).click();
  // Simulate the race: the zone changes again (from the first window) while the second window edits.
  await page.bringToFront();
  await page.keyboard.press('Shift+E');
  for (let i = 0; i < 4; i++) await page.keyboard.press('x');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await annotation(page))?.version).toBe(5);
  await second.page.bringToFront();
  const secondEditing = second.page.getByRole('form', { name: 'Editing the shape of Zone fan-zone' });
  await second.page.keyboard.press('ArrowDown');
  await secondEditing.getByRole('button', { name: 'Save shape' }).click();
  await expect(secondEditing.getByRole('alert')).toContainText('was changed by');
  await expect(secondEditing.getByRole('alert')).toContainText('now version 5; your edit was made on version 4');
  await shot(second.page, testInfo, 'shape-edit-conflict');

  // After a reload the shape is the saved one, and the journal lists the edits.
  await page.bringToFront();
  await page.reload();
  await vigiePage.waitForMap();
  await expect.poll(async () => (await annotation(page))?.version).toBe(5);
  await page.keyboard.press('g');
  const journal = page.getByRole('table', { name: 'Audit journal' });
  await expect(journal.getByRole('row').filter({ hasText: 'annotation.reshape' })).toHaveCount(4);
  await expect(journal.getByRole('row').filter({ hasText: 'annotation.reshape.undo' })).toHaveCount(1);
});
