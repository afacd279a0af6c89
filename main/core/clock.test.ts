import { describe, expect, it } from 'vitest';
import { systemClock } from './clock';
import { TestClock } from '../../test/clock';

describe('the injected clock', () => {
  it('a test clock fires timers in the order they fall due, with now() at each due time, and only when advanced', () => {
    const clock = new TestClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 100);
    const tick = clock.setInterval(() => fired.push(`tick@${clock.now()}`), 150);
    const cancelled = clock.setTimeout(() => fired.push('never'), 50);
    cancelled.cancel();
    expect(fired).toEqual([]);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(251);
    expect(fired).toEqual(['a@1100', 'tick@1150', 'b@1200', 'tick@1300']);
    expect(clock.now()).toBe(1_350);
    tick.cancel();
    clock.advance(1_000);
    expect(fired).toHaveLength(4);
    expect(clock.pendingCount).toBe(0);
  });

  it('a timer set from inside a timer fires in the same advance when it falls due within it', () => {
    const clock = new TestClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => fired.push(clock.now()), 10), 10);
    clock.advance(25);
    expect(fired).toEqual([20]);
  });

  it('the system clock is the wall clock and Node’s timers', async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    const at = await new Promise<number>((resolve) => systemClock.setTimeout(() => resolve(Date.now()), 5));
    expect(at).toBeGreaterThanOrEqual(before + 4);
  });
});
