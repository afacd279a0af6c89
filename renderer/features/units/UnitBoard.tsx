import { useMemo } from 'react';
import type { Assignment } from '../../../common/domain/dispatch';
import { timeAgo, useT } from '../../i18n/index';
import { useDispatch } from '../../stores/dispatch';
import { useIncidents } from '../../stores/incidents';
import { usePicture } from '../../stores/picture';
import { useNow } from '../../ui/useNow';

/** Every unit: what it is, what its feed says, what Vigie assigned it to, and how fresh its position is. */
export function UnitBoard() {
  const t = useT();
  const now = useNow(5000);
  const units = usePicture((s) => s.units);
  const assignments = useDispatch((s) => s.assignments);
  const incidents = useIncidents((s) => s.byId);
  const select = useIncidents((s) => s.actions.select);
  const activeByUnit = useMemo(() => {
    const map = new Map<string, Assignment>();
    for (const a of Object.values(assignments)) if (a.status !== 'cleared') map.set(a.unitId, a);
    return map;
  }, [assignments]);
  const rows = useMemo(
    () =>
      Object.values(units)
        .filter((u) => u.unitType !== 'transit')
        .sort((a, b) => Number(activeByUnit.has(b.id)) - Number(activeByUnit.has(a.id)) || (a.callsign ?? a.unitId).localeCompare(b.callsign ?? b.unitId)),
    [units, activeByUnit],
  );
  return (
    <table className="unit-board" aria-label={t('units.board')}>
      <thead>
        <tr>
          <th>{t('units.callsign')}</th>
          <th>{t('units.type')}</th>
          <th>{t('units.feedStatus')}</th>
          <th>{t('units.assignment')}</th>
          <th>{t('units.lastReport')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((u) => {
          const a = activeByUnit.get(u.id);
          const incident = a ? incidents[a.incidentId] : undefined;
          return (
            <tr key={u.id} className={a ? `assigned status-${a.status}` : ''}>
              <td className="rec-callsign">{u.callsign ?? u.unitId}</td>
              <td>{t(`unitType.${u.unitType}`)}</td>
              <td>{u.status ?? '—'}</td>
              <td>
                {a ? (
                  <button type="button" className="linkish" onClick={() => select(a.incidentId)}>
                    {t(`assignment.${a.status}`)} · {incident?.title ?? a.incidentId}
                  </button>
                ) : (
                  <span className="muted">{t('units.free')}</span>
                )}
              </td>
              <td className={now - u.t > 10 * 60_000 ? 'stale' : ''}>{timeAgo(t, u.t, now)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
