#!/usr/bin/env node
// Builds signed installers: Linux deb/rpm/AppImage, Windows NSIS/MSI (per machine), macOS dmg
// (signed, notarised), then SHA256SUMS, detached signatures of the Linux packages and a CycloneDX
// SBOM. Signing material comes only from the environment (or the OS key store), never the repo.
//   npm run dist -- [--linux|--win|--mac] [--unsigned]
// See docs/deploy.md for the environment variables.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { writeChecksums } from './release/checksums.mjs';
import { buildSbom } from './release/sbom.mjs';
import { missingSigning } from './release/signing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const platform = args.has('--win') ? 'win' : args.has('--mac') ? 'mac' : args.has('--linux') ? 'linux' : { win32: 'win', darwin: 'mac' }[process.platform] ?? 'linux';
const unsigned = args.has('--unsigned');
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

function fail(sentence) {
  console.error(sentence);
  process.exit(2);
}

// 1. An Electron binary to package: installed, given as a folder, or downloadable from a mirror.
const require = createRequire(import.meta.url);
let electronInstalled;
try {
  electronInstalled = fs.existsSync(require('electron'));
} catch {
  electronInstalled = false; // the package's index throws when its binary was never downloaded
}
const electronDist = process.env.ELECTRON_DIST;
if (!electronInstalled && !electronDist && !process.env.ELECTRON_MIRROR) {
  fail(
    `Cannot build installers: the Electron ${electronVersion} binary is not installed here and cannot be downloaded; ` +
      `set ELECTRON_MIRROR to a reachable Electron mirror, or ELECTRON_DIST to a folder holding an unpacked Electron ${electronVersion} for this platform, then run npm run dist again.`,
  );
}
if (electronDist && !fs.existsSync(electronDist)) fail(`ELECTRON_DIST=${electronDist} does not exist; point it at an unpacked Electron ${electronVersion}.`);

// 2. Signing: everything or an explicit, loud --unsigned.
const missing = missingSigning(platform);
if (missing.length > 0 && !unsigned) {
  fail(`Cannot sign the ${platform} packages: set ${missing.join(', ')} (see docs/deploy.md), or pass --unsigned for a test build that must not be deployed.`);
}
if (unsigned) {
  const bar = '!'.repeat(78);
  console.warn(`${bar}\n!!  UNSIGNED BUILD: for testing only. Do not deploy it to control-room workstations.\n${bar}`);
}

// 3. Build the app, then package it. npm's global nodedir would make the native rebuild target
// Node instead of Electron: the builder must see no nodedir.
const env = { ...process.env };
delete env.npm_config_nodedir;
delete env.NPM_CONFIG_NODEDIR;
if (unsigned) env.CSC_IDENTITY_AUTO_DISCOVERY = 'false';
if (spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const config = JSON.parse(fs.readFileSync(path.join(root, 'resources', 'electron-builder.json'), 'utf8'));
delete config.$schema;
if (electronDist) config.electronDist = electronDist;
if (unsigned && platform === 'mac') config.mac = { ...config.mac, notarize: false, identity: null };
Object.assign(process.env, env);
const { build, Platform } = await import('electron-builder');
const platformTarget = { linux: Platform.LINUX, win: Platform.WINDOWS, mac: Platform.MAC }[platform];
const artefacts = await build({ targets: platformTarget.createTarget(), config, publish: 'never', projectDir: root });

// 4. Checksums, detached signatures (Linux), SBOM.
const out = path.join(root, 'release');
const names = artefacts.filter((f) => fs.statSync(f).isFile()).map((f) => path.relative(out, f)).filter((n) => !n.startsWith('..'));
if (platform === 'linux' && !unsigned) {
  for (const name of names.filter((n) => /\.(deb|rpm|AppImage)$/.test(n))) {
    const file = path.join(out, name);
    const ok = process.env.VIGIE_GPG_KEY_ID
      ? spawnSync('gpg', ['--batch', '--yes', '--local-user', process.env.VIGIE_GPG_KEY_ID, '--armor', '--detach-sign', file], { stdio: 'inherit' }).status === 0
      : spawnSync('minisign', ['-S', '-s', process.env.MINISIGN_SECRET_KEY, '-m', file], { stdio: 'inherit' }).status === 0;
    if (!ok) fail(`Could not sign ${name}; the key in VIGIE_GPG_KEY_ID or MINISIGN_SECRET_KEY was refused.`);
  }
}
fs.writeFileSync(path.join(out, 'vigie-sbom.cdx.json'), JSON.stringify(buildSbom(root), null, 2));
const all = fs.readdirSync(out).filter((n) => fs.statSync(path.join(out, n)).isFile() && n !== 'SHA256SUMS');
await writeChecksums(out, all);
console.log(`Release in ${out}: ${all.length} files, SHA256SUMS, SBOM.`);
