import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { featureCollection, incidentFeature, tempDir } from '../../../test/helpers';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../../test/vigie.mjs');
const env = { ...process.env, VIGIE_POLICY_FILE: '/nonexistent/policy.json' };
/** `vigie …` with its exit code, whatever it is. */
async function vigie(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { encoding: 'utf8', env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
async function doctor(profile: string, ...more: string[]) {
  const result = await vigie('doctor', '--profile', profile, '--json', ...more);
  return { ...result, findings: JSON.parse(result.stdout) as { check: string; status: string; detail: string }[] };
}
const finding = (findings: { check: string; status: string; detail: string }[], check: string) => findings.find((f) => f.check === check);

async function profileWithIncidents(dir: string, count = 40): Promise<string> {
  const profile = path.join(dir, 'profile');
  const file = path.join(dir, 'incidents.geojson');
  fs.writeFileSync(file, featureCollection(Array.from({ length: count }, (_, i) => incidentFeature(`D${i}`))));
  expect((await vigie('ingest', '--profile', profile, '--type', 'geojson', file)).code).toBe(0);
  return profile;
}

const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
});

describe('vigie doctor', { timeout: 120_000 }, () => {
  it('answers --help with its usage', async () => {
    for (const name of ['doctor', 'backup', 'restore']) {
      const { code, stdout } = await vigie(name, '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^vigie ${name} `));
    }
  });

  it('finds a healthy profile healthy, with a backup of it, and exits 0', async () => {
    const profile = await profileWithIncidents(tempDir());
    expect((await vigie('backup', '--profile', profile)).code).toBe(0);
    const { code, findings, stdout } = await doctor(profile);
    expect(code, stdout).toBe(0);
    expect(finding(findings, 'database')).toMatchObject({ status: 'ok', detail: expect.stringContaining('quick_check ok') });
    expect(finding(findings, 'schema')).toMatchObject({ status: 'ok' });
    expect(finding(findings, 'disk')).toMatchObject({ status: 'ok' });
    expect(finding(findings, 'journal')).toMatchObject({ status: 'ok', detail: expect.stringContaining('hash chain verified') });
    expect(finding(findings, 'machine policy')).toMatchObject({ status: 'ok', detail: expect.stringContaining('/nonexistent/policy.json') });
    expect(finding(findings, 'backup')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/newest .*vigie-\d{8}T\d{9}Z \(0\.0 h old\)/) });
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
  });

  it('finds a damaged database (bytes overwritten mid-file), says to restore, exits 1 and leaves the file as it was', async () => {
    const profile = await profileWithIncidents(tempDir(), 3_000);
    const file = path.join(profile, 'vigie.sqlite');
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(16_384, 0x5a), 0, 16_384, Math.floor(size / 2 / 4096) * 4096);
    fs.closeSync(fd);
    const damaged = fs.readFileSync(file);
    const { code, findings } = await doctor(profile);
    expect(code).toBe(1);
    expect(finding(findings, 'database')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/is damaged \(quick_check: .+\): stop Vigie and restore the last backup/) });
    expect(fs.readFileSync(file).equals(damaged)).toBe(true);
  });

  it('finds a full disk (a 2 MB tmpfs) and says the profile cannot be written', async (ctx) => {
    const dir = tempDir();
    const mount = path.join(dir, 'small');
    fs.mkdirSync(mount);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
    if (mounted.status !== 0) {
      ctx.skip(`cannot mount a tmpfs here (${mounted.stderr.toString().trim() || 'not root'}); the full-disk check needs one`);
      return;
    }
    mounts.push(mount);
    const source = await profileWithIncidents(dir, 10);
    const profile = path.join(mount, 'profile');
    fs.cpSync(source, profile, { recursive: true });
    // Fill what is left of the disk.
    const fill = fs.openSync(path.join(mount, 'fill'), 'w');
    try {
      for (;;) fs.writeSync(fill, Buffer.alloc(64 * 1024));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      fs.closeSync(fill);
    }
    const { code, findings } = await doctor(profile);
    expect(code).toBe(1);
    expect(finding(findings, 'disk')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/cannot write in .* \(the disk is full; 0\.0 MB free\): Vigie cannot store feeds nor journal consultations; free space on that disk/) });
    // A full disk is not mistaken for a damaged database.
    expect(findings.filter((f) => f.check === 'database')).toEqual([{ check: 'database', status: 'fail', detail: expect.stringMatching(/could not be checked \(.*\); see the disk line: on a full disk, free space/) }]);
    expect(JSON.stringify(findings)).not.toMatch(/damaged/);
  });

  it('measures the hub\'s clock: one five minutes ahead is a failure naming the offset, an unreachable one says so', async () => {
    const skewMs = 5 * 60_000;
    // A loopback stand-in for the hub's HTTP side, whose clock is five minutes ahead.
    const hub = http.createServer((_req, res) => {
      res.sendDate = false;
      res.writeHead(426, { date: new Date(Date.now() + skewMs).toUTCString() });
      res.end();
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const port = (hub.address() as { port: number }).port;
    const dir = tempDir();
    const profile = await profileWithIncidents(dir, 5);
    fs.writeFileSync(path.join(dir, 'hub.secret'), 'HUB-SECRET-0123456789');
    fs.writeFileSync(path.join(profile, 'config.json'), JSON.stringify({ feeds: [], hub: { urls: [`ws://127.0.0.1:${port}/hub`, 'ws://127.0.0.1:9/hub'], workstation: 'desk-1', secretFile: '../hub.secret' } }));
    try {
      const { code, findings } = await doctor(profile);
      expect(code).toBe(1);
      const skewed = finding(findings, `hub ws://127.0.0.1:${port}/hub`)!;
      expect(skewed).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^reachable in \d+ ms; its clock is (29|30)\d\.\d s ahead of ours: fix the time/) });
      const offset = Number(skewed.detail.match(/clock is ([\d.]+) s/)![1]);
      expect(Math.abs(offset - 300)).toBeLessThanOrEqual(1.5);
      expect(finding(findings, 'hub ws://127.0.0.1:9/hub')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^unreachable \(.*ECONNREFUSED.*\)/) });
    } finally {
      hub.close();
    }
  });

  it('writes a support bundle that any tar reads, with logs and settings but no secret planted in config or credentials', async () => {
    const dir = tempDir();
    const profile = await profileWithIncidents(dir, 5);
    const planted = { password: 'PLANTED-PASSWORD-7f3a', bearer: 'PLANTED-BEARER-9c1e', urlSecret: 'PLANTED-URL-PASS-41d2', header: 'PLANTED-HEADER-55ab', hub: 'PLANTED-HUB-SECRET-0b77' };
    fs.writeFileSync(path.join(dir, 'hub.secret'), planted.hub);
    fs.writeFileSync(
      path.join(profile, 'config.json'),
      JSON.stringify({
        feeds: [{ id: 'cad', type: 'geojson', url: `https://dispatcher:${planted.urlSecret}@cad.example/incidents.geojson`, intervalSeconds: 60 }],
        hub: { urls: ['ws://127.0.0.1:9/hub'], workstation: 'desk-1', secretFile: '../hub.secret' },
      }),
    );
    fs.mkdirSync(path.join(profile, 'secrets'), { mode: 0o700 });
    fs.writeFileSync(path.join(profile, 'secrets', 'credentials.json'), JSON.stringify({ cad: { basic: { username: 'dispatcher', password: planted.password } }, gtfs: { bearer: planted.bearer }, other: { header: { name: 'X-Api-Key', value: planted.header } } }), { mode: 0o600 });
    // A log line that carried a secret by mistake is scrubbed too.
    fs.mkdirSync(path.join(profile, 'logs'), { recursive: true });
    fs.writeFileSync(path.join(profile, 'logs', 'service.log'), `${JSON.stringify({ level: 50, component: 'feeds', msg: `poll failed with ${planted.bearer}` })}\n`);
    const bundle = path.join(dir, 'support.tar.gz');
    const { stderr } = await vigie('doctor', '--profile', profile, '--bundle', bundle);
    expect(stderr).toContain(`Support bundle written to ${bundle}`);

    const listed = spawnSync('tar', ['-tzf', bundle], { encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n').sort()).toEqual(
      ['config.json', 'doctor.json', 'logs/service.log', 'machine-policy.json', 'versions.json'].map((f) => `vigie-support/${f}`).sort(),
    );
    const out = path.join(dir, 'extracted');
    fs.mkdirSync(out);
    expect(spawnSync('tar', ['-xzf', bundle, '-C', out]).status).toBe(0);
    const everything = [zlib.gunzipSync(fs.readFileSync(bundle)).toString('latin1'), ...fs.readdirSync(path.join(out, 'vigie-support'), { recursive: true }).map(String).filter((f) => f.includes('.')).map((f) => fs.readFileSync(path.join(out, 'vigie-support', f), 'utf8'))].join('\n');
    for (const secret of Object.values(planted)) expect(everything).not.toContain(secret);
    // What IT needs is there: the feed, the versions, the findings, the log line (scrubbed).
    const config = JSON.parse(fs.readFileSync(path.join(out, 'vigie-support', 'config.json'), 'utf8'));
    expect(config.feeds[0]).toMatchObject({ id: 'cad', url: 'https://%5Bremoved%5D:%5Bremoved%5D@cad.example/incidents.geojson' });
    expect(JSON.parse(fs.readFileSync(path.join(out, 'vigie-support', 'versions.json'), 'utf8'))).toMatchObject({ vigie: expect.any(String), node: process.versions.node, sqlite: expect.stringMatching(/^3\./) });
    expect(fs.readFileSync(path.join(out, 'vigie-support', 'logs', 'service.log'), 'utf8')).toContain('poll failed with [removed]');
  });
});
