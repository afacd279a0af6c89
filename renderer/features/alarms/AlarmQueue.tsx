import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Alarm } from '../../../common/domain/alarm';
import { useCan, useClient } from '../../app/ClientContext';
import { timeAgo, useT } from '../../i18n/index';
import { alarmsStore, sortedAlarms, useAlarms } from '../../stores/alarms';
import { useIndicators } from '../../stores/indicators';
import { useIncidentActions } from '../../stores/incidents';
import { useClock } from '../../stores/replayClock';
import { useSession } from '../../stores/session';
import { useNow } from '../../ui/useNow';
import { ReflexSheet } from '../indicators/ReflexSheet';
import { alarmTitle } from './alarmText';
import './alarms.css';

/**
 * The one alarm queue: every alarm not closed, unacknowledged first, by priority then age (or
 * newest first). Shift+A focuses it; ↑/↓ choose (marked seen), A acknowledges, C closes, Enter
 * opens the incident, S switches the order. The chosen alarm's members and reflex sheet show in
 * the panel under the list. Nothing here takes the focus by itself.
 */
export function AlarmQueue() {
  const t = useT();
  const client = useClient();
  const live = useClock((s) => s.mode === 'live');
  const byId = useAlarms((s) => s.byId);
  const order = useAlarms((s) => s.order);
  const selectedId = useAlarms((s) => s.selectedId);
  const announcement = useAlarms((s) => s.announcement);
  const policy = useAlarms((s) => s.policy);
  const sound = useAlarms((s) => s.sound);
  const { select, setOrder, upsert, setSound } = alarmsStore.useStoreApi().getState().actions;
  const canAct = useCan('alarms.ack');
  const canList = useCan('alarms.list');
  const role = useSession((s) => s.session?.role);
  const selectIncident = useIncidentActions().select;
  const alarms = useMemo(() => sortedAlarms(byId, order), [byId, order]);
  const listRef = useRef<HTMLUListElement>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow(5000);
  if (!canList || !live) return null;
  const selected = selectedId !== null ? (byId[selectedId] ?? null) : null;
  const policyMuted = policy?.sound.muted === true;
  const muted = policyMuted || sound.muted;

  const run = async (method: 'alarms.seen' | 'alarms.ack' | 'alarms.close', id: number) => {
    try {
      upsert(await client.call(method, { id }));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const choose = (a: Alarm) => {
    select(a.id);
    if (a.state === 'new' && canAct) void run('alarms.seen', a.id);
    listRef.current?.querySelector(`#alarm-${a.id}`)?.scrollIntoView({ block: 'nearest' });
  };
  const open = (a: Alarm) => {
    const incident = a.members.find((m) => m.incidentId)?.incidentId;
    if (incident) selectIncident(incident);
  };
  const onKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const index = alarms.findIndex((a) => a.id === selectedId);
    const move = (step: number) => {
      if (alarms.length === 0) return;
      choose(alarms[index < 0 ? 0 : Math.min(alarms.length - 1, Math.max(0, index + step))]!);
    };
    const handled = (() => {
      switch (event.key) {
        case 'ArrowDown':
        case 'j':
          move(1);
          return true;
        case 'ArrowUp':
        case 'k':
          move(-1);
          return true;
        case 'a':
          if (selected && canAct && selected.state !== 'acknowledged') void run('alarms.ack', selected.id);
          return true;
        case 'c':
          if (selected && canAct) void run('alarms.close', selected.id);
          return true;
        case 'Enter':
          if (selected) open(selected);
          return true;
        case 's':
          setOrder(order === 'priority' ? 'newest' : 'priority');
          return true;
        case 'Escape':
          // Leaves the queue only: the incident selected in the details column stays selected.
          listRef.current?.blur();
          return true;
        default:
          return false;
      }
    })();
    // The queue's keys are its own while it has the focus: A here acknowledges the alarm, not the incident.
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };
  const openCount = alarms.filter((a) => a.state !== 'acknowledged').length;
  const sheetSeq = selected?.members.find((m) => m.indicatorSeq !== undefined)?.indicatorSeq;

  return (
    <section className="alarm-queue" aria-labelledby="alarms-heading">
      <header>
        <h2 id="alarms-heading">
          <button type="button" className="alarm-focus" data-shortcut="shift+a" title={`${t('shortcuts.alarmsFocus')} (Shift+A)`} onClick={() => listRef.current?.focus()}>
            {t('alarms.title')}
          </button>
        </h2>
        <span className="badge" aria-label={`${openCount}`}>{openCount}</span>
        <button type="button" className="small" title={`${t('alarms.orderSwitch')} (S)`} onClick={() => setOrder(order === 'priority' ? 'newest' : 'priority')}>
          {t(order === 'priority' ? 'alarms.order.priority' : 'alarms.order.newest')}
        </button>
        <button
          type="button"
          className={`small sound${muted ? ' muted' : ''}`}
          data-shortcut="shift+s"
          disabled={policyMuted}
          title={`${t(sound.muted ? 'alarms.sound.unmute' : 'alarms.sound.mute')} (Shift+S)`}
          // The name starts with what the button shows (WCAG 2.5.3), then says what pressing it does.
          aria-label={`${t(muted ? 'alarms.sound.off' : 'alarms.sound.on')}. ${t(sound.muted ? 'alarms.sound.unmute' : 'alarms.sound.mute')}`}
          onClick={() => setSound({ muted: !sound.muted })}
        >
          {t(muted ? 'alarms.sound.off' : 'alarms.sound.on')}
        </button>
        <input
          type="range" min={0} max={100} step={10} className="volume" aria-label={t('alarms.sound.volume')} disabled={muted}
          value={Math.round(sound.volume * 100)} onChange={(e) => setSound({ volume: Number(e.target.value) / 100 })}
        />
      </header>
      {muted && <p className="sound-muted">{t(policyMuted ? 'alarms.sound.policyMuted' : 'alarms.sound.muted')}</p>}
      {alarms.length === 0 ? (
        <p className="muted empty">{t('alarms.empty')}</p>
      ) : null}
      <ul
        ref={listRef}
        id="alarm-queue"
        role="listbox"
        tabIndex={0}
        aria-label={t('alarms.list')}
        aria-activedescendant={selected ? `alarm-${selected.id}` : undefined}
        onKeyDown={onKey}
        title={t('alarms.focusHint')}
      >
        {alarms.map((a) => (
          <li
            key={a.id}
            id={`alarm-${a.id}`}
            role="option"
            aria-selected={a.id === selectedId}
            className={`alarm-row p${a.priority} kind-${a.kind} state-${a.state} level-${a.level}${a.level === 2 && role === 'supervisor' ? ' for-me' : ''}`}
            data-count={a.count}
            onClick={() => choose(a)}
            onDoubleClick={() => open(a)}
          >
            <span className="prio">P{a.priority}</span>
            <span className="alarm-main">
              <span className="alarm-title">
                {alarmTitle(t, a)} {a.count > 1 && <span className="count">{t('alarms.count', { n: a.count })}</span>}
              </span>
              <span className="alarm-sub muted">
                {t(`alarms.kind.${a.kind}`)} · {t(`alarms.state.${a.state}`)} · {timeAgo(t, a.raisedAt, now)}
                {a.level === 1 && <> · <strong className="level">{t('alarms.level1')}</strong></>}
                {a.level === 2 && <> · <strong className="level">{t('alarms.level2')}</strong></>}
              </span>
            </span>
          </li>
        ))}
      </ul>
      {error && <p role="alert">{error}</p>}
      {selected && <AlarmDetail alarm={selected} canAct={canAct} sheetSeq={sheetSeq} onAck={() => void run('alarms.ack', selected.id)} onClose={() => void run('alarms.close', selected.id)} onOpen={() => open(selected)} />}
      <div className="sr-only" role="status" aria-live="polite" data-testid="alarm-announcer">
        {announcement}
      </div>
    </section>
  );
}

function AlarmDetail({ alarm, canAct, sheetSeq, onAck, onClose, onOpen }: { alarm: Alarm; canAct: boolean; sheetSeq: number | undefined; onAck: () => void; onClose: () => void; onOpen: () => void }) {
  const t = useT();
  const sheet = useIndicators((s) => (sheetSeq === undefined ? null : (s.alerts.find((a) => a.seq === sheetSeq) ?? null)));
  return (
    <section className="alarm-detail" role="region" aria-label={t('alarms.selected')}>
      <p className="muted">
        {alarm.seenBy && t('alarms.seenBy', { who: alarm.seenBy })}
        {alarm.acknowledgedBy && ` · ${t('alarms.ackedBy', { who: alarm.acknowledgedBy })}`}
      </p>
      {alarm.count > 1 && (
        <>
          <h3>{t('alarms.members')}</h3>
          <ul className="members">
            {alarm.members.map((m) => (
              <li key={m.source}>{m.title}</li>
            ))}
          </ul>
        </>
      )}
      <div className="row">
        {canAct && alarm.state !== 'acknowledged' && <button type="button" title={`${t('alarms.acknowledge')} (A)`} onClick={onAck}>{t('alarms.acknowledge')}</button>}
        {canAct && <button type="button" title={`${t('alarms.close')} (C)`} onClick={onClose}>{t('alarms.close')}</button>}
        {alarm.members.some((m) => m.incidentId) && <button type="button" title={`${t('alarms.open')} (Enter)`} onClick={onOpen}>{t('alarms.open')}</button>}
      </div>
      {sheet && <ReflexSheet alert={sheet} onAcknowledge={null} onClose={null} />}
    </section>
  );
}
