import { useEffect, useMemo, useRef } from 'react';
import { WALL_PANELS, type WallPanel } from '../../../common/domain/settings';
import type { VigieClient } from '../../../common/rpc';
import { useFormat, useT } from '../../i18n/index';
import { MapArea } from '../../map/MapArea';
import { useIncidents } from '../../stores/incidents';
import { usePicture } from '../../stores/picture';
import { useSession } from '../../stores/session';
import { useNow } from '../../ui/useNow';
import { PRIORITY_SHAPES } from '../../ui/priorityShape';
import { Brand } from '../../ui/Brand';

/**
 * The wall display (role `wall`): the map and the panels this workstation chose, in type legible
 * at five metres. Read-only by its role: the data service grants it no write but its own layout,
 * and sends it no free text or address (main/core/policy/roleView.ts). Keys 1–4 show or hide a
 * panel; the choice is saved in the profile (setting `wallPanels`) and restored at the next start.
 */
export function WallScreen({ client, topbarEnd }: { client: VigieClient; topbarEnd: React.ReactNode }) {
  const t = useT();
  const pack = useSession((s) => s.cityPack);
  const saved = useSession((s) => s.settings?.wallPanels);
  const setSettings = useSession((s) => s.actions.setSettings);
  const panels = useMemo(() => saved ?? [...WALL_PANELS], [saved]);
  // The choice as last asked for: keys pressed before the previous one is saved all count, and a
  // saved value only replaces it once nothing is on its way (another window may have changed it).
  const wanted = useRef(panels);
  const pending = useRef(0);
  useEffect(() => {
    if (pending.current === 0) wanted.current = panels;
  }, [panels]);

  useEffect(() => {
    const toggle = (panel: WallPanel) => {
      const current = wanted.current;
      const next = WALL_PANELS.filter((p) => (p === panel ? !current.includes(p) : current.includes(p)));
      wanted.current = next;
      pending.current++;
      client
        .call('settings.set', { key: 'wallPanels', value: next })
        .then((effective) => {
          pending.current--;
          setSettings(effective.values);
        }, () => {
          pending.current--;
        });
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey || document.querySelector('dialog[open]')) return;
      const index = Number(event.key) - 1;
      const panel = WALL_PANELS[index];
      if (panel) {
        event.preventDefault();
        toggle(panel);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client, setSettings]);

  return (
    <div className="app wall">
      <header className="topbar wall-topbar" role="banner">
        <Brand>
          <span className="wall-flag">{t('wall.flag')}{pack ? ` · ${pack.name}` : ''}</span>
        </Brand>
        <div className="topbar-right">{topbarEnd}</div>
      </header>
      <main className="wall-main">
        <div className="map-wrap wall-map">{pack ? <MapArea pack={pack} client={client} /> : <p className="muted loading">{t('app.loading')}</p>}</div>
        {panels.length > 0 && (
          <aside className="wall-panels" aria-label={t('wall.panels')}>
            {panels.includes('clock') && <WallClock />}
            {panels.includes('incidents') && <OpenByPriority />}
            {panels.includes('units') && <UnitSummary />}
            {panels.includes('feeds') && <FeedSummary />}
          </aside>
        )}
      </main>
    </div>
  );
}

function WallClock() {
  const t = useT();
  const format = useFormat();
  const now = useNow(1000);
  return (
    <section className="wall-panel wall-clock" aria-label={t('wall.clock')}>
      <time className="mono" dateTime={new Date(now).toISOString()}>
        {format.date(now, 'time')}
      </time>
      <span className="wall-date">{format.date(now, 'date')}</span>
    </section>
  );
}

function OpenByPriority() {
  const t = useT();
  const incidents = useIncidents((s) => s.byId);
  const counts = useMemo(() => {
    const out = [0, 0, 0, 0];
    for (const i of Object.values(incidents)) if (i.status !== 'closed') out[i.priority - 1]! += 1;
    return out;
  }, [incidents]);
  return (
    <section className="wall-panel" aria-labelledby="wall-incidents">
      <h2 id="wall-incidents">{t('wall.openIncidents')}</h2>
      <ul className="wall-counts">
        {counts.map((n, index) => (
          <li key={index} className={`wall-count p${index + 1}`} data-testid={`wall-p${index + 1}`}>
            <span className="priority-shape" aria-hidden="true">{PRIORITY_SHAPES[index + 1]}</span>
            <span className="wall-count-label">P{index + 1}</span>
            <span className="wall-count-n">{n}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

const UNIT_GROUPS = [
  ['available', 'layers.units.available'],
  ['en_route', 'layers.units.enRoute'],
  ['on_scene', 'layers.units.onScene'],
] as const;

function UnitSummary() {
  const t = useT();
  const units = usePicture((s) => s.units);
  const counts = useMemo(() => {
    const out: Record<string, number> = {};
    for (const u of Object.values(units)) out[u.status ?? 'other'] = (out[u.status ?? 'other'] ?? 0) + 1;
    return out;
  }, [units]);
  return (
    <section className="wall-panel" aria-labelledby="wall-units">
      <h2 id="wall-units">{t('wall.units')}</h2>
      <ul className="wall-counts">
        {UNIT_GROUPS.map(([status, label]) => (
          <li key={status} className={`wall-count unit-${status}`} data-testid={`wall-units-${status}`}>
            <span className="wall-count-label">{t(label)}</span>
            <span className="wall-count-n">{counts[status] ?? 0}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function FeedSummary() {
  const t = useT();
  const feeds = useSession((s) => s.feeds);
  const list = Object.values(feeds);
  const up = list.filter((f) => f.state === 'ok' || f.state === 'idle').length;
  const failing = list.filter((f) => f.state === 'failing' || f.state === 'stale');
  return (
    <section className="wall-panel" aria-labelledby="wall-feeds">
      <h2 id="wall-feeds">{t('wall.feeds')}</h2>
      <p className={`wall-feeds${failing.length > 0 ? ' failing' : ''}`} data-testid="wall-feeds">
        {t('wall.feedsUp', { up, total: list.length })}
        {failing.length > 0 && ` · ${t('wall.feedsFailing', { n: failing.length })}`}
      </p>
      {failing.length > 0 && (
        <ul className="wall-feed-list">
          {failing.slice(0, 4).map((f) => (
            <li key={f.id}>⚠ {f.label}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
