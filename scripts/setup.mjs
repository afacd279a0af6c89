#!/usr/bin/env node
// Sets a fresh checkout up: system packages where it can (Debian), npm packages, native modules, the Electron binary where it can be
// downloaded, and the build. Safe to run again. Usage: npm run setup
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  return result.status === 0;
}
function step(title) {
  console.log(`\n▶ ${title}`);
}

step('System packages (Debian: Chromium, Mesa, PostgreSQL, openssl, test oracles)');
// Only where apt-get exists and we are root or have password-less sudo; elsewhere it says what to install.
if (process.platform === 'linux' && !run('bash', ['scripts/system-packages.sh'])) {
  console.error('Some system packages could not be installed: the end-to-end and hub tests need them (see the lines above).');
}

step('Installing npm packages (npm ci)');
// Install scripts run only for the packages that need them, below: the electron package's script
// downloads a binary from GitHub, which must not fail the whole install where GitHub is unreachable.
if (!run(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'])) process.exit(1);

step('Building native modules (better-sqlite3, esbuild)');
if (!run(npm, ['rebuild', 'better-sqlite3', 'esbuild'])) {
  console.error('better-sqlite3 could not be built: it needs python3, make and a C++ compiler (Debian: apt-get install -y python3 make g++).');
  process.exit(1);
}

step('Fetching the Electron binary (optional)');
const electronInstall = path.join(root, 'node_modules', 'electron', 'install.js');
const fetched = fs.existsSync(electronInstall) && spawnSync(process.execPath, [electronInstall], { cwd: path.dirname(electronInstall), stdio: 'pipe', timeout: 180_000 });
if (fetched && fetched.status === 0) {
  console.log('Electron is installed: `npm start` opens the desktop app.');
  buildSqliteForElectron();
} else {
  const why = fetched ? (fetched.stderr?.toString().match(/(ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN)[^\n]*/)?.[0] ?? 'download failed') : 'package missing';
  console.log(`Electron's binary could not be downloaded (${why}): Vigie will run in browser mode, same UI in your browser.`);
}

step('Building the app (npm run build)');
if (!run(npm, ['run', 'build', '--silent'])) process.exit(1);
console.log('\nSetup done. Run the app: npm start    Run the tests: npm test');

/**
 * The data service runs inside Electron's utility process, whose Node ABI differs from the system
 * Node that runs the CLI and the tests. So a second copy of better-sqlite3's addon is built against
 * Electron's headers into native/electron/, and the service loads that one (see db/connection.ts).
 */
function buildSqliteForElectron() {
  const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const work = path.join(root, 'native', 'build-better-sqlite3');
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true });
  const env = { ...process.env };
  delete env.npm_config_nodedir; // a global nodedir (as on these machines) would silently build for Node again
  delete env.NPM_CONFIG_NODEDIR;
  const gyp = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const ok = run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: work, env });
  if (!ok) {
    console.log('Could not build SQLite for Electron (Electron headers unreachable?): `npm start` will use browser mode.');
    return;
  }
  fs.mkdirSync(path.join(root, 'native', 'electron'), { recursive: true });
  fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), path.join(root, 'native', 'electron', 'better_sqlite3.node'));
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`Built SQLite for Electron ${electronVersion} into native/electron/.`);
}
