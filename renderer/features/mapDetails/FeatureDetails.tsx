import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Alert, Camera, Unit } from '../../../common/domain/entities';
import { useClient } from '../../app/ClientContext';
import { formatTime, timeAgo, useLocaleStore, useT } from '../../i18n/index';
import { useDispatch } from '../../stores/dispatch';
import { useIncidents } from '../../stores/incidents';
import { useMapSelection, type FeatureRef } from '../../stores/mapSelection';
import { usePicture } from '../../stores/picture';
import { useSession } from '../../stores/session';
import { useNow } from '../../ui/useNow';
import '../incidents/actions.css';
import './featureDetails.css';

const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
const compass = (deg: number) => COMPASS[Math.round(deg / 45) % 8]!;

/** The details of the unit, camera or CAP alert selected on the map, in the details column. */
export function FeatureDetails({ feature }: { feature: FeatureRef }) {
  const t = useT();
  const select = useMapSelection((s) => s.actions.select);
  const heading = feature.kind === 'unit' ? t('feature.unit.title') : feature.kind === 'camera' ? t('feature.camera.title') : t('feature.alert.title');
  return (
    <section className="panel details feature-details" aria-labelledby="feature-heading">
      <header className="panel-header">
        <h2 id="feature-heading">{heading}</h2>
        <button type="button" className="icon-button" aria-label={t('details.close')} title={`${t('details.close')} (Esc)`} onClick={() => select(null)}>
          ×
        </button>
      </header>
      <div className="details-body">
        {feature.kind === 'unit' ? <UnitDetails id={feature.id} /> : feature.kind === 'camera' ? <CameraDetails id={feature.id} /> : <AlertDetails id={feature.id} />}
      </div>
    </section>
  );
}

function Gone() {
  const t = useT();
  return <p className="muted empty">{t('feature.gone')}</p>;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function FeedName({ feedId }: { feedId: string }) {
  const feed = useSession((s) => s.feeds[feedId]);
  return <>{feed?.label ?? feedId}</>;
}

function UnitDetails({ id }: { id: string }) {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const unit: Unit | undefined = usePicture((s) => s.units[id]);
  const assignments = useDispatch((s) => s.assignments);
  const selectIncident = useIncidents((s) => s.actions.select);
  const now = useNow(1000);
  const assignment = Object.values(assignments).find((a) => a.unitId === id && a.status !== 'cleared');
  const incident = useIncidents((s) => (assignment ? s.byId[assignment.incidentId] : undefined));
  if (!unit) return <Gone />;
  return (
    <>
      <h3 className="details-title">{unit.callsign ?? unit.unitId}</h3>
      {unit.simulated && <p className="sim-banner">{t('app.simulatedHint')}</p>}
      <dl>
        <Row label={t('feature.status')}>{unit.status ? <span className="status-chip">{unit.status.replace(/_/g, ' ')}</span> : <span className="muted">{t('feature.unknown')}</span>}</Row>
        <Row label={t('feature.unit.type')}>{t(`feature.unit.type.${unit.unitType}`)}</Row>
        <Row label={t('feature.unit.speed')}>{unit.speed !== undefined ? `${Math.round(unit.speed * 3.6)} km/h` : <span className="muted">{t('feature.unknown')}</span>}</Row>
        <Row label={t('feature.heading')}>{unit.heading !== undefined ? `${Math.round(unit.heading)}° ${compass(unit.heading)}` : <span className="muted">{t('feature.unknown')}</span>}</Row>
        <Row label={t('feature.unit.lastFix')}>
          <span className={now - unit.t > 10 * 60_000 ? 'stale-fix' : undefined}>{timeAgo(t, unit.t, now)}</span> <span className="muted">({formatTime(locale, unit.t)})</span>
        </Row>
        <Row label={t('feature.unit.assigned')}>
          {assignment ? (
            <button type="button" className="link-button" onClick={() => selectIncident(assignment.incidentId)}>
              {incident?.title ?? assignment.incidentId}
            </button>
          ) : (
            <span className="muted">{t('feature.unit.notAssigned')}</span>
          )}
          {assignment && <span className="muted"> · {t(`assignment.${assignment.status}`)}</span>}
        </Row>
        {unit.routeId && <Row label={t('feature.unit.route')}>{unit.routeId}</Row>}
        {unit.occupancy && <Row label={t('feature.unit.occupancy')}>{t(`feature.unit.occupancy.${unit.occupancy}`)}</Row>}
        {unit.team && <Row label={t('feature.unit.team')}>{unit.teamRole ? `${unit.team} · ${unit.teamRole}` : unit.team}</Row>}
        {unit.battery !== undefined && <Row label={t('feature.unit.battery')}><span className={unit.battery <= 15 ? 'stale-fix' : undefined}>{unit.battery} %</span></Row>}
        {unit.client && <Row label={t('feature.unit.client')}>{unit.client}</Row>}
        {unit.expiresAt !== undefined && (
          <Row label={t('feature.unit.validUntil')}>
            {formatTime(locale, unit.expiresAt)}
            {unit.expiresAt <= now && <span className="stale-fix"> · {t('feature.unit.expired')}</span>}
          </Row>
        )}
        <Row label={t('details.position')}>
          <span className="mono">
            {unit.lat.toFixed(5)}, {unit.lon.toFixed(5)}
          </span>
        </Row>
        <Row label={t('details.source')}>
          <FeedName feedId={unit.feedId} /> <span className="mono muted">{unit.unitId}</span>
        </Row>
      </dl>
    </>
  );
}

function CameraDetails({ id }: { id: string }) {
  const t = useT();
  const client = useClient();
  const live: Camera | undefined = usePicture((s) => s.cameras[id]);
  const [viewed, setViewed] = useState<Camera | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stream, setStream] = useState<string | null>(null);
  const streamField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Opening a camera's details is a consultation: the service journals it before answering.
    let current = true;
    setViewed(null);
    setStream(null);
    setError(null);
    client.call('cameras.view', { id }).then(
      (camera) => current && setViewed(camera),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [client, id]);

  useEffect(() => {
    if (stream) streamField.current?.select();
  }, [stream]);

  const camera = live ?? viewed;
  if (!camera) return error ? <p className="error-text" role="alert">{error}</p> : <Gone />;
  const openStream = () => {
    client.call('cameras.stream', { id }).then(
      (s) => setStream(s.url),
      (e: Error) => setError(e.message),
    );
  };
  return (
    <>
      <h3 className="details-title">{camera.name ?? camera.externalId}</h3>
      {camera.simulated && <p className="sim-banner">{t('app.simulatedHint')}</p>}
      <dl>
        <Row label={t('feature.status')}>
          <span className={`status-chip camera-${camera.status}`}>{t(`feature.camera.status.${camera.status}`)}</span>
        </Row>
        <Row label={t('feature.heading')}>{camera.heading !== undefined ? `${Math.round(camera.heading)}° ${compass(camera.heading)}` : <span className="muted">{t('feature.unknown')}</span>}</Row>
        <Row label={t('feature.camera.fov')}>{camera.fieldOfView !== undefined ? `${camera.fieldOfView}°` : <span className="muted">{t('feature.unknown')}</span>}</Row>
        <Row label={t('feature.camera.range')}>{camera.range !== undefined ? `${camera.range} m` : <span className="muted">{t('feature.unknown')}</span>}</Row>
        <Row label={t('details.position')}>
          <span className="mono">
            {camera.lat.toFixed(5)}, {camera.lon.toFixed(5)}
          </span>
        </Row>
        <Row label={t('details.source')}>
          <FeedName feedId={camera.feedId} /> <span className="mono muted">{camera.externalId}</span>
        </Row>
      </dl>
      <p className="muted privacy-note">{t('feature.camera.privacy')}</p>
      {camera.hasStream ? (
        stream ? (
          <div className="stream-address">
            <label htmlFor="camera-stream">{t('feature.camera.streamAddress')}</label>
            <input id="camera-stream" ref={streamField} className="mono" readOnly value={stream} />
            <button type="button" onClick={() => void navigator.clipboard?.writeText(stream).catch(() => undefined)}>
              {t('feature.camera.copy')}
            </button>
            <p className="muted">{t('feature.camera.streamHint')}</p>
          </div>
        ) : (
          <button type="button" className="action primary" onClick={openStream}>
            {t('feature.camera.openStream')}
          </button>
        )
      ) : (
        <p className="muted">{t('feature.camera.noStream')}</p>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function AlertDetails({ id }: { id: string }) {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const alert: Alert | undefined = usePicture((s) => s.alerts[id]);
  if (!alert) return <Gone />;
  const time = (ms: number | undefined) => (ms === undefined ? null : formatTime(locale, ms));
  // GTFS-rt alerts carry every language the agency wrote: show the UI's own where present.
  const own = alert.translations?.find((tr) => tr.language.toLowerCase().split('-')[0] === locale);
  const headline = own?.headline ?? alert.headline;
  const description = own?.description ?? alert.description;
  const transit = alert.transit;
  return (
    <>
      <h3 className="details-title">{headline ?? alert.event}</h3>
      {alert.simulated && <p className="sim-banner">{t('app.simulatedHint')}</p>}
      {alert.status !== 'Actual' && <p className="feed-differs">{t('feature.alert.notActual', { status: alert.status })}</p>}
      <dl>
        {transit ? (
          <>
            <Row label={t('feature.alert.cause')}>{t(`feature.alert.cause.${transit.cause}`)}</Row>
            <Row label={t('feature.alert.effect')}>{t(`feature.alert.effect.${transit.effect}`)}</Row>
            {transit.routes.length > 0 && <Row label={t('feature.alert.lines')}><span className="mono">{transit.routes.join(', ')}</span></Row>}
            {transit.stops.length > 0 && (
              <Row label={t('feature.alert.stops')}>
                <span className="mono">{transit.stops.join(', ')}</span>
                {transit.unplacedStops.length > 0 && <span className="muted"> · {t('feature.alert.unplaced', { n: transit.unplacedStops.length })}</span>}
              </Row>
            )}
            {transit.activePeriods.length > 0 && (
              <Row label={t('feature.alert.active')}>
                <ul className="references">
                  {transit.activePeriods.map((p, i) => (
                    <li key={i}>
                      {time(p.start) ?? '…'} → {time(p.end) ?? t('feature.alert.openEnded')}
                    </li>
                  ))}
                </ul>
              </Row>
            )}
          </>
        ) : (
          <Row label={t('feature.alert.event')}>{alert.event}</Row>
        )}
        <Row label={t('feature.alert.severity')}>
          <span className={`severity-chip severity-${alert.severity}`}>{t(`feature.alert.severity.${alert.severity}`)}</span>
        </Row>
        <Row label={t('feature.alert.urgency')}>{t(`feature.alert.urgency.${alert.urgency}`)}</Row>
        <Row label={t('feature.alert.certainty')}>{t(`feature.alert.certainty.${alert.certainty}`)}</Row>
        {!transit && <Row label={t('feature.alert.area')}>{alert.areaDesc || <span className="muted">{t('feature.unknown')}</span>}</Row>}
        <Row label={t('feature.alert.sent')}>{time(alert.sent)}</Row>
        {alert.onset !== undefined && <Row label={t('feature.alert.onset')}>{time(alert.onset)}</Row>}
        <Row label={t('feature.alert.expires')}>{time(alert.expires) ?? <span className="muted">{t('layers.alerts.noExpiry')}</span>}</Row>
        {alert.issuer && <Row label={t('feature.alert.issuer')}>{alert.issuer}</Row>}
        <Row label={t('feature.alert.message')}>
          {alert.msgType} <span className="mono muted">{alert.alertId}</span>
        </Row>
        <Row label={t('feature.alert.references')}>
          {alert.references.length > 0 ? (
            <ul className="references mono">
              {alert.references.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          ) : (
            <span className="muted">{t('feature.alert.noReferences')}</span>
          )}
        </Row>
        <Row label={t('details.source')}>
          <FeedName feedId={alert.feedId} />
        </Row>
      </dl>
      {description && (
        <>
          <h4>{t('details.description')}</h4>
          <p className="alert-text">{description}</p>
        </>
      )}
      {alert.instruction && (
        <>
          <h4>{t('feature.alert.instruction')}</h4>
          <p className="alert-text">{alert.instruction}</p>
        </>
      )}
    </>
  );
}
