import { useEffect, useMemo, useState } from 'react';
import type { Assignment, AssignmentStatus, Recommendation, RecommendationList } from '../../../common/domain/dispatch';
import type { Incident } from '../../../common/domain/incident';
import { useCan, useClient } from '../../app/ClientContext';
import { useT, type Translate } from '../../i18n/index';
import { useDispatch } from '../../stores/dispatch';
import { ReasonDialog } from '../../ui/ReasonDialog';
import { useNow } from '../../ui/useNow';
import { ActionButton } from '../incidents/IncidentActions';
import { useReplayReadOnly } from '../replay/readOnly';
import { appNow } from '../../stores/replayClock';

/** Units move: the ranking is recomputed this often while an incident is selected. */
const REFRESH_MS = 5_000;
const NEXT: Partial<Record<AssignmentStatus, Exclude<AssignmentStatus, 'assigned'>>> = {
  assigned: 'acknowledged',
  acknowledged: 'en_route',
  en_route: 'on_scene',
  on_scene: 'cleared',
};

export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(1)} km`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Timers, the units on the incident, and the ranked units with their reasons. */
export function DispatchPanel({ incident }: { incident: Incident }) {
  const t = useT();
  const client = useClient();
  const readOnly = useReplayReadOnly();
  // In replay nothing is assigned or moved on (IncidentActions says why); the ranking is of that instant.
  const canAssign = useCan('dispatch.assign') && !readOnly;
  const canProgress = useCan('dispatch.setStatus') && !readOnly;
  const all = useDispatch((s) => s.assignments);
  const load = useDispatch((s) => s.actions.load);
  const showRoutes = useDispatch((s) => s.actions.showRoutes);
  const assignments = useMemo(() => Object.values(all).filter((a) => a.incidentId === incident.id).sort((a, b) => a.assignedAt - b.assignedAt), [all, incident.id]);
  const activeCount = assignments.filter((a) => a.status !== 'cleared').length;
  const [ranking, setRanking] = useState<RecommendationList | null>(null);
  const [override, setOverride] = useState<Recommendation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = incident.status !== 'closed';

  useEffect(() => {
    let cancelled = false;
    void client.call('dispatch.list', { incidentId: incident.id }).then((list) => !cancelled && load(list), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [client, incident.id, load]);

  useEffect(() => {
    if (!open) {
      setRanking(null);
      return;
    }
    let cancelled = false;
    const refresh = () =>
      client.call('dispatch.recommend', { incidentId: incident.id, ...(readOnly ? { at: Math.round(appNow()) } : {}) }).then(
        (r) => !cancelled && setRanking(r),
        (err: Error) => !cancelled && setError(err.message),
      );
    void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [client, incident.id, open, activeCount, readOnly]);

  const assign = async (unit: Recommendation, reason?: string) => {
    setError(null);
    try {
      await client.call('dispatch.assign', { incidentId: incident.id, unitId: unit.unitId, ...(reason ? { reason } : {}) });
      setRanking(await client.call('dispatch.recommend', { incidentId: incident.id }));
    } catch (err) {
      setError((err as Error).message);
      throw err;
    }
  };
  // The ranking's routes go to the map while this incident is open.
  useEffect(() => {
    showRoutes((ranking?.units ?? []).flatMap((u) => (u.route ? [{ unitId: u.unitId, callsign: u.callsign, rank: u.rank, path: u.route }] : [])));
  }, [ranking, showRoutes]);
  useEffect(() => () => showRoutes([]), [showRoutes]);
  const top = ranking?.units[0];
  // Units already on this incident are listed above, not offered again.
  const candidates = (ranking?.units ?? []).filter((u) => u.assignedIncidentId !== incident.id).slice(0, 9);

  return (
    <section className="dispatch" aria-labelledby="dispatch-heading">
      <h4 id="dispatch-heading">{t('dispatch.title')}</h4>
      <Timers incident={incident} />
      {assignments.length > 0 && (
        <ul className="assignments" aria-label={t('dispatch.assigned')}>
          {assignments.map((a) => (
            <AssignmentRow key={a.id} assignment={a} canProgress={canProgress} onError={setError} />
          ))}
        </ul>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {open && ranking && (
        <>
          <h5 className="muted">{t('dispatch.recommended', { model: ranking.model })}</h5>
          <ol className="recommendations" aria-label={t('dispatch.recommendations')}>
            {candidates.map((u) => (
              <li key={u.unitId} className={`recommendation${u.assignable ? '' : ' unassignable'}`} aria-label={`${u.rank}. ${u.callsign}`}>
                <span className="rank" aria-hidden="true">
                  {u.rank}
                </span>
                <span className="rec-main">
                  <span className="rec-callsign">
                    {u.callsign} <span className="muted">· {t(`unitType.${u.unitType}`)}</span>
                    {u.rank === 1 && u.assignable && <span className="recommended-tag">{t('dispatch.recommendedTag')}</span>}
                  </span>
                  <span className="reasons">{reasonsText(t, u, ranking.model !== 'straight-line-v1')}</span>
                </span>
                {canAssign && u.assignable && (
                  <ActionButton
                    label="dispatch.assign"
                    shortcut={u.rank === 1 ? 'd' : String(u.rank)}
                    primary={u.rank === 1}
                    onClick={() => (u.rank === 1 ? void assign(u).catch(() => undefined) : setOverride(u))}
                  >
                    <span className="sr-only">{t('dispatch.assignUnit', { callsign: u.callsign })}</span>
                    <span aria-hidden="true">{t('dispatch.assign')}</span>
                  </ActionButton>
                )}
              </li>
            ))}
          </ol>
          {candidates.length === 0 && <p className="muted">{t('dispatch.noUnits')}</p>}
        </>
      )}
      {override && top && (
        <ReasonDialog
          title={t('dispatch.overrideTitle', { callsign: override.callsign, top: top.callsign })}
          label={t('actions.reason')}
          required
          submitLabel={t('dispatch.assign')}
          onSubmit={(reason) => assign(override, reason)}
          onClose={() => setOverride(null)}
        />
      )}
    </section>
  );
}

/** `byRoad`: the ranking used the pack's roads, so each unit says whether its ETA is by road or the straight-line fallback. */
function reasonsText(t: Translate, u: Recommendation, byRoad: boolean): string {
  const parts = [
    formatDistance(u.distanceM),
    t('dispatch.eta', { eta: formatDuration(u.etaS * 1000) }),
    ...(byRoad && u.via ? [t(u.via === 'road' ? 'dispatch.viaRoad' : 'dispatch.viaStraight')] : []),
    ...(u.tooFar ? [t('dispatch.tooFar')] : []),
    t(`capability.${u.capability}`),
    u.availability === 'assigned' ? t('availability.assigned', { incident: u.assignedIncidentId ?? '' }) : t(`availability.${u.availability}`),
  ];
  if (u.feedStatus && u.availability !== 'available') parts.push(`« ${u.feedStatus} »`);
  return parts.join(' · ');
}

function Timers({ incident }: { incident: Incident }) {
  const t = useT();
  const now = useNow(1000);
  const toDispatch = (incident.dispatchedAt ?? (incident.status === 'closed' ? undefined : now)) !== undefined ? (incident.dispatchedAt ?? now) - incident.occurredAt : undefined;
  const onScene = incident.onSceneAt !== undefined ? (incident.closedAt ?? now) - incident.onSceneAt : undefined;
  // Acknowledging is the first decision: its timer runs until it is taken (dispatching takes it too).
  const ackAt = incident.acknowledgedAt ?? incident.dispatchedAt;
  const toAcknowledge = ackAt !== undefined ? ackAt - incident.occurredAt : incident.status === 'new' ? now - incident.occurredAt : undefined;
  return (
    <dl className="timers">
      {toAcknowledge !== undefined && (
        <>
          <dt>{t('dispatch.timeToAcknowledge')}</dt>
          <dd className={`mono${ackAt === undefined ? ' running' : ''}`} aria-label={t('dispatch.timeToAcknowledge')}>
            {formatDuration(toAcknowledge)}
          </dd>
        </>
      )}
      {toDispatch !== undefined && (
        <>
          <dt>{t('dispatch.timeToDispatch')}</dt>
          <dd className={`mono${incident.dispatchedAt === undefined ? ' running' : ''}`} aria-label={t('dispatch.timeToDispatch')}>
            {formatDuration(toDispatch)}
          </dd>
        </>
      )}
      {onScene !== undefined && (
        <>
          <dt>{t('dispatch.timeOnScene')}</dt>
          <dd className={`mono${incident.closedAt === undefined ? ' running' : ''}`} aria-label={t('dispatch.timeOnScene')}>
            {formatDuration(onScene)}
          </dd>
        </>
      )}
    </dl>
  );
}

function AssignmentRow({ assignment: a, canProgress, onError }: { assignment: Assignment; canProgress: boolean; onError: (e: string | null) => void }) {
  const t = useT();
  const client = useClient();
  const next = NEXT[a.status];
  return (
    <li className={`assignment status-${a.status}`} aria-label={`${a.callsign ?? a.unitId}: ${t(`assignment.${a.status}`)}`}>
      <span className="rec-callsign">{a.callsign ?? a.unitId}</span>
      <span className={`status-chip assignment-${a.status}`}>{t(`assignment.${a.status}`)}</span>
      {a.overrideReason && <span className="muted override" title={t('dispatch.overrideReason')}>↳ {a.overrideReason}</span>}
      {canProgress && next && (
        <button
          type="button"
          className="action small"
          onClick={() => {
            onError(null);
            client.call('dispatch.setStatus', { assignmentId: a.id, status: next }).catch((err: Error) => onError(err.message));
          }}
        >
          {t('dispatch.mark', { status: t(`assignment.${next}`), callsign: a.callsign ?? a.unitId })}
        </button>
      )}
    </li>
  );
}
