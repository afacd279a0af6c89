import { categoryLabel, formatTime, useLocaleStore, useT } from '../../i18n/index';
import { useIncidents } from '../../stores/incidents';
import { useSession } from '../../stores/session';
import { DispatchPanel } from '../dispatch/DispatchPanel';
import { IncidentActions } from './IncidentActions';
import { IncidentHistory } from './IncidentHistory';
import { IncidentMedia } from './IncidentMedia';
import { incidentPlace } from './mergeCandidates';
import './actions.css';
import { PopOutButton } from '../../ui/PopOutButton';

export function IncidentDetails() {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const incident = useIncidents((s) => (s.selectedId ? s.byId[s.selectedId] : undefined));
  const select = useIncidents((s) => s.actions.select);
  const feed = useSession((s) => (incident ? s.feeds[incident.feedId] : undefined));

  return (
    <section className="panel details" aria-labelledby="details-heading">
      <header className="panel-header">
        <h2 id="details-heading">{t('details.title')}</h2>
        <PopOutButton panel="details" />
        {incident && (
          <button type="button" className="icon-button" aria-label={t('details.close')} title={`${t('details.close')} (Esc)`} onClick={() => select(null)}>
            ×
          </button>
        )}
      </header>
      {!incident ? (
        <p className="muted empty">{t('details.none')}</p>
      ) : (
        <div className={`details-body p${incident.priority}`}>
          <h3 className="details-title">{incident.title}</h3>
          {incident.simulated && <p className="sim-banner">{t('app.simulatedHint')}</p>}
          <IncidentActions incident={incident} />
          {(incident.feedStatus !== undefined || incident.feedPriority !== undefined) && (
            <p className="feed-differs" role="note">
              {t('details.feedDiffers', {
                feed: feed?.label ?? incident.feedId,
                says: [incident.feedStatus && t(`status.${incident.feedStatus}`), incident.feedPriority && `P${incident.feedPriority}`].filter(Boolean).join(', '),
              })}
            </p>
          )}
          {incident.mergedInto && <MergedInto id={incident.mergedInto} />}
          <dl>
            <dt>{t('details.priority')}</dt>
            <dd>
              <span className={`prio-chip p${incident.priority}`}>{t(`priority.${incident.priority}` as 'priority.1')}</span>
            </dd>
            <dt>{t('details.status')}</dt>
            <dd>
              <span className={`status-chip status-${incident.status}`}>{t(`status.${incident.status}`)}</span>
            </dd>
            <dt>{t('details.category')}</dt>
            <dd>{categoryLabel(t, incident.category)}</dd>
            {incident.address && (
              <>
                <dt>{t('details.address')}</dt>
                <dd>{incident.address}</dd>
              </>
            )}
            <dt>{t('details.occurredAt')}</dt>
            <dd>{formatTime(locale, incident.occurredAt)}</dd>
            {incident.closedAt !== undefined && (
              <>
                <dt>{t('details.closedAt')}</dt>
                <dd>{formatTime(locale, incident.closedAt)}</dd>
              </>
            )}
            <dt>{t('details.updatedAt')}</dt>
            <dd>{formatTime(locale, incident.updatedAt)}</dd>
            <dt>{t('details.position')}</dt>
            <dd className="mono">
              {incident.lat.toFixed(5)}, {incident.lon.toFixed(5)}
            </dd>
            <dt>{t('details.source')}</dt>
            <dd>
              {feed?.label ?? incident.feedId} <span className="mono muted">{incident.externalId}</span>
            </dd>
          </dl>
          {incident.description && (
            <>
              <h4>{t('details.description')}</h4>
              <p>{incident.description}</p>
            </>
          )}
          <IncidentMedia incident={incident} />
          <DispatchPanel incident={incident} />
          <IncidentHistory incident={incident} />
        </div>
      )}
    </section>
  );
}

/** "Merged into <title> · <place>", a link that opens the incident it duplicates (Shift+G). */
function MergedInto({ id }: { id: string }) {
  const t = useT();
  const target = useIncidents((s) => s.byId[id]);
  const select = useIncidents((s) => s.actions.select);
  // Outside this window's picture (an old incident not loaded): its id is all there is to show.
  if (!target) return <p className="muted merged-into">{t('details.mergedInto', { id })}</p>;
  return (
    <p className="merged-into">
      {t('details.mergedIntoLabel')}{' '}
      <button type="button" className="linkish" data-shortcut="shift+g" title={`${t('details.mergedIntoOpen')} (Shift+G)`} onClick={() => select(target.id)}>
        {target.title} · {incidentPlace(target)}
      </button>
    </p>
  );
}
