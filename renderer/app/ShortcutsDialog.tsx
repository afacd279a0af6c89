import { useEffect, useRef } from 'react';
import { useT } from '../i18n/index';
import type { MessageKey } from '../i18n/en';
import { keyNames } from '../i18n/keyNames';

/** `where`: the panel or mode the key works in, shown translated beside it (a key means something else there). */
export const SHORTCUTS: { keys: string; where?: MessageKey; label: MessageKey }[] = [
  { keys: 'J / ↓', label: 'shortcuts.next' },
  { keys: 'K / ↑', label: 'shortcuts.previous' },
  { keys: 'Esc', label: 'shortcuts.close' },
  { keys: 'Ctrl+K / /', label: 'shortcuts.search' },
  { keys: 'Enter / Shift+Enter', where: 'shortcuts.where.search', label: 'shortcuts.searchPick' },
  { keys: 'Shift+N', label: 'shortcuts.newIncident' },
  { keys: 'O', label: 'shortcuts.openOnly' },
  { keys: 'L', label: 'shortcuts.language' },
  { keys: ',', label: 'shortcuts.settings' },
  { keys: '?', label: 'shortcuts.help' },
  { keys: 'Shift+1…9', label: 'shortcuts.layerToggle' },
  { keys: 'V', label: 'shortcuts.camerasSeeing' },
  { keys: 'Shift+Z', label: 'shortcuts.zoomToData' },
  { keys: 'Shift+O', label: 'shortcuts.coverage' },
  { keys: 'Tab / Shift+Tab', label: 'shortcuts.mapFeatureNext' },
  { keys: 'Enter', label: 'shortcuts.mapFeatureOpen' },
  { keys: 'A', label: 'shortcuts.acknowledge' },
  { keys: 'D', label: 'shortcuts.dispatch' },
  { keys: '2 … 9', label: 'shortcuts.dispatchRank' },
  { keys: 'S', label: 'shortcuts.onScene' },
  { keys: 'P', label: 'shortcuts.priority' },
  { keys: 'M', label: 'shortcuts.merge' },
  { keys: 'Shift+G', label: 'shortcuts.mergedInto' },
  { keys: 'Shift+V', label: 'shortcuts.mediaShow' },
  { keys: 'Shift+X', label: 'shortcuts.mediaThirdParty' },
  { keys: 'N', label: 'shortcuts.note' },
  { keys: 'U', label: 'shortcuts.attach' },
  { keys: 'C', label: 'shortcuts.closeIncident' },
  { keys: 'R', label: 'shortcuts.reopen' },
  { keys: 'G', label: 'shortcuts.journal' },
  { keys: 'E', label: 'shortcuts.annotate' },
  { keys: 'Shift+E', label: 'shortcuts.annotationEdit' },
  { keys: 'X / ← ↑ → ↓', label: 'shortcuts.annotationHandle' },
  { keys: 'Y', label: 'shortcuts.annotationUndo' },
  { keys: 'B', label: 'shortcuts.board' },
  { keys: 'F', label: 'shortcuts.feeds' },
  { keys: 'J / K', where: 'shortcuts.where.feeds', label: 'shortcuts.feedsMove' },
  { keys: 'P', where: 'shortcuts.where.feeds', label: 'shortcuts.feedsPause' },
  { keys: 'Q', where: 'shortcuts.where.feeds', label: 'shortcuts.feedsQuarantine' },
  { keys: 'Shift+A', label: 'shortcuts.alarmsFocus' },
  { keys: '↑ / ↓', where: 'shortcuts.where.alarms', label: 'shortcuts.alarmsMove' },
  { keys: 'A', where: 'shortcuts.where.alarms', label: 'shortcuts.alarmsAck' },
  { keys: 'C', where: 'shortcuts.where.alarms', label: 'shortcuts.alarmsClose' },
  { keys: 'Enter', where: 'shortcuts.where.alarms', label: 'shortcuts.alarmsOpen' },
  { keys: 'S', where: 'shortcuts.where.alarms', label: 'shortcuts.alarmsOrder' },
  { keys: 'Shift+S', label: 'shortcuts.alarmsMute' },
  { keys: 'Shift+I', label: 'shortcuts.incidentOrder' },
  { keys: 'Shift+H', label: 'shortcuts.indicatorSheet' },
  { keys: 'I', label: 'shortcuts.indicatorAcknowledge' },
  { keys: 'Shift+T', label: 'shortcuts.indicatorEdit' },
  { keys: 'Shift+W', label: 'shortcuts.calendar' },
  { keys: 'Shift+M', label: 'shortcuts.forecastCard' },
  { keys: 'Z', label: 'shortcuts.forecastWhy' },
  { keys: 'Shift+Y', where: 'shortcuts.where.modelCard', label: 'shortcuts.forecastCheck' },
  { keys: 'Shift+Y', where: 'shortcuts.where.calendar', label: 'shortcuts.calendarDraw' },
  { keys: 'A / Enter / ⌫ / Esc', where: 'shortcuts.where.drawing', label: 'shortcuts.calendarDrawKeys' },
  { keys: 'T', label: 'shortcuts.replayToggle' },
  { keys: 'Space', label: 'shortcuts.replayPlay' },
  { keys: '[ / ]', label: 'shortcuts.replayStep' },
  { keys: '.', label: 'shortcuts.replayNext' },
  { keys: 'Shift+R', label: 'shortcuts.replayPrevious' },
  { keys: 'Shift+D', label: 'shortcuts.debrief' },
  { keys: 'Shift+B', label: 'shortcuts.exercisePause' },
  { keys: 'Shift+J / Shift+K', label: 'shortcuts.exerciseSpeed' },
  { keys: '- / +', label: 'shortcuts.replaySpeed' },
  { keys: 'W', label: 'shortcuts.replayLoop' },
  { keys: 'H', label: 'shortcuts.replayBookmark' },
  { keys: 'Shift+Q', label: 'shortcuts.syncPanel' },
  { keys: 'Shift+P', label: 'shortcuts.syncDismiss' },
  { keys: 'Shift+C', label: 'shortcuts.theme' },
  { keys: 'Shift+L', label: 'shortcuts.handover' },
  { keys: '1 … 4', where: 'shortcuts.where.wall', label: 'shortcuts.wallPanels' },
  { keys: 'V', where: 'shortcuts.where.auditor', label: 'shortcuts.journalVerify' },
  { keys: 'E', where: 'shortcuts.where.auditor', label: 'shortcuts.journalExportCsv' },
  { keys: 'Shift+E', where: 'shortcuts.where.auditor', label: 'shortcuts.journalExportJson' },
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-heading" onClose={onClose}>
      <h2 id="shortcuts-heading">{t('shortcuts.title')}</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.label}>
              <td>
                <kbd>{keyNames(s.keys, t)}</kbd>
                {s.where && <span className="muted"> ({t(s.where)})</span>}
              </td>
              <td>{t(s.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit">OK</button>
      </form>
    </dialog>
  );
}
