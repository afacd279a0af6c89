import { useEffect, useState } from 'react';
import { useT } from '../../i18n/index';
import { useClock } from '../../stores/replayClock';
import { useSession } from '../../stores/session';

/**
 * Replay shows the past: nothing done there could have happened then, so the actions are hidden
 * with one line saying why, and their keys say so instead of doing nothing. A training sandbox is
 * left out: its exercise is acted in (the trainee works its day; main/core/training).
 */
export function useReplayReadOnly(): boolean {
  const replay = useClock((s) => s.mode === 'replay');
  const training = useSession((s) => Boolean(s.session?.training));
  return replay && !training;
}

export function replayReadOnlyNow(training: boolean): boolean {
  return useClock.getState().mode === 'replay' && !training;
}

/** The keys of actions (incident lifecycle, dispatch, annotations, new incident). */
export const ACTION_KEYS: ReadonlySet<string> = new Set(['a', 's', 'p', 'm', 'n', 'u', 'c', 'r', 'd', '2', '3', '4', '5', '6', '7', '8', '9', 'e', 'shift+e', 'y', 'shift+n']);

const READ_ONLY_KEY = 'vigie:replay-read-only-key';

/** An action key pressed in replay: the timeline says why nothing happened. */
export function announceReadOnlyKey(key: string): void {
  window.dispatchEvent(new CustomEvent<string>(READ_ONLY_KEY, { detail: key }));
}

/** The one-line reason, where the actions would be. */
export function ReplayReadOnlyNote() {
  const t = useT();
  return (
    <p className="replay-readonly" role="note">
      {t('replay.readOnly')}
    </p>
  );
}

/**
 * In the replay bar: why the actions are gone, and, after an action key, that this key acts only
 * live (one polite live region, so the line never grows twice).
 */
export function ReadOnlyNotice() {
  const t = useT();
  const readOnly = useReplayReadOnly();
  const [key, setKey] = useState<string | null>(null);
  useEffect(() => {
    const on = (event: Event) => setKey((event as CustomEvent<string>).detail);
    window.addEventListener(READ_ONLY_KEY, on);
    return () => window.removeEventListener(READ_ONLY_KEY, on);
  }, []);
  if (!readOnly) return null;
  const label = key?.startsWith('shift+') ? `Shift+${key.slice(6).toUpperCase()}` : key?.toUpperCase();
  return (
    // A note, not a status: "the REPLAY status" stays one element for those who look for it.
    <span className="replay-readonly" role="note" aria-live="polite" data-testid="replay-read-only">
      {label ? t('replay.readOnlyKey', { key: label }) : t('replay.readOnly')}
    </span>
  );
}
