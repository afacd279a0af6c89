import { SPEEDS, useClock } from '../../stores/replayClock';
import { useClient, useCan } from '../../app/ClientContext';
import { useFormat, useT } from '../../i18n/index';
import { useNow } from '../../ui/useNow';

/**
 * The exercise clock of a training sandbox, in the top bar: the day's instant the exercise has
 * reached (what every age and timer on the screen counts from) and its speed. The trainer also
 * pauses and resumes it (Shift+B) and changes its speed (Shift+C slower, Shift+V faster).
 */
export function ExerciseClockBar() {
  const t = useT();
  const format = useFormat();
  const client = useClient();
  const exercise = useClock((s) => s.exercise);
  const live = useClock((s) => s.mode === 'live');
  // A quarter second: at 60x a 1 s refresh would step the clock by whole minutes.
  const now = useNow(250);
  const canControl = useCan('training.control');
  if (!exercise) return null;
  const control = (params: { action: 'pause' } | { action: 'resume' } | { action: 'speed'; speed: number }) =>
    void client.call('training.control', params).catch((error: Error) => console.error('[training] the exercise clock refused:', error.message));
  const index = SPEEDS.findIndex((s) => s >= exercise.speed);
  const slower = SPEEDS[Math.max(0, (index < 0 ? SPEEDS.length : index) - 1)]!;
  const faster = SPEEDS[Math.min(SPEEDS.length - 1, index < 0 ? SPEEDS.length - 1 : SPEEDS[index] === exercise.speed ? index + 1 : index)]!;
  return (
    <div className="exercise-clock" role="timer" aria-label={t('training.clock')} title={t('training.clock')}>
      <span className="exercise-time">{live ? format.date(now, 'time') : '—'}</span>
      <span className="exercise-speed">{`${exercise.speed}×`}{exercise.running ? '' : ` · ${t('training.paused')}`}</span>
      {canControl && (
        <>
          <button type="button" className="topbar-button" data-shortcut="shift+b" title={`${exercise.running ? t('training.pause') : t('training.resume')} (Shift+B)`} aria-label={exercise.running ? t('training.pause') : t('training.resume')} onClick={() => control({ action: exercise.running ? 'pause' : 'resume' })}>
            {exercise.running ? '❚❚' : '▶'}
          </button>
          <button type="button" className="topbar-button" data-shortcut="shift+j" title={`${t('training.slower')} (Shift+J)`} aria-label={t('training.slower')} disabled={slower === exercise.speed} onClick={() => control({ action: 'speed', speed: slower })}>
            −
          </button>
          <button type="button" className="topbar-button" data-shortcut="shift+k" title={`${t('training.faster')} (Shift+K)`} aria-label={t('training.faster')} disabled={faster === exercise.speed} onClick={() => control({ action: 'speed', speed: faster })}>
            +
          </button>
        </>
      )}
    </div>
  );
}
