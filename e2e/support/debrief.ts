import { expect, type Download, type Page, type TestInfo } from '@playwright/test';

/** The trainer saves the debrief (Shift+D): its two files (HTML and CSV), saved under the test's output folder. */
export async function saveDebrief(page: Page, testInfo: TestInfo): Promise<string[]> {
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.keyboard.press('Shift+D');
  await expect.poll(() => downloads.length).toBe(2);
  return Promise.all(downloads.map(async (d) => {
    const file = testInfo.outputPath(d.suggestedFilename());
    await d.saveAs(file);
    return file;
  }));
}
