import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { featureCollection, incidentFeature, tempDir } from '../../test/helpers';
import { COMMANDS } from './commands/index';
import { defaultProfileDir } from './profile';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../test/vigie.mjs');
const vigie = (...args: string[]) => run(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('the vigie command line', () => {
  it('lists its commands', async () => {
    const { stdout } = await vigie('--help');
    for (const name of ['start', 'serve', 'ingest', 'query', 'route']) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('ingests a GeoJSON file through the feed pipeline, quarantining the bad feature, and queries the cache', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'incidents.geojson');
    const broken = { type: 'Feature', id: 'BAD', geometry: null, properties: { category: 'theft' } };
    fs.writeFileSync(file, featureCollection([incidentFeature('A'), broken, incidentFeature('B', { priority: 1 })]));
    const profile = path.join(dir, 'profile');
    const ingest = await vigie('ingest', '--profile', profile, '--type', 'geojson', file);
    expect(ingest.stdout.trim()).toBe('read 3, stored 2, quarantined 1');
    expect((await vigie('query', '--profile', profile, 'incidents', '--count')).stdout.trim()).toBe('2');
    const json = JSON.parse((await vigie('query', '--profile', profile, 'incidents', '--json')).stdout);
    expect(json.map((i: { id: string }) => i.id).sort()).toEqual(['file-geojson:A', 'file-geojson:B']);
  });

  it('queries units, cameras, alerts and sensors the same way', async () => {
    const dir = tempDir();
    const profile = path.join(dir, 'profile');
    const csv = path.join(dir, 'cameras.csv');
    fs.writeFileSync(csv, 'id,lon,lat,status\nC1,5.37,43.29,online\nC2,5.38,43.30,fault\n');
    const options = JSON.stringify({ kind: 'camera', columns: { externalId: 'id', lon: 'lon', lat: 'lat', status: 'status' }, constants: { t: Date.parse('2026-11-28T10:00:00Z') } });
    expect((await vigie('ingest', '--profile', profile, '--type', 'csv', '--options', options, csv)).stdout.trim()).toBe('read 2, stored 2, quarantined 0');
    expect((await vigie('query', '--profile', profile, 'cameras', '--count')).stdout.trim()).toBe('2');
    const cameras = JSON.parse((await vigie('query', '--profile', profile, 'cameras', '--json')).stdout);
    expect(cameras.map((c: { status: string }) => c.status).sort()).toEqual(['fault', 'online']);
    expect((await vigie('query', '--profile', profile, 'units', '--count')).stdout.trim()).toBe('0');
    const unknown = await vigie('query', '--profile', profile, 'people').catch((e: { code: number; stderr: string }) => e);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown kind "people"; known: incidents, alerts, cameras, units, sensors/) });
  });

  it('explains a usage error with the command usage and a non-zero exit', async () => {
    const failure = await vigie('ingest', '--profile', tempDir(), 'x.geojson').catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringMatching(/--type is required[\s\S]*Usage|--type is required[\s\S]*vigie ingest/) });
    const unknown = await vigie('ingest', '--profile', tempDir(), '--type', 'kml', 'x').catch((e: { code: number; stderr: string }) => e);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/Unknown feed type "kml"\. Known types: .*geojson/) });
    // A type named as what every object inherits is as unknown (it was taken for an adapter, and failed further on).
    const inherited = await vigie('ingest', '--profile', tempDir(), '--type', 'constructor', 'x').catch((e: { code: number; stderr: string }) => e);
    expect(inherited).toMatchObject({ code: 1, stderr: expect.stringMatching(/Unknown feed type "constructor"\. Known types: .*geojson/) });
  });
});

describe('--help on every sub-command', () => {
  // Read from the CLI's own table: a command added later is checked without touching this test.
  const invocations = COMMANDS.flatMap((c) => [[c.name], ...(c.subcommands ?? []).map((sub) => [c.name, sub])]);

  it(`prints the usage on stdout, exits 0 and does nothing else, for all ${invocations.length} commands and sub-commands`, async () => {
    const failures: string[] = [];
    const queue = [...invocations];
    // Two at a time: each is a Node process compiling the CLI.
    const worker = async () => {
      for (let words = queue.shift(); words; words = queue.shift()) {
        const command = COMMANDS.find((c) => c.name === words[0])!;
        // A scratch home, profile and working folder: "nothing else done" means they stay empty.
        const scratch = tempDir('vigie-help-');
        const env = { ...process.env, HOME: scratch, VIGIE_PROFILE: path.join(scratch, 'profile'), VIGIE_POLICY: path.join(scratch, 'policy.json') };
        const outcome = await run(process.execPath, [bin, ...words, '--help'], { encoding: 'utf8', cwd: scratch, env, timeout: 30_000 }).then(
          (r) => ({ code: 0, ...r }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        );
        const left = fs.readdirSync(scratch);
        const label = `vigie ${words.join(' ')} --help`;
        if (outcome.code !== 0) failures.push(`${label}: exit ${outcome.code}`);
        // Some usages name the default profile and folders under the home folder: the scratch ones there.
        if (outcome.stdout !== `${command.usage.replaceAll(defaultProfileDir(), env.VIGIE_PROFILE).replaceAll(os.homedir(), scratch)}\n`) failures.push(`${label}: stdout is not the usage: ${JSON.stringify(outcome.stdout.slice(0, 120))}`);
        if (outcome.stderr !== '') failures.push(`${label}: wrote to stderr: ${JSON.stringify(outcome.stderr.slice(0, 200))}`);
        if (left.length > 0) failures.push(`${label}: created ${left.join(', ')}`);
      }
    };
    await Promise.all([worker(), worker()]);
    expect(failures).toEqual([]);
    expect(invocations.map((w) => w.join(' '))).toEqual(expect.arrayContaining(['pack build', 'audit verify', 'hub add-workstation', 'sandbox create', 'serve', 'simulate']));
  }, 180_000);
});
