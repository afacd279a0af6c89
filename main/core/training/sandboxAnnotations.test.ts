import { describe, expect, it } from 'vitest';
import { Store } from '../store';
import { tempDir } from '../../../test/helpers';
import { createSandbox } from './sandbox';

const DAY = Date.parse('2010-03-14T00:00:00Z');

describe('a sandbox copies the annotations standing when its day began', () => {
  it('keeps a sector as it was drawn when the hub refused a later edit of it', () => {
    const source = tempDir();
    const store = Store.open(source);
    store.transaction(() => {
      store.log.append({ t: DAY - 3_600_000, source: 'user:jdupont', kind: 'annotation.create', entity: 'annotation:F1', payload: { by: 'jdupont', role: 'supervisor', shape: 'circle', coordinates: [[5.37, 43.29]], radiusM: 300, label: 'Secteur A' } });
      // The hub's refusal of another seat's edit is logged under the same entity (hub/workstation.ts entityOf).
      store.log.append({ t: DAY - 1_800_000, source: 'hub', kind: 'sync.rejected', entity: 'annotation:F1', payload: { uid: 'ws2:7', method: 'annotations.save', code: 'conflict', message: 'edited meanwhile', by: 'hub', loser: 'mmartin', winner: 'jdupont' } });
    })();
    store.close();
    const out = tempDir();
    const { copied } = createSandbox({ source, day: '2010-03-14', out });
    expect(copied.annotations).toBe(1);
    const sandbox = Store.open(out);
    expect(sandbox.annotations.list().map((a) => ({ label: a.label, shape: a.shape, radiusM: a.radiusM, createdBy: a.createdBy, updatedBy: a.updatedBy }))).toEqual([
      { label: 'Secteur A', shape: 'circle', radiusM: 300, createdBy: 'jdupont', updatedBy: 'jdupont' },
    ]);
    sandbox.close();
  });
});
