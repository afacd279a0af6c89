import { useState } from 'react';
import type { VigieClient } from '../../common/rpc';
import { MapArea } from '../map/MapArea';
import { IncidentList } from '../features/incidents/IncidentList';
import { DetailsColumn } from '../features/mapDetails/DetailsColumn';
import { FeedStatusBar } from '../features/feeds/FeedStatusBar';
import { FeedsPanel } from '../features/feeds/FeedsPanel';
import { roleLabel, useFormat, useLocaleStore, useT } from '../i18n/index';
import { useSession } from '../stores/session';
import { useNow } from '../ui/useNow';
import { ShortcutsDialog } from './ShortcutsDialog';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { useLiveSync } from './useLiveSync';
import { useShortcuts } from './useShortcuts';
import { useDialogState } from './useDialogState';
import { ClientContext, useCan } from './ClientContext';
import { JournalDialog } from '../features/audit/JournalDialog';
import { AnnotatePanel } from '../features/annotate/AnnotatePanel';
import { GeofenceAlerts } from '../features/annotate/GeofenceAlerts';
import { BoardButton, BoardPanel } from '../features/units/BoardPanel';
import { currentPanel } from './panels';
import { useSelectionSync } from './useSelectionSync';
import { useIndicatorSync } from '../features/indicators/useIndicatorSync';
import { IndicatorTray } from '../features/indicators/IndicatorTray';
import { IndicatorsButton } from '../features/indicators/IndicatorEditor';
import { useCalendarSync } from '../features/calendar/useCalendarSync';
import { CalendarButton } from '../features/calendar/CalendarDialog';
import { TimelineBar } from '../features/replay/TimelineBar';
import { useClockSync, useReplaySync } from '../features/replay/useReplaySync';
import { useSyncStatus } from '../features/sync/useSyncStatus';
import { SyncButton, SyncConflicts } from '../features/sync/SyncPanel';
import { SearchBox } from '../features/search/SearchBox';
import { NewIncidentDialog } from '../features/search/NewIncidentDialog';
import { AlarmQueue } from '../features/alarms/AlarmQueue';
import { useAlarmSync } from '../features/alarms/useAlarmSync';
import { AuditorScreen } from '../features/audit/AuditorScreen';
import { WallScreen } from '../features/wall/WallScreen';
import { RoleScreenKeys, ThemeButton, useThemeSetting } from './theme';
import { HandoverButton } from '../features/handover/HandoverDialog';
import { InjectedContext, useExerciseSync, useInjections } from '../features/training/useExercise';
import { ExerciseClockBar } from '../features/training/ExerciseClockBar';
import { Brand } from '../ui/Brand';

/**
 * Each role's screen (issue 16): the desks work the picture, the auditor reads the journal, the
 * wall shows the picture read-only. Nothing is drawn before the role is known, so no screen asks
 * the data service for what its role is refused.
 */
export function App({ client }: { client: VigieClient }) {
  useLiveSync(client);
  useThemeSetting(client);
  const t = useT();
  const role = useSession((s) => s.session?.role);
  const error = useSession((s) => s.error);
  const help = useDialogState();
  if (!role) {
    return (
      <p className="muted loading" role={error ? 'alert' : 'status'}>
        {error ?? t('app.loading')}
      </p>
    );
  }
  if (role !== 'auditor' && role !== 'wall') return <DeskApp client={client} />;
  const topbarEnd = (
    <>
      <Clock />
      <LanguageSwitch />
      <ThemeButton />
      <button type="button" className="icon-button" aria-label={t('shortcuts.button')} title={`${t('shortcuts.button')} (?)`} onClick={help.open}>
        ?
      </button>
    </>
  );
  return (
    <ClientContext.Provider value={client}>
      <RoleScreenKeys openHelp={help.open} />
      {role === 'auditor' ? <AuditorScreen topbarEnd={topbarEnd} /> : <WallScreen client={client} topbarEnd={topbarEnd} />}
      {help.isOpen && <ShortcutsDialog key={help.key} onClose={help.onClose} />}
    </ClientContext.Provider>
  );
}

function DeskApp({ client }: { client: VigieClient }) {
  useIndicatorSync(client);
  useAlarmSync(client);
  useCalendarSync(client);
  useSyncStatus(client);
  const t = useT();
  const help = useDialogState();
  const settings = useDialogState();
  const feeds = useDialogState();
  const { open: openHelp } = help;
  const { open: openSettings } = settings;
  const { open: openFeeds } = feeds;
  useShortcuts(openHelp, openSettings, openFeeds);
  useSelectionSync();
  useClockSync();
  useReplaySync(client);
  const panel = currentPanel();
  const pack = useSession((s) => s.cityPack);
  const session = useSession((s) => s.session);
  useExerciseSync(client, Boolean(session?.training));
  const injected = useInjections(client, Boolean(session?.training) && session?.role === 'trainer');
  const connection = useSession((s) => s.connection);
  const error = useSession((s) => s.error);
  // A full disk stops storing everything, not one feed: one banner for the room, with what to do.
  const diskFull = useSession((s) => Object.values(s.feeds).some((f) => f.diskFull === true));

  return (
    <ClientContext.Provider value={client}>
    <InjectedContext.Provider value={injected}>
    <div className="app">
      <header className="topbar" role="banner">
        <Brand>
          <span className="muted">{t('app.tagline')}{pack ? ` · ${pack.name}` : ''}</span>
        </Brand>
        {session?.training && (
          <div className="training-flag" role="status" title={t('training.hint', { day: session.training.day })}>
            {t('training.flag')}
          </div>
        )}
        {session?.training && <ExerciseClockBar />}
        {session?.demo && (
          <div className="sim-flag" role="status" title={t('app.simulatedHint')}>
            {t('app.simulated')}
          </div>
        )}
        <SearchBox client={client} />
        <FeedStatusBar onOpen={openFeeds} />
        <button type="button" className="feeds-button" aria-label={t('feeds.open')} title={`${t('feeds.open')} (F)`} onClick={openFeeds}>
          {t('feeds.panel.title')}
        </button>
        <div className="topbar-right">
          <SyncButton />
          <span className={`connection ${connection}`} role="status" aria-label={t(`app.connection.${connection}`)}>
            <span className="dot" aria-hidden="true" />
            {t(`app.connection.${connection}`)}
          </span>
          {session && (
            <span className="muted user">
              {session.user} · {roleLabel(t, session.role)}
            </span>
          )}
          <BoardButton />
          <JournalButton />
          <IndicatorsButton />
          <CalendarButton />
          <HandoverButton />
          <Clock />
          <LanguageSwitch />
          <ThemeButton />
          <button type="button" className="icon-button" aria-label={t('settings.button')} title={`${t('settings.button')} (,)`} onClick={openSettings}>
            ⚙
          </button>
          <button type="button" className="icon-button" aria-label={t('shortcuts.button')} title={`${t('shortcuts.button')} (?)`} onClick={openHelp}>
            ?
          </button>
        </div>
      </header>
      {session?.readOnly && (
        <div className="error-bar" role="alert">
          {t('app.readOnly', { why: session.readOnly })}
        </div>
      )}
      {diskFull && (
        <div className="error-bar" role="alert" data-testid="disk-full">
          {t('app.diskFull')}
        </div>
      )}
      <SyncConflicts />
      {error && (
        <div className="error-bar" role="alert">
          {error}
        </div>
      )}
      {panel ? (
        <main className="workspace single">{panel === 'incidents' ? <IncidentList /> : panel === 'details' ? <DetailsColumn /> : <BoardPanel />}</main>
      ) : (
      <main className="workspace">
        <div className="left-column">
          <AlarmQueue />
          <IncidentList />
        </div>
        <div className="map-wrap">{pack ? <MapArea pack={pack} client={client} /> : <p className="muted loading">{t('app.loading')}</p>}<AnnotatePanel /><GeofenceAlerts /><IndicatorTray /></div>
        <DetailsColumn />
      </main>
      )}
      <TimelineBar />
      {help.isOpen && <ShortcutsDialog key={help.key} onClose={help.onClose} />}
      {settings.isOpen && <SettingsDialog key={settings.key} client={client} onClose={settings.onClose} />}
      {feeds.isOpen && <FeedsPanel key={feeds.key} client={client} onClose={feeds.onClose} />}
      <NewIncidentDialog client={client} />
    </div>
    </InjectedContext.Provider>
    </ClientContext.Provider>
  );
}

function Clock() {
  const now = useNow(1000);
  const format = useFormat();
  return (
    <time className="clock mono" dateTime={new Date(now).toISOString()}>
      {format.date(now, 'time')}
    </time>
  );
}

function LanguageSwitch() {
  const t = useT();
  const { locale, actions } = useLocaleStore();
  return (
    // The accessible name starts with the visible text ("EN"), as speech control users say it.
    <button type="button" className="lang" aria-label={`${locale === 'fr' ? 'EN' : 'FR'} — ${t('app.languageSwitch')}`} title={`${t('app.languageSwitch')} (L)`} onClick={actions.toggle}>
      {locale === 'fr' ? 'EN' : 'FR'}
    </button>
  );
}

/** Supervisors, auditors and admins read the journal (shortcut G). */
function JournalButton() {
  const t = useT();
  const can = useCan('audit.list');
  const [open, setOpen] = useState(false);
  if (!can) return null;
  return (
    <>
      <button type="button" className="topbar-button" data-shortcut="g" title={`${t('journal.title')} (G)`} aria-label={t('journal.title')} onClick={() => setOpen(true)}>
        {t('journal.button')}
      </button>
      {open && <JournalDialog onClose={() => setOpen(false)} />}
    </>
  );
}
