import { useMemo } from 'react';
import type { FeedStatus } from '../../../common/domain/feed';
import { useT } from '../../i18n/index';
import { useSession } from '../../stores/session';

/** The feeds in one line whatever their number: how many are up, what is wrong; it opens the list (the feeds panel). */
export function FeedStatusBar({ onOpen }: { onOpen?: () => void }) {
  const t = useT();
  const byId = useSession((s) => s.feeds);
  const feeds = useMemo(() => Object.values(byId), [byId]);
  if (feeds.length === 0) return null;
  const count = (state: FeedStatus['state']) => feeds.filter((f) => f.state === state).length;
  const [up, failing, late, paused] = [count('ok') + count('idle'), count('failing'), count('stale'), count('paused')];
  const worst = failing ? 'failing' : late ? 'stale' : paused ? 'paused' : 'ok';
  const problems = [failing && t('feeds.summaryFailing', { n: failing }), late && t('feeds.summaryLate', { n: late }), paused && t('feeds.summaryPaused', { n: paused })].filter(Boolean);
  const summary = [t('feeds.summary', { up, n: feeds.length }), ...problems].join(' · ');
  // The tooltip names the feeds that are not up, with their last error: the summary says how many.
  const details = feeds.filter((f) => f.state !== 'ok' && f.state !== 'idle').map((f) => `${f.label}: ${t(`feeds.state.${f.state}`)}${f.lastError ? ` (${f.lastError})` : ''}`);
  // Records set aside by a feed that is up are worth a line too: someone should look at them (F, then Q).
  for (const f of feeds) if (f.quarantined > 0) details.push(`${f.label}: ${t('feeds.quarantined', { n: f.quarantined })}`);
  return (
    <button
      type="button"
      className={`feed-chip feed-summary state-${worst}`}
      // The name holds the visible text word for word (WCAG 2.5.3), so a voice user can say what they see.
      aria-label={t('feeds.summaryLabel', { summary })}
      title={[...details, `${t('feeds.open')} (F)`].join('\n')}
      onClick={onOpen}
    >
      <span className="dot" aria-hidden="true" />
      {summary}
    </button>
  );
}
