import { useT, formatTime, useLocaleStore } from '../../i18n/index';
import { useAnnotations } from '../../stores/annotations';
import { useNow } from '../../ui/useNow';

/** Geofence alerts of the last 10 minutes, over the map; the full list stays in the log. */
const SHOW_FOR_MS = 10 * 60_000;

export function GeofenceAlerts() {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const now = useNow(5000);
  const alerts = useAnnotations((s) => s.alerts).filter((a) => now - a.t < SHOW_FOR_MS).slice(0, 4);
  return (
    <ul className="geofence-alerts" role="log" aria-label={t('geofence.alerts')}>
      {alerts.map((a) => (
        <li key={a.seq} className={`geofence-alert ${a.kind}`}>
          <time className="mono">{formatTime(locale, a.t).split(' ').pop()}</time> {t(`geofence.${a.kind}`, { subject: a.subject, fence: a.fence })}
        </li>
      ))}
    </ul>
  );
}
