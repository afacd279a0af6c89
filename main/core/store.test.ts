import { describe, expect, it } from 'vitest';
import { Store } from './store';
import { tempDir } from '../../test/helpers';

describe('Store.transaction', () => {
  it('after a rollback, the event log hands out the sequence numbers again: no gap, no lost event', () => {
    const store = Store.open(tempDir());
    const append = (entity: string) => store.log.append({ t: 1_000, source: 'test', kind: 'test.event', entity, payload: {} });
    const first = store.transaction(() => append('a'))();
    expect(() =>
      store.transaction(() => {
        append('b');
        append('c');
        throw new Error('refused half-way');
      })(),
    ).toThrow('refused half-way');
    const next = store.transaction(() => append('d'))();
    expect(next.seq).toBe(first.seq + 1);
    expect(store.db.prepare('SELECT entity FROM events ORDER BY seq').pluck().all()).toEqual(['a', 'd']);
    store.close();
  });
});
