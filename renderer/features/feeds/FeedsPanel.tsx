import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { VigieClient } from '../../../common/rpc';
import type { FeedStatus } from '../../../common/domain/feed';
import type { FeedSettings, QuarantineEntry } from '../../../common/methods/feeds';
import { FeedEditor, type CredentialsInfo } from './FeedEditor';
import { formatTime, timeAgo, useLocaleStore, useT, type Translate } from '../../i18n/index';
import { en, type MessageKey } from '../../i18n/en';
import { useSession } from '../../stores/session';
import { useNow } from '../../ui/useNow';

const SUPERVISORS = new Set(['supervisor', 'admin']);

function lag(t: Translate, ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return t('feeds.lag.ms', { n: Math.round(ms) });
  if (ms < 120_000) return t('feeds.lag.s', { n: Math.round(ms / 1000) });
  if (ms < 7_200_000) return t('feeds.lag.m', { n: Math.round(ms / 60_000) });
  return t('feeds.lag.h', { n: Math.round(ms / 3_600_000) });
}

/**
 * Every feed's health (state, last success, lag, records per minute, errors) and, for supervisors
 * and admins, pause/resume and the quarantine: what could not be stored, why, and the raw input.
 */
export function FeedsPanel({ client, onClose }: { client: VigieClient; onClose: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const byId = useSession((s) => s.feeds);
  const role = useSession((s) => s.session?.role);
  const canSupervise = role !== undefined && SUPERVISORS.has(role);
  const isAdmin = role === 'admin';
  const [settings, setSettings] = useState<{ feeds: FeedSettings[]; types: string[]; transports: string[]; credentials: CredentialsInfo } | null>(null);
  // undefined: the table; null: a new feed; an entry: that feed.
  const [editing, setEditing] = useState<FeedSettings | null | undefined>(undefined);
  const loadSettings = useCallback(async () => {
    if (!isAdmin) return;
    try {
      setSettings(await client.call('feeds.settings'));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [client, isAdmin]);
  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);
  const edit = (id: string) => setEditing(settings?.feeds.find((f) => f.id === id) ?? undefined);
  const feeds = useMemo(() => Object.values(byId).sort((a, b) => a.label.localeCompare(b.label)), [byId]);
  const now = useNow(1000);
  const locale = useLocaleStore((s) => s.locale);
  const [quarantineOf, setQuarantineOf] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const togglePause = useCallback(
    async (feed: FeedStatus) => {
      try {
        setError(null);
        await client.call('feeds.setPaused', { id: feed.id, paused: !feed.paused });
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [client],
  );

  // Keys inside the panel (the app's shortcuts are off while a dialog is open): J/K or ↓/↑ choose a
  // feed, P pauses or resumes it, Q shows its quarantine.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey || editing !== undefined) return;
    if ((event.target as HTMLElement).matches('input, textarea, select')) return;
    const index = feeds.findIndex((f) => f.id === selected);
    const move = (step: number) => {
      if (feeds.length === 0) return;
      const next = feeds[index < 0 ? 0 : Math.min(feeds.length - 1, Math.max(0, index + step))]!;
      setSelected(next.id);
      event.preventDefault();
    };
    const current = feeds[index];
    switch (event.key) {
      case 'j':
      case 'ArrowDown':
        move(1);
        break;
      case 'k':
      case 'ArrowUp':
        move(-1);
        break;
      case 'p':
        if (current && canSupervise && current.transport !== 'simulated') void togglePause(current);
        break;
      case 'q':
        if (current && canSupervise) setQuarantineOf(current.id);
        break;
    }
  };

  return (
    <dialog ref={ref} className="dialog feeds-panel" aria-labelledby="feeds-heading" onClose={onClose} onKeyDown={onKeyDown}>
      <div className="feeds-panel-header">
        <h2 id="feeds-heading">{t('feeds.panel.title')}</h2>
        <form method="dialog">
          <button type="submit" className="icon-button" aria-label={t('feeds.panel.close')}>
            ×
          </button>
        </form>
      </div>
      {error && (
        <p role="alert" className="feeds-error">
          {error}
        </p>
      )}
      {isAdmin && editing === undefined && settings && (
        <button type="button" className="small-button add-feed" onClick={() => setEditing(null)}>
          {t('feeds.add')}
        </button>
      )}
      {editing !== undefined && settings ? (
        <FeedEditor
          client={client}
          feed={editing}
          types={settings.types}
          transports={settings.transports}
          credentials={settings.credentials}
          onDone={() => {
            setEditing(undefined);
            void loadSettings();
          }}
        />
      ) : feeds.length === 0 ? (
        <p className="muted">{t('feeds.panel.none')}</p>
      ) : (
        <table className="feeds-table" aria-label={t('feeds.panel.table')}>
          <thead>
            <tr>
              <th scope="col">{t('feeds.col.feed')}</th>
              <th scope="col">{t('feeds.col.state')}</th>
              <th scope="col">{t('feeds.col.lastSuccess')}</th>
              <th scope="col">{t('feeds.col.lag')}</th>
              <th scope="col">{t('feeds.col.rate')}</th>
              <th scope="col">{t('feeds.col.errors')}</th>
              <th scope="col">{t('feeds.col.stored')}</th>
              <th scope="col">{t('feeds.col.quarantined')}</th>
              <th scope="col">{t('feeds.col.privacy')}</th>
              {canSupervise && <th scope="col">{t('feeds.col.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {feeds.map((feed) => (
              <tr key={feed.id} aria-label={feed.label} aria-selected={feed.id === selected} className={feed.id === selected ? 'selected' : undefined} onClick={() => setSelected(feed.id)}>
                <th scope="row">
                  <div>{feed.label}</div>
                  <div className="muted mono small">
                    {feed.type} · {feed.transport === 'simulated' ? t('feeds.transportSimulated') : (feed.transport ?? '—')}
                  </div>
                </th>
                <td>
                  <span className={`feed-state state-${feed.state}`}>
                    <span className="dot" aria-hidden="true" />
                    {t(`feeds.state.${feed.state}`)}
                  </span>
                  {feed.stale && feed.state !== 'stale' && <span className="badge-stale">{t('feeds.staleBadge')}</span>}
                  {feed.lastError && <div className="feed-error small">{feed.lastError}</div>}
                </td>
                <td>{feed.lastSuccessAt ? <span title={formatTime(locale, feed.lastSuccessAt)}>{timeAgo(t, feed.lastSuccessAt, now)}</span> : '—'}</td>
                <td className="mono">{lag(t, feed.lagMs)}</td>
                <td className="mono">{feed.recordsPerMinute ?? '—'}</td>
                <td className="mono">{feed.errorCount ?? feed.consecutiveErrors}</td>
                <td className="mono">
                  {feed.stored}
                  <IgnoredCounts ignored={feed.ignored} />
                </td>
                <td className="mono">
                  {canSupervise && feed.quarantined > 0 ? (
                    <button type="button" className="link-button" aria-label={t('feeds.quarantine.show', { feed: feed.label })} onClick={() => setQuarantineOf(feed.id)}>
                      {feed.quarantined}
                    </button>
                  ) : (
                    feed.quarantined
                  )}
                </td>
                <td className="small">
                  {feed.purpose ?? '—'}
                  {feed.retentionDays ? <div className="muted">{t('feeds.retention', { n: feed.retentionDays })}</div> : null}
                </td>
                {canSupervise && (
                  <td>
                    {feed.transport !== 'simulated' && (
                      <button type="button" className="small-button" aria-label={t(feed.paused ? 'feeds.resume' : 'feeds.pause', { feed: feed.label })} onClick={() => void togglePause(feed)}>
                        {t(feed.paused ? 'feeds.resumeShort' : 'feeds.pauseShort')}
                      </button>
                    )}
                    {isAdmin && settings?.feeds.some((f) => f.id === feed.id) && (
                      <button type="button" className="small-button secondary" aria-label={t('feeds.editFeed', { feed: feed.label })} onClick={() => edit(feed.id)}>
                        {t('feeds.editShort')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canSupervise && editing === undefined && <QuarantineViewer client={client} feedId={quarantineOf} feeds={feeds} onFeed={setQuarantineOf} />}
    </dialog>
  );
}

/** What the latest payload held that was read but not stored, by kind: never a silent zero. */
function IgnoredCounts({ ignored }: { ignored: FeedStatus['ignored'] }) {
  const t = useT();
  const entries = Object.entries(ignored ?? {}).filter(([, n]) => n > 0);
  if (entries.length === 0) return null;
  return (
    <div className="feed-ignored small muted" title={t('feeds.ignored.title')} aria-label={t('feeds.ignored.title')}>
      {entries.map(([kind, n]) => {
        const key = `feeds.ignored.kind.${kind}` as MessageKey;
        return <div key={kind}>{key in en ? t(key, { n }) : t('feeds.ignored.kind', { n, kind })}</div>;
      })}
    </div>
  );
}

/** The quarantine: one line per refused input (when, feed, reason); the selected one shows its raw bytes. */
function QuarantineViewer({ client, feedId, feeds, onFeed }: { client: VigieClient; feedId: string | null; feeds: FeedStatus[]; onFeed: (id: string | null) => void }) {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const [entries, setEntries] = useState<QuarantineEntry[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const total = feeds.reduce((n, f) => n + f.quarantined, 0);

  useEffect(() => {
    let cancelled = false;
    client
      .call('quarantine.list', { limit: 200, ...(feedId ? { feedId } : {}) })
      .then((list) => {
        if (cancelled) return;
        setEntries(list);
        setSelected((s) => (list.some((e) => e.id === s) ? s : (list[0]?.id ?? null)));
      })
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
    // total: refresh when new input is quarantined.
  }, [client, feedId, total]);

  const entry = entries?.find((e) => e.id === selected) ?? null;
  return (
    <section className="quarantine" aria-labelledby="quarantine-heading">
      <div className="quarantine-header">
        <h3 id="quarantine-heading">{t('feeds.quarantine.title')}</h3>
        <label>
          {t('feeds.quarantine.feed')}{' '}
          <select value={feedId ?? ''} onChange={(e) => onFeed(e.target.value || null)}>
            <option value="">{t('feeds.quarantine.all')}</option>
            {feeds.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <p role="alert">{error}</p>}
      {entries && entries.length === 0 && <p className="muted">{t('feeds.quarantine.empty')}</p>}
      {entries && entries.length > 0 && (
        <div className="quarantine-body">
          <ul className="quarantine-list" role="listbox" aria-label={t('feeds.quarantine.list')}>
            {entries.map((e) => (
              <li key={e.id} role="option" aria-selected={e.id === selected} tabIndex={0} onClick={() => setSelected(e.id)} onKeyDown={(ev) => (ev.key === 'Enter' || ev.key === ' ') && setSelected(e.id)}>
                <span className="muted mono small">
                  {formatTime(locale, e.receivedAt)} · {e.feedId}
                </span>
                <span className="reason">{e.reason}</span>
              </li>
            ))}
          </ul>
          {entry && (
            <div className="quarantine-detail">
              <h4>{t('feeds.quarantine.reason')}</h4>
              <p>{entry.reason}</p>
              <h4>{t('feeds.quarantine.raw')}</h4>
              <pre aria-label={t('feeds.quarantine.raw')} className="mono">
                {entry.raw}
              </pre>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
