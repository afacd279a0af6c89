import path from 'node:path';
import Database from 'better-sqlite3';
import { test, expect, type Page } from '@playwright/test';
import { startVigie, type RunningVigie } from '../support/vigieServer';
import { VigiePage } from '../support/VigiePage';
import { scrubTo, wallClockPast, wholeSecondAfter } from '../support/replay';

let vigie: RunningVigie;

test.beforeEach(async () => {
  vigie = await startVigie({ args: ['--no-demo'] });
});

test.afterEach(async () => {
  await vigie.stop();
});


/** Drags a slider of the layer panel to a value, as a hand would (one input event per step). */
async function drag(page: Page, name: string, to: number) {
  await page.getByRole('slider', { name }).evaluate(async (input: HTMLInputElement, target) => {
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    for (let v = Number(input.value); v !== target; v += v > target ? -5 : 5) {
      set.call(input, String(v));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      // One input event per frame, as a hand dragging delivers them.
      await new Promise((r) => requestAnimationFrame(r));
    }
    set.call(input, String(target));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, to);
}

test('replay shows the layer set as it was; back to live, the current set; layers toggled in replay are not recorded', async ({ page }, testInfo) => {
  const vigiePage = new VigiePage(page);
  await vigiePage.open(vigie.url);
  const panel = page.getByRole('region', { name: 'Layers' });
  const shown = (layer: string) => panel.getByRole('group', { name: layer, exact: true }).getByRole('checkbox');
  const opacity = panel.getByRole('slider', { name: 'Opacity of Incidents' });
  const shot = async (name: string) => {
    const file = testInfo.outputPath(`${name}.png`);
    await page.screenshot({ path: file });
    await testInfo.attach(name, { path: file, contentType: 'image/png' });
  };
  await expect(shown('Cameras')).toBeChecked();
  await expect(opacity).toHaveValue('100');
  // Every wait below is on what the log holds or on the wall clock reaching an instant the
  // whole-second scrubber can land on, never a fixed delay.
  const recorded = () => {
    const db = new Database(path.join(vigie.profileDir, 'vigie.sqlite'), { readonly: true });
    try {
      return (db.prepare("SELECT t, payload FROM events WHERE kind = 'layers.changed' ORDER BY seq").all() as { t: number; payload: string }[]).map((r) => ({ t: r.t, ...(JSON.parse(r.payload) as { by: string; visible: string[]; opacity: Record<string, number> }) }));
    } finally {
      db.close();
    }
  };

  // The set the desk opened with is recorded; a while later the supervisor hides the cameras (Shift+3) and dims the incidents.
  await expect.poll(() => recorded().length).toBe(1);
  const before = wholeSecondAfter(recorded()[0]!.t);
  await wallClockPast(before);
  await page.keyboard.press('Shift+Digit3');
  await expect(shown('Cameras')).not.toBeChecked();
  await drag(page, 'Opacity of Incidents', 50);
  await expect(opacity).toHaveValue('50');
  await expect.poll(() => recorded().at(-1)?.opacity.incidents).toBe(0.5);
  const after = wholeSecondAfter(recorded().at(-1)!.t);
  await wallClockPast(after);

  // Replay before the change: the cameras are shown again, the incidents opaque.
  await page.keyboard.press('t');
  await expect(page.getByRole('status').filter({ hasText: 'REPLAY' })).toBeVisible();
  await scrubTo(page, before);
  await expect(shown('Cameras')).toBeChecked();
  await expect(opacity).toHaveValue('100');
  await shot('replay-layers-before');
  // After it: the set as the supervisor changed it.
  await scrubTo(page, after);
  await expect(shown('Cameras')).not.toBeChecked();
  await expect(opacity).toHaveValue('50');

  // In replay the layers can still be toggled, as a local view: the units hidden (Shift+2).
  await page.keyboard.press('Shift+Digit2');
  await expect(shown('Units')).not.toBeChecked();
  // Had this toggle been recorded, it would be by then (the renderer records 600 ms after a change).
  const replayToggleRecordedBy = wholeSecondAfter(Date.now() + 600);

  // Back to live: the set the supervisor had before replay.
  await page.getByRole('button', { name: 'Back to live' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'REPLAY' })).toHaveCount(0);
  await expect(shown('Cameras')).not.toBeChecked();
  await expect(shown('Units')).toBeChecked();
  await expect(opacity).toHaveValue('50');
  await shot('replay-layers-live');

  // The units hidden in replay were not recorded: a replay of a moment ago (after that toggle, before the next) shows them.
  await wallClockPast(replayToggleRecordedBy);
  await page.keyboard.press('Shift+Digit2');
  await expect(shown('Units')).not.toBeChecked();
  await page.keyboard.press('t');
  await expect(page.getByRole('status').filter({ hasText: 'REPLAY' })).toBeVisible();
  await scrubTo(page, replayToggleRecordedBy);
  await expect(shown('Units')).toBeChecked();
  await expect(shown('Cameras')).not.toBeChecked();

  // In the log: the opening set, the change (the toggle and the slider's ten steps written as one or two events), the units hidden live.
  await expect.poll(() => recorded().at(-1)?.visible.includes('units')).toBe(false);
  const sets = recorded();
  expect(sets.length).toBeGreaterThanOrEqual(3);
  expect(sets.length).toBeLessThanOrEqual(4);
  expect(sets.at(-1)).toMatchObject({ visible: expect.not.arrayContaining(['cameras']) as unknown, opacity: expect.objectContaining({ incidents: 0.5 }) as unknown });
});
