import { useCallback, useEffect, useState } from 'react';
import type { Bookmark } from '../../../common/methods/replay';
import { useClient, useCan } from '../../app/ClientContext';
import { useFormat, useT } from '../../i18n/index';
import { clockTime, SPEEDS, useClock, type Speed } from '../../stores/replayClock';
import { sessionStore, useSession } from '../../stores/session';
import { useNow } from '../../ui/useNow';
import { useReplayShortcuts } from './useReplayShortcuts';
import { cycleLoop, DAY, dayStart, enterReplay, jumpToNextEvent, STEP_MS } from './replayCommands';
import { ReadOnlyNotice } from './readOnly';
import { download } from '../../ui/download';

function isoDay(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
function parseDay(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime() : null;
}

/**
 * Switches the whole app between live and replay, and drives the replay clock: day, scrubber,
 * play/pause at SPEEDS, step, next event, bookmarks and a loop range. Every window shows it and
 * follows the same clock (useClockSync).
 */
export function TimelineBar() {
  const t = useT();
  const client = useClient();
  const mode = useClock((s) => s.mode);
  const playing = useClock((s) => s.playing);
  const speed = useClock((s) => s.speed);
  const loop = useClock((s) => s.loop);
  const actions = useClock((s) => s.actions);
  const format = useFormat();
  const canBookmark = useCan('replay.addBookmark');
  const inSandbox = useSession((s) => Boolean(s.session?.training));
  const canDebrief = useCan('training.debrief');
  const training = inSandbox && canDebrief;
  // Live, the bar shows no time: no need to re-render it four times a second.
  const now = useNow(mode === 'replay' ? 250 : 60_000);
  useReplayShortcuts();
  const [range, setRange] = useState<{ first: number | null; last: number | null } | null>(null);
  const [bookmarks, setBookmarks] = useState<Bookmark[]>([]);
  const [label, setLabel] = useState('');
  const replay = mode === 'replay';
  const session = sessionStore.useStoreApi();
  const report = useCallback((error: unknown) => session.getState().actions.setError((error as Error).message), [session]);

  const loadBookmarks = useCallback(() => client.call('replay.bookmarks').then(setBookmarks, report), [client, report]);
  useEffect(() => {
    if (!replay) return;
    client.call('replay.range').then(setRange, report);
    void loadBookmarks();
  }, [replay, client, report, loadBookmarks]);

  const start = dayStart(now);

  const toggleMode = () => (replay ? actions.goLive() : void enterReplay(client, actions.enterReplay, report));
  const addBookmark = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!label.trim()) return;
    try {
      await client.call('replay.addBookmark', { at: Math.round(clockTime(useClock.getState())), label: label.trim() });
      setLabel('');
      await loadBookmarks();
    } catch (error) {
      report(error);
    }
  };

  return (
    <section className={`timeline${replay ? ' replaying' : ''}`} aria-label={t('replay.timeline')}>
      <button type="button" className="timeline-mode" aria-pressed={replay} title={`${t('replay.toggle')} (T)`} onClick={toggleMode}>
        {replay ? t('replay.backToLive') : t('replay.enter')}
      </button>
      {training && <DebriefButton />}
      {replay && (
        <>
          <div className="replay-flag" role="status">
            {t('replay.flag')}
          </div>
          <ReplayHeaderNotes />
          <time className="mono replay-clock" role="timer" aria-label={t('replay.clock')} dateTime={new Date(now).toISOString()}>
            {format.date(now, 'time')}
          </time>
          <ReplayCounts at={now} dayStart={start} />
          <input
            type="date"
            aria-label={t('replay.day')}
            value={isoDay(now)}
            min={range?.first != null ? isoDay(range.first) : undefined}
            max={range?.last != null ? isoDay(range.last) : undefined}
            onChange={(e) => {
              const day = parseDay(e.target.value);
              if (day !== null) {
                actions.seek(day);
                actions.setEnd(day + DAY);
              }
            }}
          />
          <button type="button" className="icon-button" aria-label={t('replay.stepBack')} title={`${t('replay.stepBack')} ([)`} onClick={() => actions.seek(Math.max(start, now - STEP_MS))}>
            «
          </button>
          <button type="button" className="icon-button" aria-label={playing ? t('replay.pause') : t('replay.play')} title={`${playing ? t('replay.pause') : t('replay.play')} (Space)`} onClick={actions.togglePlay}>
            {playing ? '❚❚' : '▶'}
          </button>
          <button type="button" className="icon-button" aria-label={t('replay.stepForward')} title={`${t('replay.stepForward')} (])`} onClick={() => actions.seek(now + STEP_MS)}>
            »
          </button>
          <select aria-label={t('replay.speed')} title={`${t('replay.speed')} (- +)`} value={speed} onChange={(e) => actions.setSpeed(Number(e.target.value) as Speed)}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
          <button type="button" className="topbar-button" data-shortcut="shift+r" title={`${t('replay.previousEvent')} (Shift+R)`} onClick={() => void jumpToNextEvent(client, report, true)}>
            {t('replay.previousEvent')}
          </button>
          <button type="button" className="topbar-button" title={`${t('replay.nextEvent')} (.)`} onClick={() => void jumpToNextEvent(client, report)}>
            {t('replay.nextEvent')}
          </button>
          <input
            className="timeline-scrubber"
            type="range"
            aria-label={t('replay.scrub')}
            aria-valuetext={format.date(now, 'shortDateTime')}
            min={start}
            max={start + DAY - 1000}
            step={1000}
            value={Math.min(start + DAY - 1000, Math.round(now / 1000) * 1000)}
            onChange={(e) => actions.seek(Number(e.target.value))}
          />
          <button type="button" className="topbar-button" aria-pressed={loop !== null} title={`${t('replay.loop')} (W)`} onClick={() => cycleLoop(now)}>
            {loop ? t('replay.loopRange', { from: format.date(loop.from, 'time'), to: format.date(loop.to, 'time') }) : t('replay.loop')}
          </button>
          {canBookmark && (
            <form className="bookmark-form" onSubmit={(e) => void addBookmark(e)}>
              <input id="bookmark-label" type="text" aria-label={t('replay.bookmarkLabel')} placeholder={t('replay.bookmarkLabel')} value={label} maxLength={120} onChange={(e) => setLabel(e.target.value)} />
              <button type="submit" className="topbar-button" title={`${t('replay.addBookmark')} (H)`}>
                {t('replay.addBookmark')}
              </button>
            </form>
          )}
          <ul className="bookmarks" aria-label={t('replay.bookmarks')}>
            {bookmarks.map((b) => (
              <li key={b.id}>
                <button type="button" className="bookmark" title={format.date(b.at, 'shortDateTime')} onClick={() => {
                  actions.seek(b.at);
                  actions.setEnd(dayStart(b.at) + DAY);
                }}>
                  {b.label}
                </button>
                {canBookmark && (
                  <button type="button" className="bookmark-remove" aria-label={t('replay.removeBookmark', { label: b.label })} onClick={() => void client.call('replay.removeBookmark', { id: b.id }).then(loadBookmarks, report)}>
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * How many incidents were open at the replayed instant, and how many occurred since midnight of
 * the replayed day, up to and including that instant (replay.counts: both counts include what
 * occurred at the instant itself, so they agree on the hour of hourly data), from the same
 * repository query `vigie query incidents --count` runs.
 */
function ReplayCounts({ at, dayStart: from }: { at: number; dayStart: number }) {
  const t = useT();
  const client = useClient();
  const second = Math.floor(at / 1000) * 1000;
  const [counts, setCounts] = useState<{ at: number; open: number; day: number } | null>(null);
  useEffect(() => {
    let live = true;
    // Playback moves the clock several times a second: the last request wins, older answers are dropped.
    const timer = setTimeout(() => {
      client.call('replay.counts', { at: second, dayStart: from }).then(
        ({ open, sinceMidnight }) => live && setCounts({ at: second, open, day: sinceMidnight }),
        () => undefined,
      );
    }, 100);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, second, from]);
  return (
    <output className="replay-counts mono" aria-label={t('replay.countsLabel')} data-at={counts?.at ?? ''}>
      {counts ? t('replay.counts', { open: counts.open, day: counts.day }) : '…'}
    </output>
  );
}

/**
 * Under the REPLAY flag: why the actions are gone (and what an action key pressed here means), and
 * the rule that closed imported items, so a count of "open" can be read for what it is.
 */
function ReplayHeaderNotes() {
  const t = useT();
  const client = useClient();
  const [rules, setRules] = useState<string[] | null>(null);
  useEffect(() => {
    let live = true;
    client.call('history.about').then(
      ({ imports }) => live && setRules([...new Set(imports.map((i) => i.lifecycle))]),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client]);
  return (
    <>
      <ReadOnlyNotice />
      {rules && rules.length > 0 && (
        <span className="replay-lifecycle muted" data-testid="replay-lifecycle">
          {rules.every((r) => r === 'none') ? t('replay.lifecycleNone') : t('replay.lifecycle', { rule: rules.filter((r) => r !== 'none').join(' ; ') })}
        </span>
      )}
    </>
  );
}

/**
 * Training sandboxes: the exercise debrief (Shift+D), from the sandbox log against the real day,
 * saved as a printable HTML file (print it to PDF from the browser) and its CSV.
 */
function DebriefButton() {
  const t = useT();
  const client = useClient();
  const session = sessionStore.useStoreApi();
  const save = async () => {
    try {
      const { html, csv } = await client.call('training.debrief');
      download('debrief.html', html, 'text/html');
      download('debrief.csv', csv, 'text/csv');
    } catch (error) {
      session.getState().actions.setError((error as Error).message);
    }
  };
  return (
    <button type="button" className="topbar-button" data-shortcut="shift+d" title={`${t('training.debrief')} (Shift+D)`} onClick={() => void save()}>
      {t('training.debrief')}
    </button>
  );
}
