import { useState } from 'react';
import { useCan, useClient } from '../../app/ClientContext';
import { formatTime, useLocaleStore, useT } from '../../i18n/index';
import { plannedText, usualText } from './format';
import { indicatorsStore, useIndicators } from '../../stores/indicators';
import { ReflexSheet } from './ReflexSheet';
import './indicators.css';

/** Indicator alerts, newest first: open ones on top until a supervisor acknowledges them. */
export function IndicatorTray() {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const alerts = useIndicators((s) => s.alerts);
  const sheetSeq = useIndicators((s) => s.sheetSeq);
  const { openSheet } = indicatorsStore.useStoreApi().getState().actions;
  const acknowledge = useAcknowledge();
  const open = alerts.filter((a) => !a.acknowledgedBy);
  const sheet = alerts.find((a) => a.seq === sheetSeq) ?? null;
  if (alerts.length === 0) return null;
  return (
    <aside className="indicator-tray" aria-label={t('indicators.tray')}>
      <h2>
        {t('indicators.tray')} <span className="badge">{open.length}</span>
      </h2>
      <ul>
        {alerts.slice(0, 8).map((a, i) => (
          <li key={a.seq} className={a.acknowledgedBy ? 'acked' : 'open'} aria-label={`${a.label} · ${a.district}`}>
            <div className="what">
              <strong>{a.label}</strong> · {a.district}
            </div>
            <div className="muted">
              <time className="mono">{formatTime(locale, a.t)}</time> · {usualText(t, a)}
              {a.acknowledgedBy && ` · ${t('indicators.acknowledgedBy', { who: a.acknowledgedBy })}`}
            </div>
            {plannedText(t, a) && <div className="planned">{plannedText(t, a)}</div>}
            <div className="row">
              <button type="button" data-shortcut={i === 0 ? 'shift+h' : undefined} title={i === 0 ? `${t('indicators.sheet')} (Shift+H)` : undefined} onClick={() => openSheet(a.seq)}>
                {t('indicators.sheet')}
              </button>
              {!a.acknowledgedBy && acknowledge && (
                <button type="button" data-shortcut={a.seq === open[0]?.seq ? 'i' : undefined} title={a.seq === open[0]?.seq ? `${t('indicators.acknowledge')} (I)` : undefined} onClick={() => void acknowledge.run(a.seq)}>
                  {t('indicators.acknowledge')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {acknowledge?.error && <p role="alert">{acknowledge.error}</p>}
      {sheet && <ReflexSheet alert={sheet} onAcknowledge={acknowledge && !sheet.acknowledgedBy ? () => void acknowledge.run(sheet.seq) : null} onClose={() => openSheet(null)} />}
    </aside>
  );
}

function useAcknowledge(): { run(seq: number): Promise<void>; error: string | null } | null {
  const client = useClient();
  const can = useCan('indicators.acknowledge');
  const { alert } = indicatorsStore.useStoreApi().getState().actions;
  const [error, setError] = useState<string | null>(null);
  if (!can) return null;
  return {
    error,
    run: async (seq) => {
      try {
        alert(await client.call('indicators.acknowledge', { seq }));
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      }
    },
  };
}
