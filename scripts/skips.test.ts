import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the test runner's, without type declarations
import { judgeSkips, playwrightSkips, vitestSkips } from './skips.mjs';

const root = path.resolve(__dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

type Judged = { file: string; title: string; reason: string | null; allowed: boolean; verdict: string };

/**
 * A folder inside the repository, so fixtures resolve our node_modules: under the ignored .tsbuild/
 * (Playwright finds no test under test-results/, its own output folder).
 */
function fixtureDir(): string {
  fs.mkdirSync(path.join(root, '.tsbuild'), { recursive: true });
  return fs.mkdtempSync(path.join(root, '.tsbuild', 'skips-fixture-'));
}

// The reports are written by the real Vitest and Playwright on tiny fixtures: the parser is checked
// against what those tools write, not against a shape we made up.
describe('npm test names every skip and fails on one not on the allow-list', () => {
  it('reads the skips of a real Vitest report and judges them by file and by whether their reason holds here', () => {
    const dir = fixtureDir();
    try {
      fs.mkdirSync(path.join(dir, 'main', 'core', 'hub'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'main', 'core', 'api'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'main', 'core', 'hub', 'hub.test.ts'), "test.skipIf(true)('hub on PostgreSQL', () => {});\ntest('runs', () => {});\n");
      fs.writeFileSync(path.join(dir, 'main', 'core', 'api', 'mapData.test.ts'), "test.skipIf(true)('serves a PMTiles file', () => {});\n");
      const out = path.join(dir, 'vitest.json');
      const run = spawnSync(bin('vitest'), ['run', '--root', dir, '--globals', '--reporter=json', `--outputFile.json=${out}`], { cwd: dir, encoding: 'utf8' });
      expect(fs.existsSync(out), run.stderr).toBe(true);
      const skips = vitestSkips(JSON.parse(fs.readFileSync(out, 'utf8'))) as { file: string; title: string }[];
      expect(skips.map((s) => s.title).sort()).toEqual(['hub on PostgreSQL', 'serves a PMTiles file']);
      const judged = judgeSkips(skips.map((s) => ({ ...s, file: s.file.slice(s.file.indexOf('main/core/')) }))) as Judged[];
      const byTitle = Object.fromEntries(judged.map((j) => [j.title, j]));
      // PostgreSQL is installed by .ci/run: a hub test that skips is not allowed.
      expect(byTitle['hub on PostgreSQL']).toMatchObject({ allowed: false, verdict: expect.stringMatching(/not on the allow-list/) as unknown });
      // Data-dependent: allowed only where ../shared/data is absent.
      const dataPresent = fs.existsSync(path.resolve(root, '..', 'shared', 'data'));
      expect(byTitle['serves a PMTiles file']!.allowed).toBe(!dataPresent);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the reason given to test.skip from a real Playwright report', () => {
    const dir = fixtureDir();
    try {
      fs.mkdirSync(path.join(dir, 'electron'));
      fs.writeFileSync(path.join(dir, 'electron', 'app.spec.ts'), "import { test } from '@playwright/test';\ntest.skip(true, 'Electron binary absent (fixture)');\ntest('the desktop app', () => {});\n");
      fs.writeFileSync(path.join(dir, 'playwright.config.ts'), "export default { testDir: '.', reporter: [['json']] };\n");
      const out = path.join(dir, 'playwright.json');
      const run = spawnSync(bin('playwright'), ['test', '--config', path.join(dir, 'playwright.config.ts')], { cwd: dir, encoding: 'utf8', env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: out } });
      expect(fs.existsSync(out), run.stdout + run.stderr).toBe(true);
      const skips = playwrightSkips(JSON.parse(fs.readFileSync(out, 'utf8'))) as { file: string; title: string; reason: string }[];
      expect(skips).toEqual([expect.objectContaining({ title: 'the desktop app', reason: 'Electron binary absent (fixture)' })]);
      expect(skips[0]!.file).toMatch(/electron\/app\.spec\.ts$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
