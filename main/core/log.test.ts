import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureLogging, log, logFiles } from './log';
import { tempDir } from '../../test/helpers';

describe('structured logs', () => {
  it('writes one JSON line per event with its level, component and context to the profile, made before or after the file was chosen', () => {
    const early = log('sync');
    const dir = tempDir();
    const file = configureLogging({ dir: path.join(dir, 'logs'), name: 'service', stderr: false });
    early.info({ feed: 'cad', stored: 3 }, 'batch stored');
    log('dispatch').error({ method: 'units.assign' }, 'failed');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { level: 30, component: 'sync', feed: 'cad', stored: 3, msg: 'batch stored' },
      { level: 50, component: 'dispatch', method: 'units.assign', msg: 'failed' },
    ]);
    expect(Date.parse(lines[0]!.time as string)).toBeGreaterThan(0);
    // The profile's logs are the operator's business only.
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it('rotates at the size limit and keeps only the newest files', () => {
    const dir = tempDir();
    configureLogging({ dir, name: 'service', stderr: false, maxBytes: 2_000, keep: 3 });
    for (let i = 0; i < 200; i++) log('bench').info({ i }, 'a line of about a hundred bytes, to fill the file');
    const files = logFiles(dir).map((f) => path.basename(f)).sort();
    expect(files).toEqual(['service.log', 'service.log.1', 'service.log.2', 'service.log.3']);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(2_000);
    // The newest line is in service.log; the oldest ones were dropped.
    expect(fs.readFileSync(path.join(dir, 'service.log'), 'utf8')).toContain('"i":199');
    expect(files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('')).not.toContain('"i":0,');
  });
});
