import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { featureCollection, incidentFeature, tempDir } from '../../test/helpers';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../bin/vigie.mjs');
const vigie = (...args: string[]) => run(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('the vigie command line', () => {
  it('lists its commands', async () => {
    const { stdout } = await vigie('--help');
    for (const name of ['start', 'serve', 'ingest', 'query']) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('ingests a GeoJSON file through the feed pipeline, quarantining the bad feature, and queries the cache', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'incidents.geojson');
    const broken = { type: 'Feature', id: 'BAD', geometry: null, properties: { category: 'theft' } };
    fs.writeFileSync(file, featureCollection([incidentFeature('A'), broken, incidentFeature('B', { priority: 1 })]));
    const profile = path.join(dir, 'profile');
    const ingest = await vigie('ingest', '--profile', profile, '--type', 'geojson', file);
    expect(ingest.stdout.trim()).toBe('stored 2, quarantined 1');
    expect((await vigie('query', '--profile', profile, 'incidents', '--count')).stdout.trim()).toBe('2');
    const json = JSON.parse((await vigie('query', '--profile', profile, 'incidents', '--json')).stdout);
    expect(json.map((i: { id: string }) => i.id).sort()).toEqual(['file-geojson:A', 'file-geojson:B']);
  });

  it('explains a usage error with the command usage and a non-zero exit', async () => {
    const failure = await vigie('ingest', '--profile', tempDir(), 'x.geojson').catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringMatching(/--type is required[\s\S]*Usage|--type is required[\s\S]*vigie ingest/) });
    const unknown = await vigie('ingest', '--profile', tempDir(), '--type', 'kml', 'x').catch((e: { code: number; stderr: string }) => e);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/Unknown feed type "kml"\. Known types: .*geojson/) });
  });
});
