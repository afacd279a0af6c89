import { useEffect, useMemo, useRef } from 'react';
import type { Incident } from '../../../common/domain/incident';
import { categoryLabel, timeAgo, useT } from '../../i18n/index';
import { useIncidents, visibleIncidents } from '../../stores/incidents';
import { useNow } from '../../ui/useNow';
import { useJournalSearch } from './useJournalSearch';
import { PopOutButton } from '../../ui/PopOutButton';
import { useInjected } from '../training/useExercise';

/** The queue: open P1s pinned on top, then by priority, newest first (or most recent first), open only by default, searchable. Arrow keys move the selection. */
export function IncidentList() {
  const t = useT();
  const now = useNow(5000);
  const byId = useIncidents((s) => s.byId);
  const openOnly = useIncidents((s) => s.openOnly);
  const search = useIncidents((s) => s.search);
  const selectedId = useIncidents((s) => s.selectedId);
  const order = useIncidents((s) => s.order);
  const anchorIndex = useIncidents((s) => s.anchorIndex);
  const arrivedAt = useIncidents((s) => s.arrivedAt);
  const { select, setOpenOnly, setSearch, setOrder } = useIncidents((s) => s.actions);
  const incidents = useMemo(() => visibleIncidents({ byId, openOnly, search, order, selectedId, anchorIndex }), [byId, openOnly, search, order, selectedId, anchorIndex]);
  const listRef = useRef<HTMLUListElement>(null);
  useJournalSearch(search);

  useEffect(() => {
    if (!selectedId) return;
    listRef.current?.querySelector(`[data-id="${CSS.escape(selectedId)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  return (
    <section className="panel incident-queue" aria-labelledby="incidents-heading">
      <header className="panel-header">
        <h2 id="incidents-heading">{t('incidents.title')}</h2>
        <span className="muted" aria-live="polite">
          {t('incidents.count', { n: incidents.length })}
        </span>
        <PopOutButton panel="incidents" />
      </header>
      <div className="queue-tools">
        <input
          id="incident-search"
          type="search"
          aria-label={t('incidents.search')}
          placeholder={t('incidents.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="checkbox">
          <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} />
          {t('incidents.filterOpen')}
        </label>
        <button type="button" className="queue-order" data-shortcut="shift+i" title={`${t('incidents.orderSwitch')} (Shift+I)`} onClick={() => setOrder(order === 'priority' ? 'time' : 'priority')}>
          {t(order === 'priority' ? 'incidents.order.priority' : 'incidents.order.time')}
        </button>
      </div>
      {incidents.length === 0 ? (
        <p className="muted empty">{t('incidents.empty')}</p>
      ) : (
        <ul ref={listRef} className="incident-list" role="listbox" aria-label={t('incidents.listLabel')}>
          {incidents.map((incident) => (
            <IncidentRow key={incident.id} incident={incident} selected={incident.id === selectedId} now={now} onSelect={select} flash={incident.priority === 1 && incident.status === 'new' && now - (arrivedAt[incident.id] ?? 0) < FLASH_MS} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** How long a new P1 flashes in the queue (and until someone acknowledges it, if sooner). */
const FLASH_MS = 20_000;

function IncidentRow({ incident, selected, now, onSelect, flash }: { incident: Incident; selected: boolean; now: number; onSelect: (id: string) => void; flash: boolean }) {
  const t = useT();
  // Empty but for a trainer in a sandbox: trainees receive nothing that tells an injection apart.
  const injected = useInjected().has(incident.id);
  return (
    <li
      role="option"
      aria-selected={selected}
      data-id={incident.id}
      tabIndex={selected ? 0 : -1}
      className={`incident-row p${incident.priority} status-${incident.status}${selected ? ' selected' : ''}${flash ? ' flash' : ''}`}
      data-flash={flash || undefined}
      onClick={() => onSelect(incident.id)}
      // Named by what it shows, in reading order ("P1 title category · address status age"): a voice user
      // says what they see (WCAG 2.5.3), a screen reader hears the priority first, as the queue sorts.
    >
      <span className="prio" title={t(`priority.${incident.priority}` as 'priority.1')}>
        P{incident.priority}
      </span>
      <span className="row-main">
        <span className="row-title">{incident.title}</span>
        <span className="row-sub">
          {categoryLabel(t, incident.category)}
          {incident.address ? ` · ${incident.address}` : ''}
        </span>
      </span>
      <span className="row-meta">
        <span className={`status-chip status-${incident.status}`}>{t(`status.${incident.status}`)}</span>
        <span className="muted">{timeAgo(t, incident.occurredAt, now)}</span>
        {incident.simulated && <span className="sim-chip">{t('incidents.simulated')}</span>}
        {injected && <span className="inject-chip" title={t('training.injectedHint')}>{t('training.injected')}</span>}
      </span>
    </li>
  );
}
