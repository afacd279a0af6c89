import { useEffect, useState } from 'react';
import type { Incident } from '../../../common/domain/incident';
import type { HistoryEntry } from '../../../common/methods/actions';
import { useClient } from '../../app/ClientContext';
import { formatTime, useLocaleStore, useT, type Translate } from '../../i18n/index';
import type { MessageKey } from '../../i18n/en';
import { useIncidents } from '../../stores/incidents';

/**
 * The incident's story from the event log: feed updates and operator actions with who, from, to
 * and why. Loading it is a consultation, journaled by the service (once per incident opened).
 */
export function IncidentHistory({ incident }: { incident: Incident }) {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const client = useClient();
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  // A workstation of a hub: a refusal of the hub changes the story without always changing the incident.
  const [syncTick, setSyncTick] = useState(0);
  const byId = useIncidents((s) => s.byId);
  // A merge names the incident it went into by its title, when this window has it.
  const titleOf = (id: string) => byId[id]?.title ?? id;
  useEffect(() => client.on('sync.changed', () => setSyncTick((n) => n + 1)), [client]);

  // Reloaded when the incident changes (its seq); notes do not change the incident, so they are added locally too.
  useEffect(() => {
    let cancelled = false;
    client.call('incidents.history', { id: incident.id }).then(
      (list) => !cancelled && (setEntries(list), setError(null)),
      (err: Error) => !cancelled && setError(err.message),
    );
    return () => {
      cancelled = true;
    };
  }, [client, incident.id, incident.seq, syncTick]);

  return (
    <section className="history" aria-labelledby="history-heading">
      <h4 id="history-heading">{t('history.title')}</h4>
      {error && <p className="form-error">{error}</p>}
      <ol className="history-list" aria-label={t('history.title')}>
        {[...entries].reverse().map((e) => (
          <li key={e.seq}>
            <time className="mono muted">{formatTime(locale, e.t).split(' ').pop()}</time> {describe(t, e, titleOf)}
          </li>
        ))}
      </ol>
    </section>
  );
}

function describe(t: Translate, e: HistoryEntry, titleOf: (id: string) => string): string {
  const p = e.payload as Record<string, string | number | boolean | undefined | { kind: string; url?: string; cameraId?: string; label?: string }>;
  const who = typeof p.by === 'string' ? p.by : e.source;
  const status = (s: unknown) => (typeof s === 'string' ? t(`status.${s}` as MessageKey) : '');
  const why = typeof p.reason === 'string' ? ` — « ${p.reason} »` : '';
  switch (e.kind) {
    case 'incident.upsert':
      // Created by hand (incidents.create) is logged as its own source's upsert: say who placed it.
      if (e.source.startsWith('user:')) return t('history.createdByHand', { who: e.source.slice('user:'.length) });
      return t('history.feed', { feed: e.source, status: status(p.status) });
    case 'incident.note':
      return `${who}: ${t('history.note')} « ${String(p.text)} »`;
    case 'incident.attach': {
      const a = p.attachment as { kind: string; url?: string; cameraId?: string; label?: string };
      return `${who}: ${t('history.attach')} ${a.label ?? a.url ?? a.cameraId}`;
    }
    case 'incident.dispatch':
      return `${who}: ${t('history.dispatch', { callsign: String(p.callsign), rank: String(p.rank) })}${why}`;
    case 'incident.priority':
      return `${who}: ${t('history.priority', { from: String(p.fromPriority), to: String(p.toPriority) })}${why}`;
    case 'incident.merge':
      return `${who}: ${t('history.merge', { into: titleOf(String(p.into)) })}${why}`;
    case 'sync.rejected': {
      // A workstation of a hub: its own action above was refused by the hub, which kept another's.
      const code = ['already_closed', 'unit_taken', 'annotation_edited'].includes(String(p.code)) ? String(p.code) : 'refused';
      return t(`history.syncRejected.${code}` as MessageKey, { who: String(p.loser ?? '?'), winner: String(p.winner ?? '?'), message: String(p.message ?? '') });
    }
    default:
      if (e.kind.startsWith('incident.unit.') || e.kind === 'unit.cleared') {
        return `${who}: ${String(p.callsign ?? p.unitId)} → ${t(`assignment.${String(p.toUnit)}` as MessageKey)}`;
      }
      return `${who}: ${status(p.from)} → ${status(p.to)}${why}`;
  }
}
