import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers';
// @ts-expect-error plain ES module without types
import { writeChecksums, verifyChecksums } from './checksums.mjs';
// @ts-expect-error plain ES module without types
import { buildSbom } from './sbom.mjs';
// @ts-expect-error plain ES module without types
import { missingSigning } from './signing.mjs';
import { findElectron } from '../../main/host/electronBinary';

const root = path.resolve(__dirname, '..', '..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'resources', 'electron-builder.json'), 'utf8'));

describe('the installer configuration', () => {
  it('is valid against electron-builder’s own JSON schema', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const { $schema: _ignored, ...body } = config;
    expect(validate(body), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The schema does catch mistakes: a misspelt option is refused.
    expect(validate({ ...body, electronFuse: {} })).toBe(false);
  });

  it('hardens the Electron binary with fuses and keeps ASAR integrity on', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    expect(config.asar).toBe(true);
    expect(config.disableAsarIntegrity).toBeUndefined();
  });

  it('rebuilds SQLite for Electron and loads it from outside the archive', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*.node');
  });

  it('builds every target IT asked for, Windows per machine', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['deb', 'rpm', 'AppImage']));
    expect(config.win.target).toEqual(expect.arrayContaining(['nsis', 'msi']));
    expect(config.mac.target).toContain('dmg');
    expect(config.nsis.perMachine).toBe(true);
    expect(config.msi.perMachine).toBe(true);
    expect(config.mac.notarize).toBe(true);
    expect(JSON.stringify(config)).not.toMatch(/password|cscLink|BEGIN .*PRIVATE/i);
  });
});

describe('release artefacts', () => {
  it('get SHA-256 checksums that reveal any change to a file', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'vigie_0.1.0_amd64.deb'), 'package bytes');
    fs.writeFileSync(path.join(dir, 'Vigie-0.1.0.AppImage'), 'other bytes');
    const text = await writeChecksums(dir, ['vigie_0.1.0_amd64.deb', 'Vigie-0.1.0.AppImage']);
    expect(text).toMatch(/^[0-9a-f]{64} {2}Vigie-0\.1\.0\.AppImage\n[0-9a-f]{64} {2}vigie_0\.1\.0_amd64\.deb\n$/);
    expect(await verifyChecksums(dir)).toEqual([]);
    fs.appendFileSync(path.join(dir, 'vigie_0.1.0_amd64.deb'), 'tampered');
    expect(await verifyChecksums(dir)).toEqual(['vigie_0.1.0_amd64.deb']);
  });

  it('come with a CycloneDX SBOM of what ships: the production dependencies and the packages bundled into dist/', () => {
    // As scripts/build.mjs lists them in dist/bundled-packages.json (zod and ws inside the service, react inside the renderer).
    const sbom = buildSbom(root, { timestamp: '2026-01-01T00:00:00Z', bundled: ['node_modules/zod', 'node_modules/ws', 'node_modules/react'] });
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { component: { name: 'vigie' } } });
    const names = new Set(sbom.components.map((c: { name: string }) => c.name));
    for (const dep of ['better-sqlite3', 'zod', 'ws', 'react']) expect(names).toContain(dep);
    for (const dev of ['vitest', 'electron-builder', 'eslint']) expect(names).not.toContain(dev);
    const delivery = (name: string) => sbom.components.find((c: { name: string }) => c.name === name).properties[0].value;
    expect([delivery('better-sqlite3'), delivery('zod')]).toEqual(['node_modules', 'bundled']);
    const sqlite = sbom.components.find((c: { name: string }) => c.name === 'better-sqlite3');
    expect(sqlite.purl).toMatch(/^pkg:npm\/better-sqlite3@12\./);
    expect(sqlite.hashes[0]).toMatchObject({ alg: 'SHA-512', content: expect.stringMatching(/^[0-9a-f]{128}$/) });
  });

  it('are signed only with material from the environment, and each missing piece is named', () => {
    expect(missingSigning('linux', {})).toEqual(['VIGIE_GPG_KEY_ID or MINISIGN_SECRET_KEY']);
    expect(missingSigning('linux', { MINISIGN_SECRET_KEY: '/keys/vigie.key' })).toEqual([]);
    expect(missingSigning('mac', { CSC_LINK: 'x', CSC_KEY_PASSWORD: 'y' })).toEqual(['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']);
  });
});

describe('npm run dist without an Electron binary', () => {
  it.skipIf('path' in findElectron())('stops with one sentence saying what is missing and how to provide it', () => {
    const env = { ...process.env };
    delete env.ELECTRON_MIRROR;
    delete env.ELECTRON_DIST;
    const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'dist.mjs'), '--linux'], { cwd: root, env, encoding: 'utf8' });
    expect(result.status).toBe(2);
    const message = result.stderr.trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/Electron .* binary is not installed.*ELECTRON_MIRROR.*ELECTRON_DIST/);
    expect(message).not.toMatch(/\bat .*\.m?js:\d+/); // no stack trace
  });
});
