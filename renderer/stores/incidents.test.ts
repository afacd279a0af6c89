import { describe, expect, it } from 'vitest';
import type { Incident } from '../../common/domain/incident';
import { visibleIncidents } from './incidents';

const T0 = Date.UTC(2026, 11, 5, 20, 0);
function incident(id: string, priority: number, minutesAfter: number, extra: Partial<Incident> = {}): Incident {
  return { id, feedId: 'f', externalId: id, simulated: false, updatedAt: T0, seq: 1, category: 'fight', priority, status: 'new', title: id, occurredAt: T0 + minutesAfter * 60_000, lon: 5.37, lat: 43.29, ...extra } as Incident;
}

describe('the incident queue order', () => {
  const byId = Object.fromEntries(
    [incident('P2-old', 2, 0), incident('P3-new', 3, 30), incident('P1-old', 1, 5), incident('P1-closed', 1, 40, { status: 'closed' }), incident('P2-new', 2, 20), incident('P1-new', 1, 10)].map((i) => [i.id, i]),
  );
  const ids = (order: 'priority' | 'time', extra: Partial<Parameters<typeof visibleIncidents>[0]> = {}) => visibleIncidents({ byId, openOnly: false, search: '', order, ...extra }).map((i) => i.id);

  it('puts open P1s on top in both orders, then priority (newest first) or time', () => {
    expect(ids('priority')).toEqual(['P1-new', 'P1-old', 'P1-closed', 'P2-new', 'P2-old', 'P3-new']);
    expect(ids('time')).toEqual(['P1-new', 'P1-old', 'P1-closed', 'P3-new', 'P2-new', 'P2-old']);
  });

  it('keeps the selected incident on the row it was selected on while others arrive', () => {
    const before = ids('priority');
    const anchorIndex = before.indexOf('P2-old');
    const more = { ...byId, 'P1-newest': incident('P1-newest', 1, 50), 'P2-newest': incident('P2-newest', 2, 45) };
    const after = visibleIncidents({ byId: more, openOnly: false, search: '', order: 'priority', selectedId: 'P2-old', anchorIndex }).map((i) => i.id);
    expect(after.indexOf('P2-old')).toBe(anchorIndex);
    // Without the selection, it would have moved down two rows.
    expect(visibleIncidents({ byId: more, openOnly: false, search: '', order: 'priority' }).map((i) => i.id).indexOf('P2-old')).toBe(anchorIndex + 2);
  });
});
