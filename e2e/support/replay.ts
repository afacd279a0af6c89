import { expect, type Page } from '@playwright/test';

/** The replay clock shown in the timeline bar (ms). */
export const replayTime = async (page: Page) => Date.parse((await page.getByRole('timer', { name: 'Replay time' }).getAttribute('datetime'))!);

/** Moves the replay clock as a trainer dragging the scrubber would (the range input takes whole seconds), and waits until it shows that time. */
export async function scrubTo(page: Page, at: number) {
  const whole = Math.floor(at / 1000) * 1000;
  await page.getByRole('slider', { name: 'Time of day' }).evaluate((input: HTMLInputElement, value) => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, String(value));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, whole);
  await expect.poll(() => replayTime(page)).toBe(whole);
}

/**
 * Waits until the wall clock is past `t`. The replay scrubber takes whole seconds, so a test that
 * scrubs to an instant between two recorded events waits for that instant to exist: a condition on
 * the clock, never a fixed delay.
 */
export async function wallClockPast(t: number) {
  await expect.poll(() => Date.now(), { intervals: [50], timeout: Math.max(10_000, t - Date.now() + 5_000) }).toBeGreaterThan(t);
}

/** The first whole second at or after `t` (what the scrubber can land on). */
export const wholeSecondAfter = (t: number) => Math.ceil(t / 1000) * 1000;
