import { useMemo } from 'react';
import { useT } from '../../i18n/index';
import { useSession } from '../../stores/session';

/** One chip per feed in the top bar: its health at a glance, details on hover. */
export function FeedStatusBar() {
  const t = useT();
  const byId = useSession((s) => s.feeds);
  const feeds = useMemo(() => Object.values(byId), [byId]);
  return (
    <ul className="feed-chips" aria-label={t('feeds.title')}>
      {feeds.map((feed) => (
        <li
          key={feed.id}
          className={`feed-chip state-${feed.state}`}
          title={[feed.lastError, feed.quarantined ? t('feeds.quarantined', { n: feed.quarantined }) : null].filter(Boolean).join(' · ') || undefined}
        >
          <span className="dot" aria-hidden="true" />
          {feed.label} · {t(`feeds.state.${feed.state}`)}
        </li>
      ))}
    </ul>
  );
}
