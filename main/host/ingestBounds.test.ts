import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { csvPieces } from '../core/feeds/ingestBounds';
import { Store } from '../core/store';
import { tempDir } from '../../test/helpers';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../test/vigie.mjs');
const vigie = (...args: string[]) => run(process.execPath, [bin, ...args], { encoding: 'utf8' });
const OPTIONS = JSON.stringify({ kind: 'incident', columns: { externalId: 'id', occurredAt: 'time', lon: 'lon', lat: 'lat', category: 'category', title: 'title' } });

/** A CSV whose titles hold commas, doubled quotes and line breaks: pieces must be cut between records only. */
function trickyCsv(rows: number): string {
  const lines = ['id,time,lon,lat,category,title'];
  for (let i = 0; i < rows; i++) lines.push(`R${i},2026-11-0${1 + (i % 9)}T10:00:00Z,5.37${i % 10},43.29${i % 7},theft,"Vol, sac ""${i}""\nsuite ${'x'.repeat(150 + (i % 50))}"`);
  return lines.join('\r\n') + '\r\n';
}

/** Rows of a CSV as Python's csv module reads them (a reader we did not write), or null without python3. */
function pythonRowCount(file: string): number | null {
  const py = spawnSync('python3', ['-c', 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))))', file], { encoding: 'utf8' });
  return py.error || py.status !== 0 ? null : Number(py.stdout.trim());
}

describe('vigie ingest bounds what it reads', () => {
  it('quarantines JSON nested 200,000 levels deep with a reason, instead of overflowing the stack', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bomb.geojson');
    fs.writeFileSync(file, `{"type":"FeatureCollection","features":[${'['.repeat(200_000)}${']'.repeat(200_000)}]}`);
    const profile = path.join(dir, 'profile');
    const { stdout } = await vigie('ingest', '--profile', profile, '--type', 'geojson', file);
    expect(stdout.trim()).toBe('read 1, stored 0, quarantined 1');
    const store = Store.open(profile);
    try {
      expect(store.quarantine.list(5)[0]!.reason).toMatch(/JSON nested more than 64 levels deep: quarantined unread/);
    } finally {
      store.close();
    }
  });

  it('refuses a whole-document file over the limit with what to do, before reading it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'huge.geojson');
    fs.writeFileSync(file, `{"type":"FeatureCollection","features":[],"pad":"${'x'.repeat(1_200_000)}"}`);
    const failed = await vigie('ingest', '--profile', path.join(dir, 'p'), '--type', 'geojson', '--max-mb', '1', file).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr).toMatch(/huge\.geojson is 1 MB, over the 1 MB read at once for geojson files: split it into smaller files, or raise --max-mb/);
  });

  it('reads a CSV over the limit in pieces cut between records, storing every row', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'incidents.csv');
    fs.writeFileSync(file, trickyCsv(8_000));
    expect(fs.statSync(file).size).toBeGreaterThan(1.5 * 1024 * 1024);
    const expected = pythonRowCount(file);
    if (expected !== null) expect(expected).toBe(8_001);
    const { stdout } = await vigie('ingest', '--profile', path.join(dir, 'p'), '--type', 'csv', '--options', OPTIONS, '--max-mb', '1', file);
    expect(stdout.trim()).toBe('read 8000, stored 8000, quarantined 0');
  }, 90_000);

  it('cuts pieces only at record ends, each starting with the header', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'incidents.csv');
    fs.writeFileSync(file, trickyCsv(500));
    const pieces: Buffer[] = [];
    for await (const piece of csvPieces(file, 16 * 1024)) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(5);
    const header = 'id,time,lon,lat,category,title\r\n';
    for (const piece of pieces) expect(piece.subarray(0, header.length).toString()).toBe(header);
    // The pieces, headers removed, are the file again byte for byte.
    expect(Buffer.concat([Buffer.from(header), ...pieces.map((p) => p.subarray(header.length))]).equals(fs.readFileSync(file))).toBe(true);
    for (const [i, piece] of pieces.slice(0, 3).entries()) {
      const own = path.join(dir, `piece-${i}.csv`);
      fs.writeFileSync(own, piece);
      const rows = pythonRowCount(own);
      if (rows !== null) expect((piece.toString().match(/\nR\d+,/g) ?? []).length + 1).toBe(rows);
    }
  }, 60_000);
});
