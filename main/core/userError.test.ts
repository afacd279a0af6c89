import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VigieCore } from './core';
import { dispatch, type CallContext } from './rpc';
import { configureLogging } from './log';
import { tempDir } from '../../test/helpers';

const supervisor: CallContext = { user: 'claire', role: 'supervisor', origin: 'test' };
let core: VigieCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

describe('user mistakes', () => {
  it('come back as bad_request with a sentence that says what to do, and leave no error or stack trace in the log', async () => {
    const dir = tempDir();
    const logFile = configureLogging({ dir: path.join(dir, 'logs'), name: 'service', stderr: false });
    core = new VigieCore(path.join(dir, 'live'), { profileDir: path.join(dir, 'live'), demo: false });
    for (const [method, params] of [
      ['training.inject', { record: { kind: 'incident', externalId: 'X', category: 'fire', priority: 1, status: 'new', title: 'Fire', lon: 5.38, lat: 43.3 } }],
      ['training.debrief', {}],
    ] as const) {
      const reply = await dispatch(core.api, { t: 'req', id: 7, method, params }, supervisor);
      expect(reply).toEqual({ t: 'res', id: 7, ok: false, error: { code: 'bad_request', message: expect.stringMatching(new RegExp(`^${method}: this profile is not a training sandbox: .*\`vigie sandbox create\``)) } });
    }
    const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string; method?: string });
    expect(lines.filter((l) => l.msg === 'call refused: user mistake').map((l) => l.method)).toEqual(['training.inject', 'training.debrief']);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(fs.readFileSync(logFile, 'utf8')).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
