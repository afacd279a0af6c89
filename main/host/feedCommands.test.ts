import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCredentials } from '../core/feeds/credentials';
import { tempDir } from '../../test/helpers';

const bin = path.resolve(import.meta.dirname, '../../test/vigie.mjs');

describe('vigie credentials and vigie simulate', () => {
  it('stores a feed token read from standard input, not from the command line', () => {
    const profile = tempDir();
    const out = execFileSync(process.execPath, [bin, 'credentials', '--profile', profile, '--feed', 'city', '--bearer'], { input: 'tok-42\n', encoding: 'utf8' });
    expect(out).toMatch(/Stored the credential of feed "city"/);
    expect(loadCredentials(profile)).toEqual({ city: { bearer: 'tok-42' } });
    execFileSync(process.execPath, [bin, 'credentials', '--profile', profile, '--feed', 'city', '--remove'], { encoding: 'utf8' });
    expect(loadCredentials(profile)).toEqual({});
  });

  it('simulate writes a profile config that reads every simulated feed, and stops on SIGTERM', async () => {
    const profile = tempDir();
    const child = spawn(process.execPath, [bin, 'simulate', '--profile', profile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => /Simulated feeds on http:\/\/127\.0\.0\.1:\d+/.test(out) && (clearInterval(timer), resolve()), 50);
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const config = JSON.parse(fs.readFileSync(path.join(profile, 'config.json'), 'utf8')) as { feeds: { type: string }[]; demo: boolean };
    expect(config.feeds.map((f) => f.type).sort()).toEqual(['cap', 'cot', 'csv', 'geojson', 'geojson', 'gtfs-rt', 'open311', 'sensorthings']);
    expect(config.demo).toBe(false);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
