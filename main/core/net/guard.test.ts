import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, secretEquals } from './guard';

describe('network guards', () => {
  it('compares secrets of any length or encoding without throwing', () => {
    const token = 'a'.repeat(32);
    expect(secretEquals(token, token)).toBe(true);
    expect(secretEquals('é'.repeat(32), token)).toBe(false);
    expect(secretEquals('', token)).toBe(false);
    expect(secretEquals('a'.repeat(1_000_000), token)).toBe(false);
    expect(secretEquals('', '')).toBe(false);
  });

  it('checks folder prefixes with a trailing separator', () => {
    expect(isInside('/srv/app', '/srv/app/index.html')).toBe(true);
    expect(isInside('/srv/app', '/srv/app')).toBe(true);
    expect(isInside('/srv/app', '/srv/app-evil/index.html')).toBe(false);
    expect(isInside('/srv/app/', '/srv/app-evil')).toBe(false);
  });

  it('the last-resort handler keeps a service process up after an uncaught error and says so', () => {
    const script = `
      const { keepProcessUp } = await import(${JSON.stringify(path.join(__dirname, 'guard.ts'))});
      keepProcessUp('serve');
      setTimeout(() => { throw new Error('boom from a timer'); }, 10);
      setTimeout(() => Promise.reject(new Error('a lost promise')), 20);
      setTimeout(() => console.log('still serving'), 200);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('still serving');
    expect(r.stderr).toContain('error (serve): an unexpected error was caught by the last-resort handler; Vigie keeps running');
    expect(r.stderr).toContain('boom from a timer');
    expect(r.stderr).toContain('error (serve): an unexpected promise rejection was caught by the last-resort handler');
  }, 60_000);
});
