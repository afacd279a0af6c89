import { useEffect, useRef, useState } from 'react';
import type { Incident } from '../../../common/domain/incident';
import type { MediaContent, MediaItem } from '../../../common/domain/media';
import { useCan, useClient } from '../../app/ClientContext';
import { useT } from '../../i18n/index';

/**
 * The citizen's photos and videos of a report (issue 22). Nothing is fetched until a person
 * presses "Show": the service then fetches the file from the feed's host, cleans it of its
 * metadata and journals the consultation. A picture this role may not see says "hidden" and why.
 * Shift+V shows the first one, Shift+X marks it as showing a third party (supervisors).
 */
export function IncidentMedia({ incident }: { incident: Incident }) {
  const t = useT();
  const client = useClient();
  const canMark = useCan('media.markThirdParty');
  const [items, setItems] = useState<MediaItem[]>([]);
  const [shown, setShown] = useState<Record<number, { url: string; content: MediaContent }>>({});
  const [error, setError] = useState<string | null>(null);
  // Object URLs hold the cleaned picture in memory until let go: when hidden, or the incident changes.
  const urls = useRef(new Set<string>());

  useEffect(() => {
    let cancelled = false;
    setShown({});
    setError(null);
    client.call('media.list', { incidentId: incident.id }).then(
      (list) => !cancelled && setItems(list),
      (err: Error) => !cancelled && setError(err.message),
    );
    const held = urls.current;
    return () => {
      cancelled = true;
      held.forEach((url) => URL.revokeObjectURL(url));
      held.clear();
    };
  }, [client, incident.id]);

  if (items.length === 0 && !error) return null;

  const open = async (index: number) => {
    const current = shown[index];
    if (current) {
      URL.revokeObjectURL(current.url);
      urls.current.delete(current.url);
      setShown(({ [index]: _gone, ...rest }) => rest);
      return;
    }
    try {
      const content = await client.call('media.open', { incidentId: incident.id, index });
      const bytes = Uint8Array.from(atob(content.data), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: content.contentType }));
      urls.current.add(url);
      setShown((s) => ({ ...s, [index]: { url, content } }));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const mark = async (item: MediaItem) => {
    try {
      const list = await client.call('media.markThirdParty', { incidentId: incident.id, index: item.index, thirdParty: !item.thirdParty });
      setItems(list);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const firstVisible = items.find((i) => !i.hidden)?.index;
  return (
    <section className="media" aria-labelledby="media-heading">
      <h4 id="media-heading">{t('media.title', { n: items.length })}</h4>
      <p className="muted media-note">{t('media.note')}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <ul className="media-list">
        {items.map((item) => {
          const label = t(item.type === 'video' ? 'media.video' : 'media.photo', { n: String(item.index + 1) });
          const view = shown[item.index];
          return (
            <li key={item.index} className="media-item" data-testid={`media-${item.index}`}>
              <div className="media-row">
                <span>{label}</span>
                {item.thirdParty && <span className="media-badge">{t('media.thirdPartyBadge')}</span>}
                {item.hidden ? (
                  <span className="media-hidden" role="note">
                    {t('media.hidden')} — {t(`media.hiddenReason.${item.hiddenReason ?? 'role'}`)}
                  </span>
                ) : (
                  <button
                    type="button"
                    className="action small"
                    data-shortcut={item.index === firstVisible ? 'shift+v' : undefined}
                    title={item.index === firstVisible ? `${t(view ? 'media.hide' : 'media.show')} (Shift+V)` : undefined}
                    aria-expanded={!!view}
                    onClick={() => void open(item.index)}
                  >
                    {t(view ? 'media.hide' : 'media.show')}
                  </button>
                )}
                {canMark && (
                  <button
                    type="button"
                    className="action small"
                    data-shortcut={item.index === 0 ? 'shift+x' : undefined}
                    title={item.index === 0 ? `${t(item.thirdParty ? 'media.unmarkThirdParty' : 'media.markThirdParty')} (Shift+X)` : undefined}
                    onClick={() => void mark(item)}
                  >
                    {t(item.thirdParty ? 'media.unmarkThirdParty' : 'media.markThirdParty')}
                  </button>
                )}
              </div>
              {view &&
                (view.content.contentType.startsWith('video/') ? (
                  // The browser's own player; never autoplay: a person chooses to watch.
                  <video className="media-view" src={view.url} controls preload="metadata" aria-label={label} />
                ) : (
                  <img className="media-view" src={view.url} alt={t('media.alt', { n: String(item.index + 1), title: incident.title })} />
                ))}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
