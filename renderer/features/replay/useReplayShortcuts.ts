import { useEffect } from 'react';
import { useClient } from '../../app/ClientContext';
import { sessionStore } from '../../stores/session';
import { appNow, SPEEDS, useClock } from '../../stores/replayClock';
import { cycleLoop, enterReplay, jumpToNextEvent, STEP_MS } from './replayCommands';

/**
 * Replay keys (listed in the ? dialog): T live/replay; in replay Space play/pause, [ ] step,
 * . next event, - + speed, W loop, H focus the bookmark label. Ignored while typing or in a dialog.
 */
export function useReplayShortcuts() {
  const client = useClient();
  const session = sessionStore.useStoreApi();
  useEffect(() => {
    const report = (error: unknown) => session.getState().actions.setError((error as Error).message);
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement;
      if (target.matches('input, textarea, select, [contenteditable="true"]') || document.querySelector('dialog[open]')) return;
      const s = useClock.getState();
      if (event.key === 't') {
        if (s.mode === 'replay') s.actions.goLive();
        else void enterReplay(client, s.actions.enterReplay, report);
        return;
      }
      if (s.mode !== 'replay') return;
      const speedIndex = SPEEDS.indexOf(s.speed);
      switch (event.key) {
        case ' ':
          // A focused button would click as well: the key is the clock's here.
          event.preventDefault();
          s.actions.togglePlay();
          break;
        case '[':
          s.actions.seek(appNow() - STEP_MS);
          break;
        case ']':
          s.actions.seek(appNow() + STEP_MS);
          break;
        case '.':
          void jumpToNextEvent(client, report);
          break;
        case '-':
          s.actions.setSpeed(SPEEDS[Math.max(0, speedIndex - 1)]!);
          break;
        case '+':
        case '=':
          s.actions.setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, speedIndex + 1)]!);
          break;
        case 'w':
          cycleLoop(appNow());
          break;
        case 'h':
          event.preventDefault();
          document.getElementById('bookmark-label')?.focus();
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client, session]);
}
