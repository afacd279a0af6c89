// Which tests skipped, why, and whether that skip is allowed. `npm test` (scripts/test.mjs) fails
// on a skip that is not on ALLOWED_SKIPS below, or whose reason does not hold on this machine (a
// data-dependent test skipped while ../shared/data is present is a broken test, not a skip).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sharedData = path.resolve(root, '..', 'shared', 'data');
const sharedDataAbsent = () => !fs.existsSync(sharedData);

function electronBinaryPresent() {
  try {
    // The electron package's index prints where its binary is; it throws when the download never happened.
    const where = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return fs.existsSync(where);
  } catch {
    return false;
  }
}

/**
 * The short list of skips allowed, each with why, and `holds()`: whether its reason is true on this
 * machine (checked, not trusted). Anything else that skips fails `npm test`: install what it needs
 * (.ci/run installs PostgreSQL, Chromium, openssl, python3-icalendar) or fix the test.
 */
export const ALLOWED_SKIPS = [
  // The training exercise replays a day of the Houston sample of ../shared/data (issue 18).
  { files: ['e2e/browser/trainingExercise.spec.ts'], why: '../shared/data is absent', holds: sharedDataAbsent },
  // Electron's binary cannot be downloaded here; the browser specs run the same stories against `vigie serve`.
  { files: ['e2e/electron/app.spec.ts', 'e2e/electron/damagedDatabase.spec.ts', 'e2e/electron/popOut.spec.ts', 'e2e/electron/windowLayout.spec.ts'], why: 'the Electron binary is absent', holds: () => !electronBinaryPresent() },
  // It checks the message shown when Electron is missing, so it has nothing to check where Electron is installed.
  { files: ['scripts/release/release.test.ts'], why: 'the Electron binary is present (this test checks the message for its absence)', holds: electronBinaryPresent },
  // Ground truth from public data (Marseille pack sources, the Houston sample, a Protomaps extract,
  // RTM stops) too large for the repository; they run wherever ../shared/data is present.
  {
    files: [
      'main/core/city/packBuild.test.ts', 'main/core/history/importer.test.ts', 'main/core/history/lifecycle.test.ts', 'main/core/indicators/usualLevel.houston.test.ts', 'main/core/api/mapData.test.ts',
      'e2e/browser/mapLayers.spec.ts', 'e2e/browser/basemapLabels.spec.ts', 'e2e/browser/replayCount.spec.ts', 'e2e/browser/gtfsAlerts.spec.ts',
    ],
    why: '../shared/data is absent',
    holds: sharedDataAbsent,
  },
  // A full disk is simulated with a small tmpfs, which only root may mount (CI runs as root).
  { files: ['main/host/commands/doctor.test.ts', 'main/core/feeds/diskFull.test.ts', 'e2e/browser/deskSecurity.spec.ts'], why: 'not root: cannot mount a tmpfs', holds: () => process.getuid?.() !== 0 },
  // exiftool (Debian libimage-exiftool-perl, scripts/system-packages.sh) is the independent reader of citizen media metadata.
  { files: ['main/core/media/strip.test.ts'], why: 'exiftool is not installed', holds: () => !['/usr/bin/exiftool', '/usr/local/bin/exiftool'].some((p) => fs.existsSync(p)) },
  // POSIX file modes: Windows has none to check.
  { files: ['main/core/profileFiles.test.ts'], why: 'Windows', holds: () => process.platform === 'win32' },
];

/** A report's absolute path as a path in this repository: the longest tail that names a file here (a report written in another clone reads the same). */
function relative(file) {
  const parts = path.resolve(root, file).split(path.sep).filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const tail = parts.slice(i).join('/');
    if (fs.existsSync(path.join(root, tail))) return tail;
  }
  return parts.join('/');
}

/** The skipped tests of a Vitest JSON report: { file, title, reason }. Vitest's report keeps no reason. */
export function vitestSkips(report) {
  const out = [];
  for (const file of report.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') out.push({ file: relative(file.name), title: t.fullName ?? t.title, reason: null });
    }
  }
  return out;
}

/** The skipped tests of a Playwright JSON report, with the reason given to test.skip. */
export function playwrightSkips(report) {
  const out = [];
  const walk = (suite, file) => {
    const f = suite.file ?? file;
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (!(t.results ?? []).some((r) => r.status === 'skipped') && t.status !== 'skipped') continue;
        const reason = (t.annotations ?? []).find((a) => a.type === 'skip')?.description ?? null;
        out.push({ file: relative(path.join(report.config?.rootDir ?? path.join(root, 'e2e'), f ?? '')), title: spec.title, reason });
      }
    }
    for (const child of suite.suites ?? []) walk(child, f);
  };
  for (const suite of report.suites ?? []) walk(suite, undefined);
  return out;
}

/** Each skip with the allow-list entry that covers it on this machine, or `allowed: false` and why not. */
export function judgeSkips(skips, allowed = ALLOWED_SKIPS) {
  return skips.map((s) => {
    const entry = allowed.find((a) => a.files.includes(s.file));
    if (!entry) return { ...s, allowed: false, verdict: 'not on the allow-list (scripts/skips.mjs)' };
    if (!entry.holds()) return { ...s, allowed: false, verdict: `allowed only when ${entry.why}, which is not the case here` };
    return { ...s, allowed: true, verdict: `allowed: ${entry.why}` };
  });
}
