import fs from 'node:fs';
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

/** Prints the open debrief as a trainer would (Chromium's print to PDF, from the report's own print styles); attaches the PDF and a picture of the printed page. */
export async function printDebrief(report: Page, testInfo: TestInfo): Promise<void> {
  const pdf = testInfo.outputPath('debrief.pdf');
  await report.emulateMedia({ media: 'print' });
  await report.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  await testInfo.attach('debrief (PDF)', { path: pdf, contentType: 'application/pdf' });
  const printed = testInfo.outputPath('debrief-print.png');
  await report.screenshot({ path: printed, fullPage: true });
  await testInfo.attach('debrief as printed', { path: printed, contentType: 'image/png' });
}
