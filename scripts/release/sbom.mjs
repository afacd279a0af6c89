// A CycloneDX 1.5 SBOM of what ships, from package-lock.json: the production dependencies
// (node_modules) and every package bundled into dist/ (dist/bundled-packages.json, written by
// scripts/build.mjs). What IT and security teams ask for before a control-room deployment.
// No network, no extra tool.
import { Buffer } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const purl = (name, version) => `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${version}`;

/** Integrity "sha512-<base64>" → CycloneDX hash object. */
function hashOf(integrity) {
  const match = /^(sha512|sha384|sha256|sha1)-(.+)$/.exec(integrity ?? '');
  if (!match) return [];
  const alg = { sha512: 'SHA-512', sha384: 'SHA-384', sha256: 'SHA-256', sha1: 'SHA-1' }[match[1]];
  return [{ alg, content: Buffer.from(match[2], 'base64').toString('hex') }];
}

/** The lock keys of the packages inside the built bundles; none when dist/ is not built. */
function bundledPackages(root) {
  const file = path.join(root, 'dist', 'bundled-packages.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
}

export function buildSbom(root, { timestamp = new Date().toISOString(), bundled = bundledPackages(root) } = {}) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const inBundle = new Set(bundled);
  const components = [];
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (!where || entry.link) continue;
    const installed = !entry.dev && !entry.devOptional;
    if (!installed && !inBundle.has(where)) continue; // what ships only
    const name = entry.name ?? where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    components.push({
      type: 'library',
      'bom-ref': `${purl(name, entry.version)}#${where}`,
      name,
      version: entry.version,
      purl: purl(name, entry.version),
      ...(entry.license ? { licenses: [{ license: /[ ()]/.test(entry.license) ? { name: entry.license } : { id: entry.license } }] } : {}),
      hashes: hashOf(entry.integrity),
      // How it ships: in the installed node_modules, or inside a dist/ bundle (docs/deploy.md §10).
      properties: [{ name: 'vigie:delivery', value: installed ? 'node_modules' : 'bundled' }],
    });
  }
  components.sort((a, b) => a['bom-ref'].localeCompare(b['bom-ref']));
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${crypto.randomUUID()}`,
    version: 1,
    metadata: {
      timestamp,
      component: { type: 'application', name: pkg.name, version: pkg.version, purl: purl(pkg.name, pkg.version) },
      tools: { components: [{ type: 'application', name: 'vigie scripts/release/sbom.mjs' }] },
    },
    components,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
  const out = process.argv[2] ?? path.join(root, 'release', 'vigie-sbom.cdx.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const sbom = buildSbom(root);
  fs.writeFileSync(out, JSON.stringify(sbom, null, 2));
  console.log(`SBOM: ${sbom.components.length} production components → ${out}`);
}
