import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './restartBackoff';

describe('the data service restart backoff', () => {
  it('doubles while the service keeps crashing, up to 30 s', () => {
    const backoff = new RestartBackoff();
    let now = 0;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      backoff.started(now);
      now += 1_000; // crashes a second after each start
      const delay = backoff.exited(now);
      delays.push(delay);
      now += delay;
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('restarts quickly again once a run lasted a stable minute, after any number of crashes', () => {
    const backoff = new RestartBackoff();
    let now = 0;
    for (let i = 0; i < 7; i++) {
      backoff.started(now);
      now += 1_000;
      now += backoff.exited(now);
    }
    backoff.started(now);
    now += 59_000; // not yet stable: still backing off
    expect(backoff.exited(now)).toBe(30_000);
    now += 30_000;
    backoff.started(now);
    now += 60_000; // a stable run: the next crash starts the count over
    expect(backoff.exited(now)).toBe(500);
    backoff.started(now + 500);
    expect(backoff.exited(now + 1_500)).toBe(1_000);
  });
});
