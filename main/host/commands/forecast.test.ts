import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from './command';
import forecast from './forecast';

const dir = mkdtempSync(join(tmpdir(), 'vigie-forecast-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AT = '2016-08-15T00:00:00Z';
const past = [
  '2016-08-01T10:00:00Z,-122.6001,45.5001,THEFT',
  '2016-08-02T10:00:00Z,-122.6001,45.5001,THEFT',
  '2016-08-03T10:00:00Z,-122.6500,45.5200,OTHER',
];

async function run(name: string, lines: string[], extra: string[] = []) {
  const history = join(dir, `${name}.csv`), out = join(dir, `${name}.scores.csv`);
  writeFileSync(history, ['t,lon,lat,category', ...lines].join('\n') + '\n');
  const code = await forecast.run(['--history', history, '--at', AT, '--horizon-days', '7', '--origin', '-122.9,45.3', '--cell-m', '150', '--out', out, ...extra]);
  return { code, scores: readFileSync(out, 'utf8') };
}

describe('vigie forecast, as the evaluation script calls it', () => {
  it('writes x,y,score rows on the protocol grid (negative origin longitude accepted)', async () => {
    const { code, scores } = await run('basic', past, ['--model', 'count-all']);
    expect(code).toBe(0);
    const rows = scores.trim().split('\n');
    expect(rows[0]).toBe('x,y,score');
    const kx = 111320 * Math.cos(45.3 * Math.PI / 180) / 150, ky = 110540 / 150;
    const hot = `${Math.floor((-122.6001 + 122.9) * kx)},${Math.floor((45.5001 - 45.3) * ky)}`;
    const byCell = new Map(rows.slice(1).map((r) => [r.split(',').slice(0, 2).join(','), Number(r.split(',')[2])]));
    expect(byCell.size).toBe(2);
    expect(byCell.get(hot)).toBeGreaterThan(0);
    expect(Math.max(...byCell.values())).toBe(byCell.get(hot));
  });

  it('ignores incidents at or after --at: adding them changes no score', async () => {
    const without = await run('past-only', past);
    const withFuture = await run('with-future', [...past, `${AT},-122.6500,45.5200,OTHER`, '2016-08-16T00:00:00Z,-122.6500,45.5200,OTHER']);
    expect(withFuture.scores).toBe(without.scores);
  });

  it('reports malformed rows on stderr and forecasts from the others', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { code } = await run('malformed', [...past, '2016-08-04T00:00:00Z,NA,NA,THEFT']);
      expect(code).toBe(0);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/1 row\(s\) skipped[\s\S]*line 5: lon\/lat not numbers/);
    } finally {
      stderr.mockRestore();
    }
  });

  it('refuses a missing flag or an unknown model with a usage error', async () => {
    await expect(forecast.run(['--at', AT])).rejects.toThrow(UsageError);
    await expect(run('bad-model', past, ['--model', 'crystal-ball'])).rejects.toThrow(/unknown model "crystal-ball"; choose one of/);
  });
});
